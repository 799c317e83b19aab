"""Grouping suggestions: random, by tier, or mixed-ability, with pairs and absences.

Sizes are always balanced (they differ by at most one); every other wish is kept when it
can be, and when it cannot the result carries a warning that says so, never a silent
drop. Groups are named by colour only (the projector shows the name).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from enum import StrEnum

from station_rotation.core.errors import ValidationError
from station_rotation.core.scheduling.pairs import Units, keep_apart, together_units
from station_rotation.core.scheduling.palette import Colour, colour_for, default_name
from station_rotation.core.scheduling.tiers import (
    Observation,
    Thresholds,
    Tier,
    recent_scores,
    tier_of,
)


class Method(StrEnum):
    RANDOM = "random"
    TIERS = "tiers"
    MIXED = "mixed"


@dataclass(frozen=True)
class Pupil:
    """A student as grouping sees them; ``needs_support`` is the teacher's own flag."""

    id: str
    name: str = ""
    absent: bool = False
    needs_support: bool = False


@dataclass(frozen=True)
class GroupingRequest:
    """Give exactly one of ``groups`` (how many) or ``size`` (students per group)."""

    students: tuple[Pupil, ...]
    method: Method = Method.RANDOM
    groups: int | None = None
    size: int | None = None
    seed: int = 0
    keep_apart: tuple[tuple[str, str], ...] = ()
    keep_together: tuple[tuple[str, str], ...] = ()
    observations: tuple[Observation, ...] = ()
    target_ids: tuple[str, ...] | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass(frozen=True)
class SuggestedGroup:
    """``tier`` is for the teacher's screen only; ``name`` is what the projector shows."""

    name: str
    colour: Colour
    student_ids: tuple[str, ...]
    tier: Tier | None


@dataclass(frozen=True)
class GroupingResult:
    groups: tuple[SuggestedGroup, ...]
    tiers: dict[str, Tier]
    warnings: tuple[str, ...]


def _group_count(request: GroupingRequest, present: int, warnings: list[str]) -> int:
    if (request.groups is None) == (request.size is None):
        raise ValidationError("Choose either how many groups or how many students per group.")
    if request.groups is not None:
        if request.groups <= 0:
            raise ValidationError("Make at least one group.")
        if request.groups > present:
            warnings.append(
                f"There are only {present} students here today, so {present} groups are made "
                f"instead of {request.groups}."
            )
        return max(1, min(request.groups, present))
    assert request.size is not None
    if request.size <= 0:
        raise ValidationError("A group needs at least one student.")
    return max(1, math.ceil(present / request.size))


def _place(units: Units, rooms: list[int], method: Method, warnings: list[str]) -> list[list[str]]:
    """Fill the groups: tiers contiguously in order, the others dealt round the table.

    A unit that fits no group's remaining room is split over the roomiest groups, with a
    warning (packing friends perfectly is a bin-packing puzzle; sizes stay balanced).
    """
    groups: list[list[str]] = [[] for _ in rooms]
    room = list(rooms)

    def roomiest() -> int:
        return max(range(len(room)), key=lambda h: (room[h], -h))

    def put(unit: list[str], g: int | None) -> None:
        if g is None:
            warnings.append(
                f"{' and '.join(unit)} should stay together, but no group has room for all "
                "of them, so they are split."
            )
            for student in unit:
                h = roomiest()
                groups[h].append(student)
                room[h] -= 1
            return
        groups[g].extend(unit)
        room[g] -= len(unit)

    def first_fit(unit: list[str], start: int) -> int | None:
        order = list(range(start, len(room))) + list(range(start))
        return next((h for h in order if room[h] >= len(unit)), None)

    if method is Method.TIERS:
        g = 0
        for unit in units:
            while g < len(room) - 1 and room[g] == 0:
                g += 1
            put(unit, first_fit(unit, g))
        return groups
    for unit in (u for u in units if len(u) > 1):
        put(unit, first_fit(unit, roomiest()))
    g = 0
    for unit in (u for u in units if len(u) == 1):
        g = first_fit(unit, g) or 0
        put(unit, g)
        g = (g + 1) % len(room)
    return groups


def suggest_groups(request: GroupingRequest) -> GroupingResult:
    """Form balanced groups of the students present, by the chosen method."""
    warnings: list[str] = []
    present = [p for p in request.students if not p.absent]
    if not present:
        return GroupingResult((), {}, ("Nobody is marked present, so there are no groups.",))
    count = _group_count(request, len(present), warnings)
    base, extra = divmod(len(present), count)
    rooms = [base + (1 if g < extra else 0) for g in range(count)]
    ids = {p.id for p in present}

    scores = recent_scores(request.observations, request.target_ids)
    tiers = {p.id: tier_of(scores.get(p.id), p.needs_support, request.thresholds) for p in present}
    rng = random.Random(request.seed)
    jitter = {p.id: rng.random() for p in present}
    key: dict[str, tuple[float, ...]] = {
        p.id: (float(tiers[p.id]), scores.get(p.id, request.thresholds.support_below), jitter[p.id])
        for p in present
    }

    together = [pair for pair in request.keep_together if set(pair) <= ids]
    apart = [pair for pair in request.keep_apart if set(pair) <= ids]
    units, apart = together_units(together, apart, [p.id for p in present], max(rooms), warnings)
    if request.method is Method.RANDOM:
        units.sort(key=lambda u: min(jitter[i] for i in u))
    else:
        units.sort(key=lambda u: tuple(sum(key[i][k] for i in u) / len(u) for k in range(3)))
    groups = _place(units, rooms, request.method, warnings)
    movable = {u[0] for u in units if len(u) == 1}
    keep_apart(groups, apart, movable, key, warnings)

    out = []
    for g, members in enumerate(groups):
        member_tiers = [tiers[i] for i in members]
        common = (
            max(set(member_tiers), key=lambda t: (member_tiers.count(t), -t)) if members else None
        )
        out.append(
            SuggestedGroup(
                default_name(g),
                colour_for(g),
                tuple(members),
                common if request.method is Method.TIERS else None,
            )
        )
    return GroupingResult(tuple(out), tiers, tuple(warnings))
