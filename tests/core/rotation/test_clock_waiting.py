"""A run that waits for the teacher between rounds, and one that starts each round by
itself: both exact on replay, neither counts ticks."""

from __future__ import annotations

import random

import pytest

from station_rotation.core.rotation.clock import InvalidCommand, Phase, RotationClock, RunSpec
from station_rotation.core.rotation.events import ClockEvent, EventKind

MIN = 60.0


def _replayed(clock: RotationClock) -> RotationClock:
    """The clock as a restart rebuilds it from the durable log (through JSON)."""
    logged = [ClockEvent.from_json(e.to_json()) for e in clock.events]
    return RotationClock(clock.spec, logged)


def test_auto_advance_starts_the_next_round_at_the_end_of_the_transition() -> None:
    """On (the default): round 2 starts by itself when the move time is up."""
    clock = RotationClock(RunSpec((10 * MIN, 10 * MIN), transition_seconds=MIN))
    assert clock.spec.auto_advance
    clock.start(0)
    view = clock.view(11 * MIN + 30)
    assert (view.phase, view.round_number, view.waiting) == (Phase.ROUND, 2, False)
    assert view.remaining == pytest.approx(9 * MIN + 30)


def test_waiting_run_holds_after_the_transition_until_the_teacher_begins() -> None:
    """Off: after the move the clock waits, however long; the round then runs its full
    length from the teacher's key press."""
    clock = RotationClock(RunSpec((10 * MIN, 10 * MIN), MIN, auto_advance=False))
    clock.start(0)
    during = clock.view(10 * MIN + 20)
    assert (during.phase, during.waiting, during.running) == (Phase.TRANSITION, False, True)
    for now in (11 * MIN, 11 * MIN + 0.001, 25 * MIN, 3 * 3600.0):
        view = clock.view(now)
        assert (view.phase, view.round_number, view.waiting) == (Phase.TRANSITION, 2, True)
        assert view.remaining == view.segment_seconds == 10 * MIN and not view.running
    clock.begin_round(14 * MIN)
    view = clock.view(20 * MIN)
    assert (view.phase, view.round_number, view.waiting) == (Phase.ROUND, 2, False)
    assert view.remaining == pytest.approx(4 * MIN)
    assert clock.view(24 * MIN).phase is Phase.FINISHED


def test_waiting_without_a_transition_holds_between_rounds() -> None:
    """No move time: the clock waits as soon as a round ends (never before round 1)."""
    clock = RotationClock(RunSpec((5 * MIN,) * 3, auto_advance=False))
    clock.start(0)
    assert clock.view(0).phase is Phase.ROUND  # round 1 starts with Start itself
    view = clock.view(7 * MIN)
    assert (view.phase, view.round_number, view.waiting) == (Phase.TRANSITION, 2, True)


def test_the_wait_is_exact_on_replay_after_a_crash() -> None:
    """Killed while waiting, and again in the begun round: the rebuilt clock agrees to
    the millisecond, with no tick counted in between."""
    spec = RunSpec((12 * MIN, 12 * MIN, 12 * MIN), 90.0, auto_advance=False)
    clock = RotationClock(spec)
    clock.start(0)
    clock.pause(3 * MIN)
    clock.resume(4 * MIN)
    clock.add_time(5 * MIN, MIN)
    # round 1 ends at 12 + 1 + 1 = 14 min, the move at 15.5 min: waiting from then on
    rebuilt = _replayed(clock)
    assert rebuilt.view(40 * MIN) == clock.view(40 * MIN)
    assert rebuilt.view(40 * MIN).waiting
    rebuilt.begin_round(41 * MIN)
    again = _replayed(rebuilt)
    view = again.view(50 * MIN + 0.25)
    assert (view.phase, view.round_number) == (Phase.ROUND, 2)
    assert view.remaining == pytest.approx(3 * MIN - 0.25, abs=1e-9)
    assert again.events[-1].kind is EventKind.BEGIN_ROUND


def test_no_drift_through_a_day_of_waits_with_late_ticks() -> None:
    """Ticks late or missing for minutes: each round still ends exactly its length after
    the teacher began it, and each wait starts exactly at the move's deadline."""
    spec = RunSpec((20 * MIN,) * 6, 2 * MIN, auto_advance=False)
    clock = RotationClock(spec)
    rng = random.Random(17)
    clock.start(0.0)
    began = 0.0
    now = 0.0
    for round_index in range(6):
        end = began + 20 * MIN
        while now < end - 1:
            now = min(now + rng.choice([0.3, 1.0, 4.0, 95.0]) * rng.random(), end - 1)
            view = clock.view(now)
            assert (view.phase, view.round_index) == (Phase.ROUND, round_index)
            assert view.remaining == pytest.approx(end - now, abs=1e-6)
        if round_index == 5:
            break
        assert clock.view(end + 2 * MIN - 0.001).waiting is False
        assert clock.view(end + 2 * MIN).waiting is True
        began = end + 2 * MIN + rng.uniform(0, 600)  # the teacher takes her time
        now = began
        clock.begin_round(began)
    assert clock.view(began + 20 * MIN).phase is Phase.FINISHED


def test_commands_while_waiting() -> None:
    """Pause and +1 minute make no sense before the round starts and say so; Next
    starts the round; Back goes to the round that just ended; Begin twice is refused."""
    clock = RotationClock(RunSpec((5 * MIN, 5 * MIN), MIN, auto_advance=False))
    clock.start(0)
    with pytest.raises(InvalidCommand, match="already started"):
        clock.begin_round(1)
    with pytest.raises(InvalidCommand, match="not started yet"):
        clock.pause(7 * MIN)
    with pytest.raises(InvalidCommand, match="not started yet"):
        clock.add_time(7 * MIN, MIN)
    clock.skip_back(7 * MIN)
    view = clock.view(7 * MIN)
    assert (view.phase, view.round_number, view.remaining) == (Phase.ROUND, 1, 5 * MIN)
    clock.skip_forward(8 * MIN)  # into the move: the teacher's own skip
    clock.skip_forward(8 * MIN)  # the move done early: round 2 starts at once
    assert clock.view(8 * MIN).phase is Phase.ROUND
    clock.add_time(9 * MIN, -10 * MIN)  # the last round taken away: finished
    assert clock.view(9 * MIN).phase is Phase.FINISHED


def test_removing_the_move_time_lands_in_the_wait() -> None:
    """-1 minute that ends the move early waits for the teacher, as the deadline would."""
    clock = RotationClock(RunSpec((5 * MIN, 5 * MIN), MIN, auto_advance=False))
    clock.start(0)
    clock.skip_forward(MIN)
    clock.add_time(MIN + 1, -MIN)
    assert clock.view(MIN + 1).waiting
