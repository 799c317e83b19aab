"""Hybrid logical clock stamps for records edited on several devices.

A stamp orders edits by (wall milliseconds, counter, device id). It never goes
backwards even when the wall clock does, and it moves past every stamp the device has
seen from others, so a deterministic last-writer-wins merge converges on every device
whatever their clocks say. Stamps are encoded as fixed-width text so that comparing the
strings compares the stamps (handy in SQL and JSON).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

DISTRICT_DEVICE = "district"
"""The device id in the stamps the district server makes for roster fields (its edits win
by being later; server/district.py). Laptop ids are UUIDs, so no laptop shares it."""

MERGE_DEVICE = "merge"
"""The device id in the stamp of a record the server merged from several laptops' edits
(server/merge.py): later than each, so every laptop pulls the merged version."""

_WALL_HEX = 12  # milliseconds since 1970 fit in 12 hex digits until the year 10889
_COUNTER_HEX = 6


@dataclass(frozen=True, order=True)
class HlcStamp:
    """One point in hybrid logical time; ordering is the merge order."""

    wall_ms: int
    counter: int
    device_id: str

    def encode(self) -> str:
        """Fixed-width text whose lexical order equals the stamp order."""
        return f"{self.wall_ms:0{_WALL_HEX}x}-{self.counter:0{_COUNTER_HEX}x}-{self.device_id}"

    @classmethod
    def decode(cls, text: str) -> HlcStamp:
        """Parse :meth:`encode` output; raise ValueError on anything else."""
        wall, counter, device = text.split("-", 2)
        if len(wall) != _WALL_HEX or len(counter) != _COUNTER_HEX or not device:
            raise ValueError(f"not an HLC stamp: {text!r}")
        return cls(int(wall, 16), int(counter, 16), device)


def author(text: str) -> str:
    """The device that made the edit stamped ``text`` (an encoded stamp ends with its id)."""
    return text.split("-", 2)[2] if text.count("-") >= 2 else ""


def wall_clock_ms() -> int:
    """The system wall clock in milliseconds (may jump; the HLC absorbs that)."""
    return time.time_ns() // 1_000_000


MAX_AHEAD_MS = 5 * 60_000
"""How far past this device's (corrected) wall clock the clock follows a stamp it pulls,
or keeps one it issued: a laptop whose clock ran a day fast must not drag every other
laptop's stamps (and so the merges) a day ahead. Order per record is kept by
:meth:`HybridLogicalClock.tick`'s ``after`` instead."""


TOLERANCE_MS = 2_000
"""An offset the server reports within this is measurement noise (the reply's travel
time differs per laptop): correcting by it would reorder edits made moments apart."""


class HybridLogicalClock:
    """Issues increasing stamps for one device, on its wall clock corrected by the offset
    the district server reported (``offset_ms``), so a wrong clock does not win merges."""

    def __init__(
        self,
        device_id: str,
        *,
        now_ms: Callable[[], int] = wall_clock_ms,
        last: HlcStamp | None = None,
        offset_ms: int = 0,
    ) -> None:
        self._device_id = device_id
        self._raw_ms = now_ms
        self._offset_ms = 0
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        if offset_ms:
            self.correct(offset_ms)

    @property
    def device_id(self) -> str:
        return self._device_id

    def wall_ms(self) -> int:
        """This device's own wall clock (uncorrected): what a server offset is measured on."""
        return self._raw_ms()

    def _now_ms(self) -> int:
        return self._raw_ms() + self._offset_ms

    def correct(self, offset_ms: int) -> None:
        """Stamp on the wall clock plus ``offset_ms`` from now on (the server's time minus
        this device's). Stamps already issued far ahead of the corrected time are left
        behind: the clock restarts at the corrected time. An offset within
        ``TOLERANCE_MS`` is the network's delay, not a wrong clock: it is ignored."""
        self._offset_ms = offset_ms if abs(offset_ms) > TOLERANCE_MS else 0
        now = self._now_ms()
        if self._wall > now + MAX_AHEAD_MS:
            self._wall, self._counter = now, 0

    def last(self) -> HlcStamp:
        """The most recent stamp issued or observed."""
        return HlcStamp(self._wall, self._counter, self._device_id)

    def tick(self, after: HlcStamp | None = None) -> HlcStamp:
        """A stamp for a local edit, later than anything seen so far and than ``after``
        (the edited record's current stamp: an edit always beats the version it edits)."""
        now = self._now_ms()
        if now > self._wall:
            self._wall, self._counter = now, 0
        else:
            self._counter += 1
        stamp = self.last()
        if after is not None and (stamp.wall_ms, stamp.counter) <= (after.wall_ms, after.counter):
            return HlcStamp(after.wall_ms, after.counter + 1, self._device_id)
        return stamp

    def observe(self, remote: HlcStamp) -> HlcStamp:
        """Move past a stamp received from another device (sync pull), unless it lies more
        than ``MAX_AHEAD_MS`` past the corrected wall clock (a fast laptop's stamp)."""
        now = self._now_ms()
        if remote.wall_ms > now + MAX_AHEAD_MS:
            return self.last()
        wall = max(now, self._wall, remote.wall_ms)
        if wall == self._wall == remote.wall_ms:
            counter = max(self._counter, remote.counter) + 1
        elif wall == self._wall:
            counter = self._counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self._wall, self._counter = wall, counter
        return self.last()
