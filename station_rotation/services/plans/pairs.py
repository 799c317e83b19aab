"""Keep-apart and keep-together pairs kept in the plan, and how a saved plan breaks them.

The pairs are the teacher's standing wishes ("Ava and Ben work better apart"), so they
live in the plan document and apply to every forming of groups, on every laptop, in every
copy. Moving a student by hand may break one: that is allowed (the teacher knows best
today) but said, never refused; :func:`pair_conflicts` words what is broken.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from station_rotation.core.errors import ValidationError
from station_rotation.store.plan_body import PlanBody, StudentPair


def check_pairs(body: PlanBody, members: Collection[str]) -> None:
    """Refuse a pair that names a student who is not in the class."""
    for pair in [*body.keep_apart, *body.keep_together]:
        if pair.first not in members or pair.second not in members:
            raise ValidationError(
                "A keep-apart or keep-together pair names a student who is not in this class."
            )


def keep_pairs_of(body: PlanBody, active: Collection[str]) -> None:
    """Drop the pairs of students who have left the class (a copy for another day)."""
    staying = set(active)
    body.keep_apart = [p for p in body.keep_apart if set(p.ids()) <= staying]
    body.keep_together = [p for p in body.keep_together if set(p.ids()) <= staying]


def set_pair(body: PlanBody, first: str, second: str, wish: str | None) -> None:
    """Make two students a keep-``wish`` pair ("apart" or "together"), or (None) no pair."""
    if first == second:
        raise ValidationError("Choose two different students for a pair.")
    body.keep_apart = [p for p in body.keep_apart if not p.same_as(first, second)]
    body.keep_together = [p for p in body.keep_together if not p.same_as(first, second)]
    if wish == "apart":
        body.keep_apart.append(StudentPair(first=first, second=second))
    elif wish == "together":
        body.keep_together.append(StudentPair(first=first, second=second))
    elif wish is not None:
        raise ValidationError("A pair is kept apart or together.")


def pair_conflicts(body: PlanBody, name_of: Callable[[str], str]) -> list[str]:
    """Each pair the plan's groups break today, in words (absent students aside).

    A student on a path of their own is in no group, so they break no pair.
    """
    group_of = {sid: g for g in body.groups for sid in g.student_ids}
    absent = set(body.absent_ids)
    problems = []
    for pair in body.keep_apart:
        a, b = pair.ids()
        if a in absent or b in absent:
            continue
        group = group_of.get(a)
        if group is not None and group is group_of.get(b):
            problems.append(
                f"{name_of(a)} and {name_of(b)} should be kept apart but are both in {group.name}."
            )
    for pair in body.keep_together:
        a, b = pair.ids()
        if a in absent or b in absent:
            continue
        first, second = group_of.get(a), group_of.get(b)
        if first is not None and second is not None and first is not second:
            problems.append(
                f"{name_of(a)} and {name_of(b)} should stay together but are in "
                f"{first.name} and {second.name}."
            )
    return problems
