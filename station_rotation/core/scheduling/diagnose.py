"""Say which constraint breaks, in a teacher's words, by counting what the plan asks for.

Each check is a counting argument (more visits than rounds, more students than seats),
so a problem named here is certainly a reason. When no count explains the failure, the
paths clash in a way only the search sees, and we say so plainly.
"""

from __future__ import annotations

from station_rotation.core.scheduling import instance
from station_rotation.core.scheduling.model import PlanRequest, Problem, rounds_per_stop
from station_rotation.core.scheduling.timing import minutes_needed, period_minutes, rounds_that_fit
from station_rotation.core.words import counted


def planned_rounds(request: PlanRequest) -> int:
    """The round count the explanation talks about: the fixed one, or all that fit."""
    fit = rounds_that_fit(request.pace, request.start, request.end)
    return request.pace.rounds if request.pace.rounds is not None else fit


def problems(request: PlanRequest) -> list[Problem]:
    pace = request.pace
    rounds = planned_rounds(request)
    fit = rounds_that_fit(pace, request.start, request.end)
    period = period_minutes(request.start, request.end)
    out: list[Problem] = []
    if fit == 0 or rounds > fit:
        need = minutes_needed(max(rounds, 1), pace)
        out.append(
            Problem(
                "period-too-short",
                f"{counted(max(rounds, 1), 'round')} of {pace.round_minutes} minutes with "
                f"{pace.transition_minutes}-minute transitions take {need} minutes, "
                f"but the period is {period} minutes long.",
            )
        )
        rounds = fit
    if rounds == 0:
        return out
    built = instance.build(request, rounds)
    if isinstance(built, list):
        return out + built
    names = [s.name for s in request.stations]
    for g, group in enumerate(request.groups):
        job = built.jobs[g]
        must = [job.visits[i] for i in job.must]
        for v in must:
            if group.size > built.capacity[v.station]:
                out.append(
                    Problem(
                        "group-too-big",
                        f"{group.name} has {group.size} students, but {names[v.station]} "
                        f"holds only {built.capacity[v.station]}.",
                    )
                )
        need = sum(v.length for v in must)
        if need > rounds:
            stay = rounds_per_stop(group, pace)
            why = f" ({stay} rounds at each because of its extra time)" if stay > 1 else ""
            out.append(
                Problem(
                    "path-too-long",
                    f"{group.name} must visit {counted(len(must), 'station')}{why}, "
                    f"which takes {need} rounds, but there are only {rounds}.",
                )
            )
    for s, station in enumerate(request.stations):
        visits = [
            (g, job.visits[i])
            for g, job in enumerate(built.jobs)
            for i in job.must
            if job.visits[i].station == s
        ]
        if station.teacher_led:
            need = sum(v.length for _, v in visits)
            if need > rounds:
                who = (
                    f"{len(visits)} groups must visit"
                    if need == len(visits)
                    else f"The groups need {need} rounds at"
                )
                out.append(
                    Problem(
                        "teacher-station-full",
                        f"{who} the teacher-led station ({station.name}), "
                        f"but there are only {counted(rounds, 'round')}.",
                    )
                )
            pinned: dict[int, list[str]] = {}
            for g, job in enumerate(built.jobs):
                if job.pin is not None and job.visits[job.pin].station == s:
                    assert job.pin_round is not None
                    pinned.setdefault(job.pin_round, []).append(request.groups[g].name)
            for r, who_names in sorted(pinned.items()):
                if len(who_names) > 1:
                    out.append(
                        Problem(
                            "teacher-round-clash",
                            f"{' and '.join(who_names)} all need the teacher in round {r + 1}.",
                        )
                    )
        else:
            seats = sum(built.jobs[g].size * v.length for g, v in visits)
            if seats > station.capacity * rounds:
                out.append(
                    Problem(
                        "station-full",
                        f"The groups that must visit {station.name} bring {seats} student-visits, "
                        f"but with room for {station.capacity} over {counted(rounds, 'round')} "
                        f"it can take only {station.capacity * rounds}.",
                    )
                )
    if not out:
        out.append(
            Problem(
                "paths-clash",
                f"The paths cross too often: no order of visits keeps every station "
                f"within its room in {counted(rounds, 'round')}.",
            )
        )
    return out
