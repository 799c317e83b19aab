"""The teacher's PIN: which are valid, kept only as a salted hash, the wait after wrong tries."""

from __future__ import annotations

import pytest

from station_rotation.core.pin import hash_pin, pin_matches, pin_problem, wait_after


def test_a_pin_is_four_to_eight_digits() -> None:
    """4-8 ASCII digits are a PIN; anything else says why not."""
    assert pin_problem("1234") is None and pin_problem("12345678") is None
    assert pin_problem("123") == "A PIN has 4 to 8 digits."
    assert pin_problem("123456789") == "A PIN has 4 to 8 digits."
    assert pin_problem("12a4") == "A PIN is digits only."
    assert pin_problem("١٢٣٤") == "A PIN is digits only."  # Arabic-Indic digits
    with pytest.raises(ValueError):
        hash_pin("12")


def test_the_hash_is_salted_and_only_the_pin_matches_it() -> None:
    """Two hashes of one PIN differ (random salt); each matches that PIN and no other."""
    first, second = hash_pin("73915284"), hash_pin("73915284")
    assert first != second and "73915284" not in first
    assert first.startswith("scrypt$")
    assert pin_matches("73915284", first) and pin_matches("73915284", second)
    assert not pin_matches("73915285", first)
    assert not pin_matches("73915284", "garbage")  # a damaged setting matches nothing


def test_wrong_tries_wait_longer_and_longer_after_three() -> None:
    """Three free tries, then 5 s, 10 s, 20 s... never more than 5 minutes."""
    assert [wait_after(n) for n in range(7)] == [0, 0, 0, 5, 10, 20, 40]
    assert wait_after(50) == 300
