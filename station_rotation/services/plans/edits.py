"""The plan page's small edits, as changes to a plan document: a group's fields, the pace,
a student given a path of their own.

The page sends what the teacher changed in one gesture (a group renamed, a path
reordered, the round length); :class:`~station_rotation.services.plans.plans.PlanService`
applies it to the stored document here and saves it through the same checks as a
whole-document save. The fields are declared, so a page cannot set one the document
does not have.
"""

from __future__ import annotations

from datetime import time
from typing import TypedDict, TypeVar

from pydantic import BaseModel

from station_rotation.core.errors import ValidationError
from station_rotation.services.plans.schedule import OWN_PATH_PREFIX
from station_rotation.store.plan_body import OwnPath, PlanBody, PlanStop


class GroupFields(TypedDict, total=False):
    """What can be changed of a group; of a student's own path, all but name."""

    name: str
    colour: str
    path: list[PlanStop]
    needs_support: bool
    teacher_round: int | None  # None: the first round
    extra_minutes: int
    extra_rounds: int


class PaceFields(TypedDict, total=False):
    """The lesson's pace and period, and the fast-finisher instructions."""

    round_minutes: int
    transition_minutes: int
    rounds: int | None  # None: as many as fit
    ordered_paths: bool
    auto_advance: bool
    start: time
    end: time
    fast_finisher: str


M = TypeVar("M", bound=BaseModel)
_PACE = frozenset(
    {"round_minutes", "transition_minutes", "rounds", "ordered_paths", "auto_advance"}
)


def with_group_fields(body: PlanBody, group_id: str, fields: GroupFields) -> PlanBody | None:
    """``body`` with ``fields`` changed in group ``group_id`` (``own:<student id>``: that
    student's own path); None when the student is no longer on an own path (nothing to
    change). A group no longer in the plan is refused (:meth:`PlanBody.group`'s message).
    """
    body = body.model_copy(deep=True)
    if group_id.startswith(OWN_PATH_PREFIX):
        student_id = group_id.removeprefix(OWN_PATH_PREFIX)
        for index, own in enumerate(body.own_paths):
            if own.student_id == student_id:
                body.own_paths[index] = _changed(own, fields)
                return body
        return None
    body.group(group_id)  # refuses a group that is gone
    body.groups = [
        _changed(group, fields) if group.id == group_id else group for group in body.groups
    ]
    return body


def with_own_path(body: PlanBody, student_id: str) -> PlanBody | None:
    """``body`` with ``student_id`` on a path of their own, their group's path to start
    (saving moves them out of the group); None when they already have one."""
    if any(own.student_id == student_id for own in body.own_paths):
        return None
    body = body.model_copy(deep=True)
    group = next((g for g in body.groups if student_id in g.student_ids), None)
    path = [stop.model_copy() for stop in group.path] if group else []
    body.own_paths.append(OwnPath(student_id=student_id, path=path))
    return body


def _changed(part: M, fields: GroupFields) -> M:
    unknown = set(fields) - set(type(part).model_fields)
    if unknown:
        raise ValidationError(f"A student's own path has no {', '.join(sorted(unknown))}.")
    return part.model_copy(update=dict(fields))


def with_pace_fields(body: PlanBody, fields: PaceFields) -> PlanBody:
    """``body`` with ``fields`` changed: the pace's in ``body.pace``, the rest in the body."""
    pace = {name: value for name, value in fields.items() if name in _PACE}
    rest = {name: value for name, value in fields.items() if name not in _PACE}
    return body.model_copy(deep=True, update={**rest, "pace": body.pace.model_copy(update=pace)})
