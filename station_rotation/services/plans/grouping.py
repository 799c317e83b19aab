"""Forming a plan's groups from the store: the roster, needs-support notes and quick checks.

The core's ``suggest_groups`` does the forming; this module feeds it (each student's
latest standing result per target, normalised by the target's scale) and turns its
answer into plan groups with paths: a needs-support group meets the teacher-led station
first, a second one in round 2, and so on, so they never queue for the one teacher.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from station_rotation.core.errors import ValidationError
from station_rotation.core.scheduling.grouping import (
    GroupingRequest,
    Method,
    Pupil,
    suggest_groups,
)
from station_rotation.core.scheduling.palette import default_name
from station_rotation.core.scheduling.tiers import Observation, Tier
from station_rotation.services.plans.class_today import ClassContext, RoomStation
from station_rotation.services.plans.pairs import keep_pairs_of
from station_rotation.services.plans.validation import default_pace, period_end_for
from station_rotation.store.plan_body import PlanBody, PlanGroup, PlanPace, PlanStop

GroupMethod = Literal["random", "balanced", "tiers", "mixed"]
DEFAULT_GROUPS = 4


@dataclass(frozen=True)
class Formed:
    """New groups, each student's tier (for the teacher only) and what could not be kept."""

    groups: tuple[PlanGroup, ...]
    student_tiers: dict[str, str]
    group_tiers: dict[str, str | None]
    warnings: tuple[str, ...]


def rotation_order(stations: Sequence[RoomStation]) -> list[RoomStation]:
    """The stations a rotation cycles through: the teacher-led one first."""
    return sorted(stations, key=lambda s: not s.teacher_led)


def assign_paths(groups: list[PlanGroup], stations: Sequence[RoomStation]) -> list[str]:
    """Give every group a rotating path; needs-support groups meet the teacher in turn.

    Group at offset ``o`` is at ``order[(o + r) % n]`` in round ``r``; the k-th support
    group gets offset ``-k`` so it is at the teacher-led station (index 0) in round k+1.
    Returns warnings (no teacher-led station to meet).
    """
    order = rotation_order(stations)
    n = len(order)
    warnings: list[str] = []
    if n == 0:
        for group in groups:
            group.path = []
        return ["This class has no stations yet, so the groups have no paths."]
    has_teacher = order[0].teacher_led
    support = [g for g in groups if g.needs_support]
    if support and not has_teacher:
        warnings.append(
            "No station is teacher-led, so the groups that need support cannot meet the "
            "teacher; make a station teacher-led to plan that."
        )
        for group in support:
            group.needs_support = False
        support = []
    offsets: dict[str, int] = {}
    for k, group in enumerate(support[:n]):
        offsets[group.id] = (n - k) % n
        group.teacher_round = None if k == 0 else k + 1
    free = [o for o in range(n) if o not in offsets.values()]
    k = 0
    for group in groups:
        if group.id not in offsets:
            offsets[group.id] = free[k] if k < len(free) else k % n
            k += 1
    for group in groups:
        o = offsets[group.id]
        group.path = [PlanStop(station_id=order[(o + r) % n].id) for r in range(n)]
    return warnings


def form(
    context: ClassContext,
    body: PlanBody,
    method: GroupMethod,
    *,
    count: int | None,
    size: int | None,
    observed: Sequence[Observation],
    target_ids: Sequence[str],
    keep_apart: Sequence[tuple[str, str]],
    keep_together: Sequence[tuple[str, str]],
    seed: int | None,
) -> Formed:
    """Groups of today's present students (own-path students aside), with paths."""
    if method not in ("random", "balanced", "tiers", "mixed"):
        raise ValidationError("Choose random, balanced, tiers or mixed groups.")
    if count is None and size is None:
        count = len(body.groups) or DEFAULT_GROUPS
    absent = set(body.absent_ids)
    alone = {own.student_id for own in body.own_paths}
    pupils = tuple(
        Pupil(
            sid,
            context.name_of(sid),
            absent=sid in absent,
            needs_support=sid in context.flagged,
        )
        for sid in context.active_ids
        if sid not in alone
    )
    core_method = {"random": Method.RANDOM, "tiers": Method.TIERS}.get(method, Method.MIXED)
    uses_data = method in ("tiers", "mixed")
    result = suggest_groups(
        GroupingRequest(
            pupils,
            core_method,
            groups=count,
            size=size,
            seed=random.randrange(2**31) if seed is None else seed,
            keep_apart=tuple(keep_apart),
            keep_together=tuple(keep_together),
            observations=tuple(observed) if uses_data else (),
            target_ids=tuple(target_ids) or None,
        )
    )
    groups = [
        PlanGroup(
            name=default_name(index),
            colour=suggested.colour.hex,
            student_ids=list(suggested.student_ids),
            needs_support=suggested.tier is Tier.NEEDS_SUPPORT,
        )
        for index, suggested in enumerate(result.groups)
    ]
    warnings = list(result.warnings)
    warnings += assign_paths(groups, context.active_stations)
    names = sorted(context.members.values(), key=lambda m: -len(m.id))
    readable = []
    for warning in warnings:
        for member in names:
            warning = warning.replace(member.id, member.display_name)
        readable.append(warning)
    tiers = {
        g.id: (s.tier.label if s.tier is not None else None)
        for g, s in zip(groups, result.groups, strict=True)
    }
    return Formed(
        tuple(groups),
        {sid: tier.label for sid, tier in result.tiers.items()},
        tiers,
        tuple(readable),
    )


def default_body(context: ClassContext, pairs_from: PlanBody | None = None) -> PlanBody:
    """A plan that works out of the box: the stations in order, 4 balanced groups.

    ``pairs_from``: the class's latest plan, whose keep-apart / keep-together wishes still
    stand for a new lesson (those of students who left are dropped).
    """
    pace = default_pace(context)
    body = PlanBody(pace=PlanPace(round_minutes=pace.round_minutes, transition_minutes=2))
    if pairs_from is not None:
        body.keep_apart, body.keep_together = pairs_from.keep_apart, pairs_from.keep_together
        keep_pairs_of(body, context.active_ids)  # new lists: pairs_from stays as it was
    count = min(DEFAULT_GROUPS, len(context.active_ids))
    if count:
        formed = form(
            context,
            body,
            "balanced",
            count=count,
            size=None,
            observed=(),
            target_ids=(),
            keep_apart=body.apart_ids(),
            keep_together=body.together_ids(),
            seed=0,
        )
        body.groups = list(formed.groups)
    rounds = max(1, len(context.active_stations))
    end = period_end_for(body, rounds)
    body.end = end.time() if end.date() == datetime(2000, 1, 1).date() else body.end
    return body
