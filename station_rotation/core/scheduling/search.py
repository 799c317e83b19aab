"""An exact search for a timetable: round by round, with pruning and a memo of dead ends.

The search is complete: it only cuts a branch when a counting argument proves no
completion exists (a group needs more rounds than are left; a station is asked for more
student-rounds than it has) or when the same state at the same round already failed.
Every option is tried in a fixed order, so the same input always gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from station_rotation.core.scheduling.instance import GroupJob, Instance

# Per group: (started visits as a bitmask, the visit in progress or -1, rounds it still needs).
GroupState = tuple[int, int, int]
Starts = list[dict[int, int]]  # per group: visit index -> first round


def _order(job: GroupJob) -> tuple[int, ...]:
    """Must-do visits in path order; the pinned teacher visit is outside the order."""
    return tuple(i for i in job.must if i != job.pin)


class OutOfBudget(Exception):
    """The search visited more rounds than it was allowed; the answer is unknown."""


class _Search:
    def __init__(self, inst: Instance, rounds: int, budget: int | None) -> None:
        self.budget = budget
        self.nodes = 0
        self.inst = inst
        self.rounds = rounds
        self.orders = [_order(job) for job in inst.jobs]
        self.failed: set[tuple[int, tuple[GroupState, ...]]] = set()
        self.stations = range(len(inst.capacity))

    def run(self) -> Starts | None:
        for job in self.inst.jobs:
            for i in job.must:
                if job.size > self.inst.capacity[job.visits[i].station]:
                    return None  # this group can never fit there
        if self._pins_clash():
            return None
        start: tuple[GroupState, ...] = tuple((0, -1, 0) for _ in self.inst.jobs)
        plan = self._round(0, start)
        if plan is None:
            return None
        starts: Starts = [{} for _ in self.inst.jobs]
        for t, choice in enumerate(plan):
            for g, (visit, is_start) in enumerate(choice):
                if is_start:
                    starts[g][visit] = t
        return starts

    def _pins_clash(self) -> bool:
        """Pinned teacher visits alone already overfill a station in some round."""
        load: dict[tuple[int, int], int] = {}
        count: dict[tuple[int, int], int] = {}
        for job in self.inst.jobs:
            if job.pin is None or job.pin_round is None:
                continue
            visit = job.visits[job.pin]
            for t in range(job.pin_round, job.pin_round + visit.length):
                key = (t, visit.station)
                load[key] = load.get(key, 0) + job.size
                count[key] = count.get(key, 0) + 1
        return any(
            load[key] > self.inst.capacity[key[1]] or (self.inst.teacher[key[1]] and count[key] > 1)
            for key in load
        )

    def _left_rounds(self, g: int, state: GroupState) -> list[tuple[int, int]]:
        """(station, rounds) the group still owes, including the rest of its current visit."""
        job = self.inst.jobs[g]
        done, cur, left = state
        out = [(job.visits[cur].station, left)] if left > 0 else []
        out += [
            (job.visits[i].station, job.visits[i].length) for i in job.must if not done >> i & 1
        ]
        return out

    def _hopeless(self, t: int, states: tuple[GroupState, ...]) -> bool:
        remaining = self.rounds - t
        demand = [0] * len(self.inst.capacity)
        groups_rounds = [0] * len(self.inst.capacity)
        for g, state in enumerate(states):
            owed = self._left_rounds(g, state)
            if sum(r for _, r in owed) > remaining:
                return True
            job = self.inst.jobs[g]
            if job.pin is not None and not states[g][0] >> job.pin & 1:
                assert job.pin_round is not None
                if job.pin_round < t or job.pin_round + job.visits[job.pin].length > self.rounds:
                    return True
            for station, r in owed:
                demand[station] += r * job.size
                groups_rounds[station] += r
        for s in self.stations:
            if self.inst.teacher[s] and groups_rounds[s] > remaining:
                return True
            if demand[s] > self.inst.capacity[s] * remaining:
                return True
        return self._windows_overfull(t, states)

    def _windows(self, t: int, g: int, state: GroupState) -> list[tuple[int, int, int, int]]:
        """(station, earliest start, latest end, rounds) of every visit the group owes.

        In path order a visit cannot start before the visits ahead of it are done, nor
        end after the time the visits behind it need.
        """
        job = self.inst.jobs[g]
        done, cur, left = state
        out = [(job.visits[cur].station, t, t + left, left)] if left > 0 else []
        free_from = t + left
        if job.pin is not None and not done >> job.pin & 1 and job.pin_round is not None:
            v = job.visits[job.pin]
            out.append((v.station, job.pin_round, job.pin_round + v.length, v.length))
        pending = [i for i in self.orders[g] if not done >> i & 1]
        lengths = [job.visits[i].length for i in pending]
        if not self.inst.ordered:
            out += [
                (job.visits[i].station, free_from, self.rounds, job.visits[i].length)
                for i in pending
            ]
            return out
        before, after = 0, sum(lengths)
        for i, length in zip(pending, lengths, strict=True):
            after -= length
            out.append((job.visits[i].station, free_from + before, self.rounds - after, length))
            before += length
        return out

    def _windows_overfull(self, t: int, states: tuple[GroupState, ...]) -> bool:
        """A station asked for more than it has inside some window of rounds (a sound bound)."""
        per_station: dict[int, list[tuple[int, int, int, int]]] = {}
        for g, state in enumerate(states):
            size = self.inst.jobs[g].size
            for station, release, deadline, length in self._windows(t, g, state):
                if release + length > deadline:
                    return True
                per_station.setdefault(station, []).append((release, deadline, length, size))
        for station, jobs in per_station.items():
            teacher = self.inst.teacher[station]
            for r in {job[0] for job in jobs}:
                for d in {job[1] for job in jobs}:
                    if d <= r:
                        continue
                    inside = [job for job in jobs if job[0] >= r and job[1] <= d]
                    if teacher and sum(job[2] for job in inside) > d - r:
                        return True
                    if sum(job[2] * job[3] for job in inside) > self.inst.capacity[station] * (
                        d - r
                    ):
                        return True
        return False

    def _options(self, g: int, t: int, state: GroupState) -> list[tuple[int, bool]]:
        """(visit, starts now) choices for this round; visit -1 is a free round."""
        job = self.inst.jobs[g]
        done, cur, left = state
        if left > 0:
            return [(cur, False)]
        pin_pending = job.pin is not None and not done >> job.pin & 1
        if pin_pending and t == job.pin_round:
            assert job.pin is not None
            return [(job.pin, True)]
        if self.inst.ordered:
            nxt = next((i for i in self.orders[g] if not done >> i & 1), None)
            cands = [] if nxt is None else [nxt]
        else:
            cands = [i for i in self.orders[g] if not done >> i & 1]
        options: list[tuple[int, bool]] = []
        for i in cands:
            end = t + job.visits[i].length
            if end > self.rounds:
                continue
            if pin_pending and job.pin_round is not None and t < job.pin_round < end:
                continue  # would still be here when the teacher expects the group
            options.append((i, True))
        owed = sum(job.visits[i].length for i in job.must if not done >> i & 1)
        if owed < self.rounds - t:
            options.append((-1, False))  # a free round only when the group has one to spare
        return options

    def _assignments(
        self, t: int, states: tuple[GroupState, ...]
    ) -> Iterator[list[tuple[int, bool]]]:
        options = [self._options(g, t, s) for g, s in enumerate(states)]
        order = sorted(range(len(states)), key=lambda g: (len(options[g]), g))
        load = [0] * len(self.inst.capacity)
        count = [0] * len(self.inst.capacity)
        chosen: list[tuple[int, bool]] = [(-1, False)] * len(states)

        def place(k: int) -> Iterator[list[tuple[int, bool]]]:
            if k == len(order):
                yield list(chosen)
                return
            g = order[k]
            job = self.inst.jobs[g]
            for visit, is_start in options[g]:
                if visit < 0:
                    chosen[g] = (visit, is_start)
                    yield from place(k + 1)
                    continue
                s = job.visits[visit].station
                if load[s] + job.size > self.inst.capacity[s]:
                    continue
                if self.inst.teacher[s] and count[s]:
                    continue
                load[s] += job.size
                count[s] += 1
                chosen[g] = (visit, is_start)
                yield from place(k + 1)
                load[s] -= job.size
                count[s] -= 1

        yield from place(0)

    def _advance(
        self, states: tuple[GroupState, ...], choice: list[tuple[int, bool]]
    ) -> tuple[GroupState, ...]:
        out = []
        for g, ((done, cur, left), (visit, is_start)) in enumerate(
            zip(states, choice, strict=True)
        ):
            if visit < 0:
                out.append((done, -1, 0))
            elif is_start:
                length = self.inst.jobs[g].visits[visit].length
                out.append((done | 1 << visit, visit, length - 1))
            else:
                out.append((done, cur, left - 1))
        return tuple(out)

    def _round(self, t: int, states: tuple[GroupState, ...]) -> list[list[tuple[int, bool]]] | None:
        if t == self.rounds:
            return [] if not self._hopeless(t, states) else None
        self.nodes += 1
        if self.budget is not None and self.nodes > self.budget:
            raise OutOfBudget
        key = (t, states)
        if key in self.failed or self._hopeless(t, states):
            self.failed.add(key)
            return None
        for choice in self._assignments(t, states):
            rest = self._round(t + 1, self._advance(states, choice))
            if rest is not None:
                return [choice, *rest]
        self.failed.add(key)
        return None


def solve(inst: Instance, rounds: int, budget: int | None = None) -> Starts | None:
    """First round of every must-do visit per group, or ``None`` when no timetable exists.

    With a ``budget`` (rounds visited), raises :class:`OutOfBudget` instead of searching
    on: used to check suggested fixes, never to answer the teacher's own plan.
    """
    return _Search(inst, rounds, budget).run()
