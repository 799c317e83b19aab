"""Schedule generation: the one entry point the services and the UI call."""

from __future__ import annotations

from station_rotation.core.scheduling.attempt import attempt
from station_rotation.core.scheduling.explain import explain
from station_rotation.core.scheduling.instance import validate
from station_rotation.core.scheduling.model import PlanRequest, ScheduleResult


def generate_schedule(request: PlanRequest) -> ScheduleResult:
    """A timetable that meets every constraint, or an explanation with verified fixes.

    Raises :class:`~station_rotation.core.errors.ValidationError` only for input no
    plan can be made of (a path naming a deleted station, a group with no students).
    """
    validate(request)
    timetable = attempt(request)
    if timetable is not None:
        return timetable
    return explain(request)
