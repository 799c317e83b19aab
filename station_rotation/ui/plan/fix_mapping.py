"""Turn a verified fix (a changed PlanRequest) back into a change of the plan document.

The core offers each fix as the whole request it solved, so we compare it with the plan
and carry the differences back: the pace, the period, a group's teacher round, extra
time or must-do stops, two groups combined, or a station's capacity (a room change,
applied through the stations service). Anything else cannot be mapped and is only
listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from station_rotation.core.scheduling.model import Fix, Group
from station_rotation.services.plans.document import PlanBody, PlanStop
from station_rotation.services.plans.schedule import OWN_PATH_PREFIX


@dataclass
class MappedFix:
    """The plan document after the fix, and any station capacities to change."""

    body: PlanBody
    capacities: dict[str, int] = field(default_factory=dict)


def map_fix(
    body: PlanBody,
    fix: Fix,
    *,
    present: Mapping[str, int],
    capacities: Mapping[str, int],
) -> MappedFix | None:
    """The plan change ``fix`` stands for, or None when it cannot be expressed.

    ``present`` counts today's present students per scheduled group (the sizes the
    request had); ``capacities`` are the room's current station capacities.
    """
    after = fix.applied
    changed = body.model_copy(deep=True)
    pace = changed.pace
    pace.round_minutes = after.pace.round_minutes
    pace.transition_minutes = after.pace.transition_minutes
    pace.rounds = after.pace.rounds
    pace.ordered_paths = after.pace.ordered_paths
    changed.start, changed.end = after.start, after.end
    new_capacities = {
        s.id: s.capacity for s in after.stations if capacities.get(s.id, s.capacity) != s.capacity
    }
    by_id = {g.id: g for g in after.groups}
    for group in changed.groups:
        new = by_id.get(group.id)
        if new is not None:
            group.teacher_round = new.teacher_round
            group.extra_minutes = new.extra_minutes
            group.extra_rounds = new.extra_rounds
            group.needs_support = new.needs_support
            group.path = _path(new)
    for own in changed.own_paths:
        new = by_id.get(f"{OWN_PATH_PREFIX}{own.student_id}")
        if new is not None:
            own.teacher_round = new.teacher_round
            own.extra_minutes = new.extra_minutes
            own.extra_rounds = new.extra_rounds
            own.path = _path(new)
    gone = [g for g in changed.groups if g.id in present and g.id not in by_id]
    if gone:  # two groups combined: the one that grew takes the other's students
        grown = [g.id for g in after.groups if g.id in present and g.size > present[g.id]]
        if len(gone) != 1 or len(grown) != 1:
            return None
        changed.group(grown[0]).student_ids += gone[0].student_ids
        changed.groups = [g for g in changed.groups if g.id != gone[0].id]
    if changed == body and not new_capacities:
        return None
    return MappedFix(changed, new_capacities)


def _path(group: Group) -> list[PlanStop]:
    return [PlanStop(station_id=s.station_id, must_do=s.must_do) for s in group.path]
