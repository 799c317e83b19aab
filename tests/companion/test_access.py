"""Codes and sessions: random, limited, and kept across a restart of the app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station_rotation.companion.access import (
    JOIN_ALPHABET,
    SESSIONS_FILE,
    Access,
    AccessRefused,
    GuessLimit,
    Role,
)


def test_sessions_and_the_runs_class_code_survive_a_restart(tmp_path: Path) -> None:
    first = Access.for_data_folder(tmp_path)
    first.open_join("run-1")
    phone = first.pair(client="a", label="iPhone", secret=first.pair_secret)
    pupil = first.join(client="b", label="Chromebook", code=first.join_code)
    code = first.join_code

    state = tmp_path / SESSIONS_FILE
    text = state.read_text()
    assert phone.token not in text and pupil.token not in text  # only hashes are kept
    if os.name == "posix":
        assert state.stat().st_mode & 0o077 == 0

    again = Access.for_data_folder(tmp_path)  # the app was killed and started again
    again.open_join("run-1")  # the same run resumed: same code, same sessions
    assert again.join_code == code
    restored = again.session(pupil.token)
    assert restored is not None and restored.role is Role.JOINING
    again.become_student(restored.key, "student-1", "Ana")
    assert again.session(pupil.token) is not None
    assert again.session(phone.token) is not None
    assert again.personal_code("student-1") == first.personal_code("student-1")

    again.open_join("run-2")  # another run: students start over, the phone stays
    assert again.session(pupil.token) is None
    assert again.session(phone.token) is not None
    assert again.join_code != code or again.join_secret


def test_a_damaged_sessions_file_means_typing_the_code_again(tmp_path: Path) -> None:
    (tmp_path / SESSIONS_FILE).write_text("{not json")
    access = Access.for_data_folder(tmp_path)
    assert access.devices() == []
    assert not (tmp_path / SESSIONS_FILE).exists()


def test_codes_are_random_and_readable() -> None:
    access = Access(b"k" * 32)
    codes = set()
    for n in range(50):
        access.open_join(f"run-{n}")
        assert len(access.join_code) == 6 and set(access.join_code) <= set(JOIN_ALPHABET)
        assert not access.join_code.isdigit()  # the code screen tells the two apart
        codes.add(access.join_code)
        access.new_pairing()
        assert access.pair_code.isdigit() and len(access.pair_code) == 6
    assert len(codes) == 50


def test_wrong_codes_are_limited_per_device_and_overall() -> None:
    clock = [0.0]
    limit = GuessLimit(per_client=2, overall=3, window=60, now=lambda: clock[0])
    for _ in range(2):
        limit.check("a")
        limit.wrong("a")
    with pytest.raises(AccessRefused) as refused:
        limit.check("a")
    assert refused.value.status == 429 and refused.value.retry_after == 61
    limit.check("b")
    limit.wrong("b")
    with pytest.raises(AccessRefused):
        limit.check("c")  # three wrong in all: everyone waits
    clock[0] = 61.0
    limit.check("a")  # the window passed
