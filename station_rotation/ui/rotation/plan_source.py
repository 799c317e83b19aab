"""The class's plans, as the panel offers them: today's plan first, then the others.

A class without plans still has the quick timer (rounds of a fixed length, no board).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.services.app import AppServices


@dataclass(frozen=True)
class PlanChoice:
    plan_id: str
    name: str
    today: bool


def plan_choices(
    services: AppServices, class_id: str, *, today: date | None = None
) -> list[PlanChoice]:
    """The class's lesson plans (no templates), today's first, then newest lesson first."""
    day = today or date.today()
    todays = services.plans.plan_for_day(class_id, day)
    choices = [PlanChoice(todays.id, todays.name, True)] if todays is not None else []
    for plan in services.plans.list_plans(class_id, templates=False):
        if todays is None or plan.id != todays.id:
            choices.append(PlanChoice(plan.id, plan.name, plan.lesson_date == day))
    return choices


def run_for(services: AppServices, plan_id: str) -> tuple[RunSpec, Board]:
    """The plan's timing and board; a ValidationError says plainly why it cannot run."""
    return services.plans.run_for(plan_id)
