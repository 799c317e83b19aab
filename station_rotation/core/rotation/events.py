"""The commands a teacher gives a running rotation, as events in a durable log.

Each event carries the time it happened on the clock's timeline (``at``, seconds). The
clock's whole state is a fold over these events, so after a crash the run is rebuilt by
replaying them, and the remaining time comes out right to the millisecond.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    ADD_TIME = "add_time"  # seconds may be negative (remove time)
    SKIP_FORWARD = "skip_forward"
    SKIP_BACK = "skip_back"
    END = "end"
    # The teacher starts a round the clock is waiting on (a run that does not
    # auto-advance waits after each transition until this event).
    BEGIN_ROUND = "begin_round"


@dataclass(frozen=True)
class ClockEvent:
    """One command, at time ``at`` (seconds on the clock's timeline)."""

    kind: EventKind
    at: float
    seconds: float = 0.0  # only for ADD_TIME

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "kind": self.kind.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClockEvent:
        return cls(EventKind(data["kind"]), float(data["at"]), float(data.get("seconds", 0.0)))
