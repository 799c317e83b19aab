"""Hybrid logical clock stamps never go backwards and order the same everywhere."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from station_rotation.core.hlc import MAX_AHEAD_MS, HlcStamp, HybridLogicalClock

DAY_MS = 86_400_000


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
    remote = HlcStamp(1_000 + MAX_AHEAD_MS, 7, "dev-b")
    clock.observe(remote)
    assert clock.tick() > remote


def test_a_stamp_from_a_day_fast_laptop_does_not_drag_the_clock_ahead() -> None:
    """A pulled stamp a day past this laptop's time is not followed: its next edits keep
    their true time, so the fast laptop does not win every later merge."""
    clock = HybridLogicalClock("dev-a", now_ms=FakeWallClock(DAY_MS))
    clock.observe(HlcStamp(2 * DAY_MS, 0, "dev-fast"))
    assert clock.tick().wall_ms == DAY_MS


def test_an_edit_is_stamped_after_the_version_it_edits() -> None:
    """Editing a record pulled from a fast laptop still beats that version (per record)."""
    clock = HybridLogicalClock("dev-a", now_ms=FakeWallClock(DAY_MS))
    fast = HlcStamp(2 * DAY_MS, 4, "dev-fast")
    edit = clock.tick(after=fast)
    assert edit > fast and edit.device_id == "dev-a"
    assert clock.tick() < fast  # another record's edit keeps the true time


def test_the_clock_follows_the_offset_the_server_reported() -> None:
    """A laptop a day fast stamps at the server's time once it has learned the offset,
    even though it issued stamps a day ahead before."""
    wall = FakeWallClock(2 * DAY_MS)
    clock = HybridLogicalClock("dev-a", now_ms=wall)
    ahead = clock.tick()
    clock.correct(-DAY_MS)
    corrected = clock.tick()
    assert corrected.wall_ms == DAY_MS and corrected < ahead
    assert clock.wall_ms() == 2 * DAY_MS  # the offset is measured on the raw clock
    reopened = HybridLogicalClock("dev-a", now_ms=wall, last=ahead, offset_ms=-DAY_MS)
    assert reopened.tick().wall_ms == DAY_MS


def test_a_small_correction_never_makes_stamps_go_backwards() -> None:
    """Within ``MAX_AHEAD_MS`` the clock keeps its order: a correction of a minute back
    still issues later stamps than before."""
    clock = HybridLogicalClock("dev-a", now_ms=FakeWallClock(DAY_MS))
    before = clock.tick()
    clock.correct(-60_000)
    assert clock.tick() > before


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
