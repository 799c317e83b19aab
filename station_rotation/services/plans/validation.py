"""Checking a plan document against its class, and bringing an old plan up to today.

Saving refuses what no schedule could be made of (a student who is not in the class, a
station the class does not have, a student in two groups) with a sentence that names
the group and the student. A copy ("same as last Tuesday") or a plan from a template is
*refreshed* instead: students who left and stations that were archived drop out, new
students join the smallest groups, and nobody is absent yet.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from station_rotation.core.errors import ValidationError
from station_rotation.core.scheduling.model import Pace
from station_rotation.core.scheduling.timing import minutes_needed
from station_rotation.services.plans.class_today import ClassContext
from station_rotation.store.plan_body import PlanBody, PlanStop


def check_body(body: PlanBody, context: ClassContext) -> None:
    """Raise a plain ValidationError for anything that does not belong to the class."""
    if body.end <= body.start:
        raise ValidationError("The period must end after it starts.")
    seen_groups: set[str] = set()
    where: dict[str, str] = {}
    paths: list[tuple[str, list[PlanStop]]] = []
    for group in body.groups:
        if group.id in seen_groups:
            raise ValidationError(f"Two groups share one id ({group.name}).")
        seen_groups.add(group.id)
        for sid in group.student_ids:
            if sid not in context.members:
                raise ValidationError(f"Group {group.name} has a student who is not in this class.")
            if sid in where:
                earlier = where[sid]
                raise ValidationError(
                    f"{context.name_of(sid)} is in two groups ({earlier} and {group.name}); "
                    "a student can be in one group only."
                )
            where[sid] = group.name
        paths.append((f"Group {group.name}", group.path))
    alone: set[str] = set()
    for own in body.own_paths:
        if own.student_id not in context.members:
            raise ValidationError("An own path belongs to a student who is not in this class.")
        if own.student_id in alone:
            raise ValidationError(f"{context.name_of(own.student_id)} has two own paths.")
        alone.add(own.student_id)
        paths.append((f"{context.name_of(own.student_id)}'s own path", own.path))
    for who, path in paths:
        seen: set[str] = set()
        for stop in path:
            station = context.station(stop.station_id)
            if station is None:
                raise ValidationError(f"{who} names a station this class does not have.")
            if station.archived:
                raise ValidationError(
                    f"{who} goes to {station.name}, which is archived; restore the station "
                    "or take it off the path."
                )
            if stop.station_id in seen:
                raise ValidationError(f"{who} visits {station.name} twice.")
            seen.add(stop.station_id)
    unknown = [sid for sid in body.absent_ids if sid not in context.members]
    if unknown:
        raise ValidationError("A student marked absent is not in this class.")


def smallest_group_first(body: PlanBody, student_id: str) -> None:
    """Put a student who is in no group into the group with the fewest students."""
    if not body.groups or student_id in body.member_ids():
        return
    smallest = min(body.groups, key=lambda g: len(g.student_ids))
    smallest.student_ids.append(student_id)


def refresh(body: PlanBody, context: ClassContext) -> PlanBody:
    """A copy of ``body`` for another day: today's roster and stations, nobody absent."""
    fresh = body.model_copy(deep=True)
    active = set(context.active_ids)
    live_stations = {s.id for s in context.active_stations}
    fresh.absent_ids = []
    fresh.own_paths = [own for own in fresh.own_paths if own.student_id in active]
    for own in fresh.own_paths:
        own.path = [stop for stop in own.path if stop.station_id in live_stations]
    for group in fresh.groups:
        group.student_ids = [sid for sid in group.student_ids if sid in active]
        group.path = [stop for stop in group.path if stop.station_id in live_stations]
    for sid in context.active_ids:
        smallest_group_first(fresh, sid)
    return fresh


def default_pace(context: ClassContext) -> Pace:
    """The round length most of the class's stations ask for (the longer one on a tie)."""
    minutes = [s.default_minutes for s in context.active_stations] or [15]
    best = max(set(minutes), key=lambda m: (minutes.count(m), m))
    return Pace(best, 2)


def period_end_for(body: PlanBody, rounds: int) -> datetime:
    """The end of a period that holds ``rounds`` rounds, rounded up to five minutes."""
    pace = Pace(body.pace.round_minutes, body.pace.transition_minutes)
    minutes = 5 * math.ceil(max(1, minutes_needed(rounds, pace)) / 5)
    return datetime.combine(datetime(2000, 1, 1), body.start) + timedelta(minutes=minutes)
