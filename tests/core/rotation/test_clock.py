"""The rotation clock keeps exact time whatever the UI's ticks do, and replays exactly."""

from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from station_rotation.core.rotation.clock import InvalidCommand, Phase, RotationClock, RunSpec
from station_rotation.core.rotation.events import ClockEvent

MIN = 60.0


def _expected_at(spec: RunSpec, start: float, now: float) -> tuple[Phase, int, float]:
    """Independent reference: walk the segment boundaries by cumulative sums."""
    t = start
    for phase, round_index, seconds in spec.segments():
        if now < t + seconds:
            return phase, round_index, t + seconds - now
        t += seconds
    return Phase.FINISHED, spec.rounds - 1, 0.0


def test_zero_drift_over_a_three_hour_day_with_late_and_missed_ticks() -> None:
    """A UI ticking late, irregularly, or not at all for minutes reads the exact time."""
    spec = RunSpec(round_seconds=(20 * MIN,) * 8, transition_seconds=2 * MIN)
    assert sum(s for *_, s in spec.segments()) >= 2.9 * 3600
    rng = random.Random(2026)
    start = 1000.0
    clock = RotationClock(spec)
    clock.start(start)
    now = start
    worst = 0.0
    while now < start + 3 * 3600 + 600:
        now += rng.choice([0.25, 0.5, 1.0, 1.7, 5.0, 93.0, 600.0]) * rng.random()
        view = clock.view(now)
        phase, round_index, remaining = _expected_at(spec, start, now)
        assert (view.phase, view.round_index) == (phase, round_index)
        worst = max(worst, abs(view.remaining - remaining))
    assert worst < 1e-6  # zero drift (float rounding only)


def test_pause_resume_and_added_minutes_move_the_deadline() -> None:
    """Paused time does not count; +1 minute extends the current round only."""
    clock = RotationClock(RunSpec((10 * MIN, 10 * MIN), transition_seconds=MIN))
    clock.start(0)
    clock.pause(3 * MIN)
    assert clock.view(50 * MIN).remaining == pytest.approx(7 * MIN)
    clock.resume(50 * MIN)
    clock.add_time(51 * MIN, MIN)
    view = clock.view(51 * MIN)
    assert view.remaining == pytest.approx(7 * MIN) and view.segment_seconds == 11 * MIN
    after = clock.view(58 * MIN)  # round 1 now ends at 50 + 7 + 1 = 58: transition
    assert (after.phase, after.round_number) == (Phase.TRANSITION, 2)
    assert after.remaining == pytest.approx(MIN)


def test_skip_and_end() -> None:
    """Skip forward ends a segment now; back returns to the previous round; end finishes."""
    clock = RotationClock(RunSpec((10 * MIN,) * 3, transition_seconds=MIN))
    clock.start(0)
    clock.skip_forward(2 * MIN)
    assert clock.view(2 * MIN).phase is Phase.TRANSITION
    clock.skip_forward(2 * MIN + 5)
    view = clock.view(2 * MIN + 5)
    assert (view.phase, view.round_number, view.remaining) == (Phase.ROUND, 2, 10 * MIN)
    clock.skip_back(3 * MIN)
    assert clock.view(3 * MIN).round_number == 1
    clock.end(4 * MIN)
    assert clock.view(4 * MIN).phase is Phase.FINISHED
    with pytest.raises(InvalidCommand):
        clock.pause(5 * MIN)


def test_removing_more_time_than_is_left_moves_on() -> None:
    clock = RotationClock(RunSpec((5 * MIN, 5 * MIN)))
    clock.start(0)
    clock.add_time(4 * MIN, -2 * MIN)
    view = clock.view(4 * MIN)
    assert (view.phase, view.round_number, view.remaining) == (Phase.ROUND, 2, 5 * MIN)


def test_commands_out_of_place_are_refused_in_plain_words() -> None:
    clock = RotationClock(RunSpec((5 * MIN,)))
    with pytest.raises(InvalidCommand, match="Start the rotation first"):
        clock.pause(1)
    clock.start(0)
    with pytest.raises(InvalidCommand, match="not paused"):
        clock.resume(1)


class ClockMachine(RuleBasedStateMachine):
    """Random command sequences keep the clock's invariants and replay identically."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.clock = RotationClock(RunSpec((300.0, 420.0, 600.0), transition_seconds=60.0))

    @rule(auto=st.booleans(), transition=st.sampled_from([0.0, 60.0]))
    def new_run(self, auto: bool, transition: float) -> None:
        """Both modes, with and without a move between rounds."""
        spec = RunSpec((300.0, 420.0, 600.0), transition, auto_advance=auto)
        self.clock = RotationClock(spec)
        self.clock.start(self.now)
        self.last_round = 0

    @initialize()
    def begin(self) -> None:
        self.clock.start(self.now)

    @rule(dt=st.floats(0, 900, allow_nan=False))
    def wait(self, dt: float) -> None:
        before = self.clock.view(self.now)
        self.now += dt
        after = self.clock.view(self.now)
        if before.running:
            assert (after.round_index, after.phase != before.phase) >= (before.round_index, False)

    @rule(
        command=st.sampled_from(
            ["pause", "resume", "skip_forward", "skip_back", "end", "begin_round"]
        )
    )
    def command(self, command: str) -> None:
        with contextlib.suppress(InvalidCommand):
            getattr(self.clock, command)(self.now)

    @rule(seconds=st.sampled_from([60.0, 300.0, -60.0, -600.0]))
    def add(self, seconds: float) -> None:
        with contextlib.suppress(InvalidCommand):
            self.clock.add_time(self.now, seconds)

    @invariant()
    def remaining_is_within_the_segment(self) -> None:
        view = self.clock.view(self.now)
        assert 0.0 <= view.remaining <= max(view.segment_seconds, 0.0) + 1e-9
        assert 0 <= view.round_index < view.rounds

    @invariant()
    def replay_gives_the_same_state(self) -> None:
        logged = [ClockEvent.from_json(e.to_json()) for e in self.clock.events]
        replayed = RotationClock(self.clock.spec, logged)
        assert replayed.view(self.now) == self.clock.view(self.now)


ClockMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
TestClockMachine = ClockMachine.TestCase
