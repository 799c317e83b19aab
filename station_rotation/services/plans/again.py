""" "The last plan again": the latest lesson copied to today, regrouped from the latest
quick checks, with what changed said in a line the teacher reads before she starts.

The Rotation page offers it when there is no plan for today, so a teacher who runs the
same stations every day starts class in one action. The copy keeps the stations, paths,
pace and pairs (``PlanService.copy``); the groups are formed again by tiers from each
student's latest standing check when the class has any, else they stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_rotation.core.errors import ValidationError
from station_rotation.services.app import AppServices
from station_rotation.store.plan_body import Plan, PlanSummary

MOVES_LISTED = 8  # more than this and the line says "and N more"


@dataclass(frozen=True)
class Moved:
    """A student whose group is not the one she had last time."""

    student: str
    from_group: str  # "" if she was in no group (new to the class, or absent then)
    to_group: str


@dataclass(frozen=True)
class PlanAgain:
    """Today's copy of the last plan and what regrouping changed."""

    plan: Plan
    source: PlanSummary
    regrouped: bool  # False: no quick checks yet, the groups are as last time
    moved: tuple[Moved, ...]
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the page: "3 students moved: Ana → Blue, ..."."""
        if not self.regrouped:
            return (
                f"“{self.source.name}” again, same groups: there are no quick checks yet "
                "to regroup by."
            )
        if not self.moved:
            return (
                f"“{self.source.name}” again: the latest quick checks keep every group as it was."
            )
        shown = ", ".join(f"{m.student} → {m.to_group}" for m in self.moved[:MOVES_LISTED])
        more = len(self.moved) - MOVES_LISTED
        tail = f", and {more} more" if more > 0 else ""
        count = len(self.moved)
        students = "student" if count == 1 else "students"
        return (
            f"“{self.source.name}” again, regrouped from the latest quick checks: "
            f"{count} {students} moved: {shown}{tail}."
        )


def last_lesson(services: AppServices, class_id: str, *, before: date) -> PlanSummary | None:
    """The class's latest lesson plan dated before ``before`` (or undated), if any."""
    for plan in services.plans.list_plans(class_id, templates=False):
        if plan.lesson_date is None or plan.lesson_date < before:
            return plan
    return None


def plan_again(services: AppServices, class_id: str, *, day: date | None = None) -> PlanAgain:
    """Copy the latest lesson to ``day`` (today) and regroup it from the latest checks.

    Raises a ValidationError when the class has no lesson plan to copy yet.
    """
    day = day or date.today()
    source = last_lesson(services, class_id, before=day)
    if source is None:
        raise ValidationError(
            "This class has no earlier plan to start again; make one on the Plan page."
        )
    before = services.plans.get(source.id).body
    copy = services.plans.copy(source.id, name=source.name, lesson_date=day)
    if not services.quick_checks.current(class_id) or not copy.body.groups:
        return PlanAgain(copy, source, False, ())
    formed = services.plans.form_groups(copy.id, method="tiers", count=len(copy.body.groups))
    names = {e.student.id: e.student.display_name for e in services.roster.roster(class_id)}
    old = {sid: g.name for g in before.groups for sid in g.student_ids}
    absent = set(formed.plan.body.absent_ids)
    moved = tuple(
        Moved(names.get(sid, "A student"), old.get(sid, ""), group.name)
        for group in formed.plan.body.groups
        for sid in group.student_ids
        if sid not in absent and old.get(sid) != group.name
    )
    return PlanAgain(formed.plan, source, True, moved, formed.warnings)
