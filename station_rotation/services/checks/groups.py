"""Which students a check is taken for: a group of today's plan, or the group the teacher
is with right now at the teacher-led station of a running rotation.

The quick-check grid, the Insights page and the companion's quick-check pad share it.
A run's members come from its lineup once a change was made during the run (a late
student, a move: ``services/run_changes.py``), and until then from the plan the run was
started from; the board a run shows has first names only (what the projector may show).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from station_rotation.core.errors import StationRotationError
from station_rotation.core.stations import StationKind
from station_rotation.services.app import AppServices
from station_rotation.services.plans.schedule import OWN_PATH_PREFIX
from station_rotation.store.plan_body import PlanBody


@dataclass(frozen=True)
class GroupChoice:
    """A set of students to check, and where the checks are taken (run and station)."""

    label: str
    student_ids: tuple[str, ...] = field(default=())
    run_id: str | None = None
    station_id: str | None = None
    whole_class: bool = False


def plan_groups(
    services: AppServices, class_id: str, *, today: date | None = None
) -> list[GroupChoice]:
    """The groups of the class's plan for today (else its newest lesson plan).

    Students the plan marks absent today are left out: there is nobody to check.
    """
    try:
        plan = services.plans.plan_for_day(class_id, today)
        if plan is None:
            newest = services.plans.list_plans(class_id, templates=False)
            if not newest:
                return []
            plan = services.plans.get(newest[0].id)
    except StationRotationError:
        return []  # an unreadable plan must not stop the teacher from checking
    absent = set(plan.body.absent_ids)
    choices = []
    for group in plan.body.groups:
        present = tuple(s for s in group.student_ids if s not in absent)
        if present:
            choices.append(GroupChoice(f"{group.name} ({len(present)})", present))
    return choices


def teacher_led_group(services: AppServices, run_id: str) -> GroupChoice | None:
    """The group at the run's teacher-led station in the current round, with its members.

    Members come from the run's lineup (changed during the run), else from the plan the
    run was started from (the board keeps its id); the board itself holds first names
    only, which is what the projector may show.
    """
    live = services.rotation.live(run_id)
    board = live.board
    if board is None:
        return None
    view = services.rotation.view(run_id)
    for move in board.moves(view.round_index):
        if move.now is None or move.now.kind != StationKind.TEACHER_LED.value:
            continue
        members: tuple[str, ...] | None = (
            tuple(live.lineup.members.get(move.group.id, ()))
            if live.lineup is not None
            else _plan_members(services, board.plan_id, move.group.id)
        )
        if members is None:
            members = _by_first_name(services, live.class_id, move.group.first_names)
        label = f"At {move.now.name}: {move.group.name} ({len(members)})"
        return GroupChoice(label, members, run_id=run_id, station_id=move.now.id)
    return None


@dataclass(frozen=True)
class RunGroup:
    """A group of a running rotation with its present members (ids, in the plan's order)."""

    group_id: str
    student_ids: tuple[str, ...]


def run_groups(services: AppServices, run_id: str) -> list[RunGroup]:
    """Every group on the run's board with the students in it (the companion's join)."""
    live = services.rotation.live(run_id)
    if live.board is None:
        return []
    if live.lineup is not None:  # changed during the run: the run's own members
        members_now = live.lineup.members
        return [RunGroup(g.id, tuple(members_now.get(g.id, ()))) for g in live.board.groups]
    body = _plan_body(services, live.board.plan_id)  # once: every group is in it
    out = []
    for group in live.board.groups:
        members = _members(body, group.id) if body is not None else None
        if members is None:
            members = _by_first_name(services, live.class_id, group.first_names)
        out.append(RunGroup(group.id, members))
    return out


def _plan_body(services: AppServices, plan_id: str | None) -> PlanBody | None:
    if plan_id is None:
        return None
    try:
        return services.plans.get(plan_id).body
    except StationRotationError:
        return None


def _plan_members(
    services: AppServices, plan_id: str | None, group_id: str
) -> tuple[str, ...] | None:
    body = _plan_body(services, plan_id)
    return _members(body, group_id) if body is not None else None


def _members(body: PlanBody, group_id: str) -> tuple[str, ...] | None:
    absent = set(body.absent_ids)
    for group in body.groups:
        if group.id == group_id:
            return tuple(s for s in group.student_ids if s not in absent)
    for own in body.own_paths:  # a one-student path runs as a group of its own
        if group_id == OWN_PATH_PREFIX + own.student_id:
            return (own.student_id,)
    return None


def _by_first_name(services: AppServices, class_id: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """Fallback without the plan: the roster's students with those first names."""
    wanted = set(names)
    return tuple(
        entry.student.id
        for entry in services.roster.roster(class_id)
        if entry.student.first_name in wanted
    )
