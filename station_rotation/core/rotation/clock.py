"""A rotation's clock: rounds separated by transitions, driven only by deadlines.

Remaining time is always ``deadline - now``. Nothing is decremented per tick, so a UI
that ticks late, misses ticks or sleeps for an hour still reads the right time: asking
:meth:`RotationClock.view` at any moment gives the exact state. When a segment's deadline
passes, the next segment's deadline is chained from the old deadline (not from when we
noticed), so late noticing never accumulates drift.

The timeline of a plan with n rounds is ``round 1, transition, round 2, ..., round n``.

A run that does not auto-advance (``RunSpec.auto_advance=False``) stops after each
transition (after each round when there is no transition) and waits for the teacher's
``BEGIN_ROUND``. Waiting is part of the state the events fold into, not a timer: it
starts exactly at the transition's deadline, and the round's deadline is chained from
the ``BEGIN_ROUND`` event's time, so a replay after a crash lands on the same state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

from station_rotation.core.errors import ValidationError
from station_rotation.core.rotation.events import ClockEvent, EventKind


class Phase(StrEnum):
    NOT_STARTED = "not_started"
    ROUND = "round"
    TRANSITION = "transition"
    FINISHED = "finished"


@dataclass(frozen=True)
class RunSpec:
    """How long each round lasts and the transition between rounds, in seconds."""

    round_seconds: tuple[float, ...]
    transition_seconds: float = 0.0
    auto_advance: bool = True  # False: each round after the first waits for the teacher

    def __post_init__(self) -> None:
        if not self.round_seconds:
            raise ValidationError("A rotation needs at least one round.")
        if any(s <= 0 or not math.isfinite(s) for s in self.round_seconds):
            raise ValidationError("Every round must last more than zero minutes.")
        if self.transition_seconds < 0:
            raise ValidationError("A transition cannot be negative.")

    @property
    def rounds(self) -> int:
        return len(self.round_seconds)

    def segments(self) -> list[tuple[Phase, int, float]]:
        """(phase, round index, seconds) for every segment, transitions of 0 s left out."""
        out: list[tuple[Phase, int, float]] = []
        for index, seconds in enumerate(self.round_seconds):
            if index and self.transition_seconds > 0:
                out.append((Phase.TRANSITION, index, self.transition_seconds))
            out.append((Phase.ROUND, index, seconds))
        return out


@dataclass(frozen=True)
class ClockView:
    """What the screens show at one moment."""

    phase: Phase
    round_index: int  # 0-based round being run, or about to start after a transition
    rounds: int
    remaining: float  # seconds left in the current segment
    segment_seconds: float  # the current segment's full length (with time added)
    paused: bool
    # The transition is over and round ``round_index`` waits for the teacher to start it
    # (phase TRANSITION; ``remaining`` and ``segment_seconds`` are that round's length).
    waiting: bool = False

    @property
    def round_number(self) -> int:
        return self.round_index + 1

    @property
    def running(self) -> bool:
        return self.phase in (Phase.ROUND, Phase.TRANSITION) and not (self.paused or self.waiting)


class InvalidCommand(ValidationError):
    """A command that makes no sense in the current state (pause when not running...)."""


@dataclass
class _State:
    segment: int = -1  # index into spec.segments(); -1 not started
    deadline: float = 0.0  # valid while running
    remaining: float = 0.0  # valid while paused
    length: float = 0.0  # current segment's length including added time
    paused: bool = False
    finished: bool = False
    waiting: bool = False  # at the start of round ``segment``, for the teacher
    history: list[ClockEvent] = field(default_factory=list)


class RotationClock:
    """Event-sourced clock of one rotation run; feed it commands, ask it for views."""

    def __init__(self, spec: RunSpec, events: list[ClockEvent] | None = None) -> None:
        self.spec = spec
        self._segments = spec.segments()
        self._state = _State()
        for event in events or []:
            self.apply(event)

    @property
    def events(self) -> list[ClockEvent]:
        """Every event applied so far (what the store must hold to rebuild the clock)."""
        return list(self._state.history)

    # --- commands -----------------------------------------------------------------

    def start(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.START, at))

    def pause(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.PAUSE, at))

    def resume(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.RESUME, at))

    def add_time(self, at: float, seconds: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.ADD_TIME, at, seconds))

    def skip_forward(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.SKIP_FORWARD, at))

    def skip_back(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.SKIP_BACK, at))

    def end(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.END, at))

    def begin_round(self, at: float) -> ClockEvent:
        return self.apply(ClockEvent(EventKind.BEGIN_ROUND, at))

    def apply(self, event: ClockEvent) -> ClockEvent:
        """Apply one event (a new command, or one replayed from the log)."""
        state = self._state
        if state.history and event.at < state.history[-1].at:
            raise InvalidCommand("Clock events must be applied in time order.")
        kind = event.kind
        if kind is EventKind.START:
            if state.segment != -1:
                raise InvalidCommand("This rotation has already started.")
            self._enter(0, event.at)
        else:
            if state.segment == -1:
                raise InvalidCommand("Start the rotation first.")
            self._advance(event.at)
            if state.finished:
                raise InvalidCommand("This rotation has already ended.")
            if state.waiting and kind in (EventKind.PAUSE, EventKind.ADD_TIME):
                raise InvalidCommand("The next round has not started yet: start it first (Space).")
            if kind is EventKind.BEGIN_ROUND:
                if not state.waiting:
                    raise InvalidCommand("This round has already started.")
                self._enter(state.segment, event.at)
            elif kind is EventKind.PAUSE:
                if state.paused:
                    raise InvalidCommand("The rotation is already paused.")
                state.remaining = state.deadline - event.at
                state.paused = True
            elif kind is EventKind.RESUME:
                if not state.paused:
                    raise InvalidCommand("The rotation is not paused.")
                state.deadline = event.at + state.remaining
                state.paused = False
            elif kind is EventKind.ADD_TIME:
                self._add(event.at, event.seconds)
            elif kind is EventKind.SKIP_FORWARD:
                # The teacher's own "next": it starts a waiting round, and never waits.
                self._enter(state.segment + (0 if state.waiting else 1), event.at)
            elif kind is EventKind.SKIP_BACK:
                self._enter(self._previous_round_segment(), event.at)
            elif kind is EventKind.END:
                state.finished = True
        state.history.append(event)
        return event

    # --- queries ------------------------------------------------------------------

    def view(self, now: float) -> ClockView:
        """The exact state at ``now`` (does not change the clock)."""
        probe = RotationClock.__new__(RotationClock)
        probe.spec, probe._segments = self.spec, self._segments
        probe._state = replace(self._state, history=[])
        probe._advance(now)
        return probe._view(now)

    def _view(self, now: float) -> ClockView:
        state = self._state
        if state.segment == -1:
            first = self._segments[0][2]
            return ClockView(Phase.NOT_STARTED, 0, self.spec.rounds, first, first, False)
        if state.finished:
            last_round = self._segments[min(state.segment, len(self._segments) - 1)][1]
            return ClockView(Phase.FINISHED, last_round, self.spec.rounds, 0.0, 0.0, False)
        phase, round_index, _ = self._segments[state.segment]
        if state.waiting:
            length = state.length
            return ClockView(
                Phase.TRANSITION, round_index, self.spec.rounds, length, length, False, True
            )
        remaining = state.remaining if state.paused else state.deadline - now
        return ClockView(
            phase,
            round_index,
            self.spec.rounds,
            max(0.0, remaining),
            state.length,
            state.paused,
        )

    # --- internals ----------------------------------------------------------------

    def _enter(self, segment: int, start: float) -> None:
        state = self._state
        state.waiting = False
        if segment >= len(self._segments):
            state.finished = True
            state.segment = len(self._segments) - 1
            return
        state.segment = segment
        state.length = self._segments[segment][2]
        if state.paused:
            state.remaining = state.length
        else:
            state.deadline = start + state.length

    def _advance(self, now: float) -> None:
        """Move past every deadline that has passed by ``now`` (chained, no drift)."""
        state = self._state
        while state.segment >= 0 and not (state.finished or state.paused or state.waiting):
            if now < state.deadline:
                return
            self._next(state.deadline)

    def _next(self, start: float) -> None:
        """The current segment's time is up at ``start``: the next one begins, unless it
        is a round after the first and the run waits for the teacher."""
        state = self._state
        segment = state.segment + 1
        if not self.spec.auto_advance and segment < len(self._segments):
            phase, round_index, seconds = self._segments[segment]
            if phase is Phase.ROUND and round_index > 0 and not state.paused:
                state.segment, state.length, state.waiting = segment, seconds, True
                return
        self._enter(segment, start)

    def _add(self, at: float, seconds: float) -> None:
        state = self._state
        if state.paused:
            state.remaining += seconds
            left = state.remaining
        else:
            state.deadline += seconds
            left = state.deadline - at
        state.length += seconds
        if left <= 0:  # removing time ended the segment now
            state.remaining = 0.0
            self._next(at)

    def _previous_round_segment(self) -> int:
        """Back to the start of the previous round (or restart the first round)."""
        phase, round_index, _ = self._segments[self._state.segment]
        # In a transition into round k (or waiting for it), "back" is the round that just
        # ended (k-1).
        before = phase is Phase.TRANSITION or self._state.waiting
        target = round_index - 1 if before else max(0, round_index - 1)
        for index, (seg_phase, seg_round, _) in enumerate(self._segments):
            if seg_phase is Phase.ROUND and seg_round == target:
                return index
        return 0
