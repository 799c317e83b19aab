"""Who is absent today, as the quick-check grid must know it: the students today's plan
(and the plan of the run going now) marks absent.

A mark made during the run counts from then on: the grid reads this again whenever a
plan changes, so a student marked absent at 10:20 is not waited for from 10:20, and
the levels she was given before stay hers.
"""

from __future__ import annotations

from datetime import date

from station_rotation.core.errors import StationRotationError
from station_rotation.core.rotation.clock import Phase
from station_rotation.services.app import AppServices


def absent_today(
    services: AppServices, class_id: str, *, today: date | None = None
) -> frozenset[str]:
    """Students marked absent in the class's plan for today or in a running run's plan."""
    absent: set[str] = set()
    try:
        plan_ids: list[str] = []
        todays = services.plans.plan_for_day(class_id, today)
        if todays is not None:
            absent.update(todays.body.absent_ids)
        for live in services.rotation.unfinished_runs(class_id):
            board = live.board
            if board is None or not board.plan_id:
                continue
            if services.rotation.view(live.run_id).phase is not Phase.FINISHED:
                plan_ids.append(board.plan_id)
        for plan_id in plan_ids:
            if todays is None or plan_id != todays.id:
                absent.update(services.plans.get(plan_id).body.absent_ids)
    except StationRotationError:
        pass  # an unreadable plan must not stop the teacher from checking
    return frozenset(absent)
