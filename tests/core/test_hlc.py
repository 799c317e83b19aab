"""Hybrid logical clock stamps never go backwards and order the same everywhere."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from station_rotation.core.hlc import HlcStamp, HybridLogicalClock


class FakeWallClock:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_keep_increasing_when_the_wall_clock_jumps_back() -> None:
    """A laptop whose clock is set back an hour still issues later stamps."""
    wall = FakeWallClock(1_000_000)
    clock = HybridLogicalClock("dev-a", now_ms=wall)
    first = clock.tick()
    wall.ms -= 3_600_000
    second = clock.tick()
    assert second > first
    assert second.encode() > first.encode()


def test_observing_a_remote_stamp_moves_past_it() -> None:
    """After a sync pull, local edits sort after the edits the device has seen."""
    clock = HybridLogicalClock("dev-a", now_ms=FakeWallClock(1_000))
    remote = HlcStamp(5_000_000, 7, "dev-b")
    clock.observe(remote)
    assert clock.tick() > remote


@given(st.lists(st.tuples(st.integers(0, 2**40), st.booleans()), min_size=1, max_size=50))
def test_encoded_order_equals_stamp_order(events: list[tuple[int, bool]]) -> None:
    """Comparing the text of two stamps compares the stamps (used in SQL and JSON)."""
    wall = FakeWallClock(0)
    clock = HybridLogicalClock("dev-a", now_ms=wall)
    stamps = []
    for ms, remote in events:
        wall.ms = ms
        if remote:
            stamps.append(clock.observe(HlcStamp(ms + 5, 3, "dev-b")))
        else:
            stamps.append(clock.tick())
    assert stamps == sorted(stamps)
    assert [s.encode() for s in stamps] == sorted(s.encode() for s in stamps)
    assert all(HlcStamp.decode(s.encode()) == s for s in stamps)
