"""Clock arithmetic for a plan: how many rounds fit in the period, and when each starts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from station_rotation.core.scheduling.model import Pace, RoundTimes

_DAY = datetime(2000, 1, 1)


def period_minutes(start: time, end: time) -> int:
    return int((datetime.combine(_DAY, end) - datetime.combine(_DAY, start)).total_seconds() // 60)


def minutes_needed(rounds: int, pace: Pace) -> int:
    """Rounds back to back with a transition between two rounds (none after the last)."""
    if rounds <= 0:
        return 0
    return rounds * pace.round_minutes + (rounds - 1) * pace.transition_minutes


def rounds_that_fit(pace: Pace, start: time, end: time) -> int:
    step = pace.round_minutes + pace.transition_minutes
    return max(0, (period_minutes(start, end) + pace.transition_minutes) // step)


def longest_round_for(rounds: int, pace: Pace, start: time, end: time) -> int:
    """The longest whole-minute round that lets ``rounds`` rounds fit in the period."""
    room = period_minutes(start, end) - (rounds - 1) * pace.transition_minutes
    return max(0, room // rounds)


def round_times(rounds: int, pace: Pace, start: time) -> tuple[RoundTimes, ...]:
    begin = datetime.combine(_DAY, start)
    out = []
    for index in range(rounds):
        round_start = begin + timedelta(
            minutes=index * (pace.round_minutes + pace.transition_minutes)
        )
        round_end = round_start + timedelta(minutes=pace.round_minutes)
        out.append(RoundTimes(index + 1, round_start.time(), round_end.time()))
    return tuple(out)
