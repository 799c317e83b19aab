"""When to chime: a warning before a round ends, and a signal when the segment changes.

Plain Python over successive :class:`ClockView`s, so the rule is tested with a fake
clock and does not care how late or how often the ticker ticks: a cue fires when a
threshold is *crossed* between two views, never when a tick lands on an exact second.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from station_rotation.core.rotation.board import Board, GroupMove
from station_rotation.core.rotation.clock import ClockView, Phase

DEFAULT_WARNING_SECONDS = 60


class Cue(StrEnum):
    WARNING = "warning"  # the round ends soon
    CHANGE = "change"  # a round or a transition began, or the run ended


def _segment(view: ClockView) -> tuple[Phase, int, bool]:
    # The end of the move time is a change too when the next round waits for the teacher.
    return (view.phase, view.round_index, view.waiting)


@dataclass
class CueDetector:
    """Feed it every view the ticker produces; it says which cues to give."""

    warning_seconds: float = DEFAULT_WARNING_SECONDS
    _last: ClockView | None = None

    def reset(self) -> None:
        """Forget the last view (a new run, or a resumed one: nothing to announce yet)."""
        self._last = None

    def feed(self, view: ClockView) -> list[Cue]:
        last, self._last = self._last, view
        if last is None or view.phase is Phase.NOT_STARTED:
            return []
        if _segment(last) != _segment(view):
            return [Cue.CHANGE]
        warn = self.warning_seconds
        if (
            view.phase is Phase.ROUND
            and warn > 0
            and last.remaining > warn >= view.remaining
            and view.remaining > 0
        ):
            return [Cue.WARNING]
        return []


def moves_for(board: Board | None, view: ClockView) -> list[GroupMove]:
    """Each group's station now and next, as the teacher and the room read them.

    During a transition the groups are leaving the round that ended ("now") for the round
    about to start ("next").
    """
    if board is None or not board.groups:
        return []
    if view.phase is Phase.TRANSITION:
        return board.moves(view.round_index - 1)
    return board.moves(view.round_index)


def format_remaining(seconds: float) -> str:
    """``m:ss`` rounded up, so "0:00" shows only when the time is really out."""
    whole = max(0, int(-(-seconds // 1)))
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def describe(view: ClockView) -> str:
    """One line on where the run is ("Round 2 of 4", "Transition to round 3", ...)."""
    if view.phase is Phase.NOT_STARTED:
        return "Not started"
    if view.phase is Phase.FINISHED:
        return "Finished"
    if view.waiting:
        return f"Ready: press Space to start round {view.round_number} of {view.rounds}"
    if view.phase is Phase.TRANSITION:
        text = f"Clean up and move: round {view.round_number} of {view.rounds} next"
    else:
        text = f"Round {view.round_number} of {view.rounds}"
    return f"{text} — paused" if view.paused else text
