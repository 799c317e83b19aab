"""Try the round counts a plan allows and return the first timetable the search finds.

With a fixed number of rounds only that count is tried. With ``rounds=None`` ("auto")
the counts run from what the longest path needs up to what the period holds; adding a
round never removes a solution (the group can take a free round), so the first count
that works is the shortest plan that visits every stop, and if the largest fails,
every smaller one fails too.
"""

from __future__ import annotations

from station_rotation.core.scheduling import fill, instance, search
from station_rotation.core.scheduling.model import PlanRequest, Timetable, rounds_per_stop
from station_rotation.core.scheduling.timing import round_times, rounds_that_fit


def candidate_rounds(request: PlanRequest) -> range:
    fit = rounds_that_fit(request.pace, request.start, request.end)
    if request.pace.rounds is not None:
        wanted = request.pace.rounds
        return range(wanted, wanted + 1) if wanted <= fit else range(0)
    longest = max(
        (len(g.path) * rounds_per_stop(g, request.pace) for g in request.groups), default=1
    )
    return range(max(1, min(fit, longest)), fit + 1)


def attempt(request: PlanRequest, budget: int | None = None) -> Timetable | None:
    """A timetable meeting every constraint, or ``None`` when none exists.

    ``budget`` bounds the search per round count (see :func:`search.solve`); running out
    counts as "no timetable found", so only use it where a miss is harmless.
    """
    for rounds in candidate_rounds(request):
        inst = instance.build(request, rounds)
        if isinstance(inst, list):
            continue
        try:
            starts = search.solve(inst, rounds, budget)
        except search.OutOfBudget:
            return None
        if starts is None:
            continue
        starts = fill.add_may_do(inst, rounds, starts)
        return Timetable(
            round_times(rounds, request.pace, request.start),
            tuple(g.id for g in request.groups),
            fill.grid(request, inst, rounds, starts),
        )
    return None
