"""The server's per-field merge (``server/merge.py``) and payload check (``server/payloads.py``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from station_rotation.server.merge import merge_fields
from station_rotation.server.payloads import NEWER_LAPTOP, checked_payload

STORED = {"id": "s1", "hlc": "0005", "name": "A", "capacity": 8, "default_minutes": 15}


def test_a_field_the_push_did_not_change_keeps_its_value() -> None:
    """An older stamp still sets a field nobody else changed; a newer one never touches
    a field it did not change."""
    pushed = {**STORED, "name": "Old laptop's name", "capacity": 3, "hlc": "0003"}
    merged = merge_fields(
        STORED, "0005", {"name": "0005", "capacity": "0002"}, pushed, "0003", ["capacity"]
    )
    assert merged.payload["capacity"] == 3 and merged.payload["name"] == "A"
    assert merged.taken == ["capacity"] and merged.lost == {}


def test_a_field_both_changed_follows_the_stamps() -> None:
    pushed = {**STORED, "name": "B"}
    later = merge_fields(STORED, "0005", None, pushed, "0009", ["name"])
    earlier = merge_fields(STORED, "0005", None, pushed, "0004", ["name"])
    assert later.payload["name"] == "B" and later.replaced == {"name": "0005"}
    assert earlier.payload["name"] == "A" and earlier.lost == {"name": "0005"}


def test_the_districts_fields_are_locked() -> None:
    merged = merge_fields(STORED, "0005", None, {**STORED, "name": "B"}, "0009", ["name"], ["name"])
    assert merged.payload["name"] == "A" and merged.locked == ["name"]


@given(
    st.lists(
        st.tuples(st.sampled_from(["name", "capacity", "default_minutes"]), st.integers(0, 99)),
        min_size=1,
        max_size=12,
    )
)
def test_edits_applied_in_any_order_end_alike(edits: list[tuple[str, int]]) -> None:
    """Each edit changes one field at its own stamp: whatever order they reach the server
    in, every field ends with the value of its latest edit (the merge converges)."""
    stamped = [(f"{n:04d}", name, value) for n, (name, value) in enumerate(edits, start=10)]

    def apply(order: list[tuple[str, str, int]]) -> dict[str, object]:
        payload, hlc, stamps = dict(STORED), "0005", None
        for stamp, name, value in order:
            merged = merge_fields(payload, hlc, stamps, {**payload, name: value}, stamp, [name])
            payload, stamps, hlc = merged.payload, merged.field_hlcs, max(hlc, stamp)
        return payload

    expected = dict(STORED)
    for _stamp, name, value in stamped:
        expected[name] = value
    assert apply(stamped) == expected
    assert apply(list(reversed(stamped))) == expected


def test_a_payload_is_checked_against_its_model_strictly() -> None:
    station = {"id": "s1", "hlc": "x", "class_id": "c1", "name": "Reading"}
    payload, problem = checked_payload("station", "s1", station, 1)
    assert problem == "" and payload["capacity"] == 8  # stored as the laptop's model writes it
    assert "must be text" in checked_payload("station", "s1", {**station, "name": 5}, 1)[1]
    assert (
        "must be a whole number"
        in checked_payload("station", "s1", {**station, "capacity": False}, 1)[1]
    )
    assert "not text" in checked_payload("station", "s1", {**station, "name": "a\x00"}, 1)[1]
    assert "not a field" in checked_payload("station", "s1", {**station, "colour": "red"}, 1)[1]
    assert "id differs" in checked_payload("station", "s2", station, 1)[1]
    assert checked_payload("station", "s1", station, 99)[1] == NEWER_LAPTOP
    assert "does not have" in checked_payload("station", "s1", station, 1, ["colour"])[1]
    assert "does not know" in checked_payload("sticker", "s1", station, 1)[1]
