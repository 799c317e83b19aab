"""Change a running rotation without resetting its clock: the use cases the page calls.

Each method reads what the change needs (the roster's names, the stations' capacity),
then asks :meth:`RotationService.change` to decide and log it under the run's lock:
the rules are the core's (``core/rotation/changes.py``), and a refused change writes
nothing. A run's first change takes its members from the plan the run was started from
(as the quick-check grid did until then); from then on the run's own lineup holds them.

Changes run on the Qt thread, on purpose: measured on the sample class (four groups,
four stations, one core of a cloud Xeon, offscreen Qt), deciding and logging a change takes
3–6 ms, and with the page and a 1920×1080 projector redrawn 11–45 ms from the click
(``test_a_change_is_quick_enough_for_the_gui_thread`` keeps it under 100 ms); an
8 × 8 board decides in ≤ 11 ms. A worker thread would add a stale-board window for
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from station_rotation.core.errors import StationRotationError
from station_rotation.core.ids import new_id
from station_rotation.core.rotation import changes
from station_rotation.core.rotation.board import BoardStation
from station_rotation.core.rotation.changes import ChangeRefused, RunChange
from station_rotation.core.rotation.clock import ClockView, Phase
from station_rotation.core.rotation.lineup import Lineup
from station_rotation.core.rotation.replan import Room
from station_rotation.core.scheduling.model import Station
from station_rotation.core.stations import StationKind
from station_rotation.services.app import AppServices
from station_rotation.services.checks.groups import run_groups
from station_rotation.services.rotation import LiveRun


@dataclass(frozen=True)
class RunStudent:
    """A student of the class as the change dialogs list them (the teacher's screen)."""

    id: str
    name: str  # display name: the teacher's side, never the projector
    group_id: str | None  # the group they are in now, None: in none (late, absent)
    gone: bool


def next_round(view: ClockView) -> int:
    """The 0-based round that starts next: the one after the current round, or the one
    a transition leads into."""
    return view.round_index if view.phase is Phase.TRANSITION else view.round_index + 1


class RunChangeService:
    """Late students, pull-outs, moves, merges, splits, a station out, stays and skips."""

    def __init__(self, services: AppServices) -> None:
        self._services = services

    # --- reading ------------------------------------------------------------------

    def lineup(self, run_id: str) -> Lineup | None:
        """The run's lineup now (members from the plan until the first change)."""
        live = self._services.rotation.live(run_id)
        return self._base(live) if live.board is not None else None

    def students(self, run_id: str) -> list[RunStudent]:
        """The class's students on the roster, with their group in the run now."""
        live = self._services.rotation.live(run_id)
        lineup = self.lineup(run_id)
        out = []
        for entry in self._services.roster.roster(live.class_id):
            group = lineup.group_of(entry.student.id) if lineup else None
            gone = lineup is not None and entry.student.id in lineup.gone
            out.append(
                RunStudent(
                    entry.student.id,
                    entry.student.display_name,
                    group.id if group is not None else None,
                    gone,
                )
            )
        return out

    def open_stations(self, run_id: str) -> list[BoardStation]:
        """The board's stations still in the rotation."""
        lineup = self.lineup(run_id)
        if lineup is None:
            return []
        return [s for s in lineup.board.stations if s.id not in lineup.stations_out]

    def whereabouts(self, run_id: str) -> dict[str, str]:
        """Per group id, "now Online practice, next Collaborative task": what a teacher
        choosing a group to stay or skip needs to see (now: the round going on, or the
        one just ended in a transition)."""
        lineup = self.lineup(run_id)
        if lineup is None:
            return {}
        board, coming = lineup.board, next_round(self._services.rotation.view(run_id))

        def at(r: int, g: int) -> str:
            station = board.station(board.rounds[r][g] or "")
            return station.name if station else "free choice"

        out = {}
        for g, group in enumerate(board.groups):
            now = f"now {at(coming - 1, g)}" if 1 <= coming <= len(board.rounds) else ""
            then = f"next {at(coming, g)}" if coming < len(board.rounds) else "last round"
            out[group.id] = ", ".join(part for part in (now, then) if part)
        return out

    def suggested_group(self, run_id: str, student_id: str) -> str | None:
        """Where a late student goes: her group in the plan if it runs, else the smallest."""
        lineup = self.lineup(run_id)
        if lineup is None or not lineup.board.groups:
            return None
        planned = self._plan_group_of(lineup, student_id)
        if planned is not None:
            return planned
        sizes = lineup.sizes()
        return min(lineup.board.groups, key=lambda g: sizes[g.id]).id

    # --- changing -----------------------------------------------------------------

    def add_student(self, run_id: str, student_id: str, group_id: str) -> RunChange:
        def decide(live: LiveRun, view: ClockView) -> RunChange:
            active = {e.student.id for e in self._services.roster.roster(live.class_id)}
            if student_id not in active:
                raise ChangeRefused(
                    "That student is not in this class. Add the student on the Roster page "
                    "first, then add them to a group here."
                )
            return changes.add_student(self._base(live), student_id, group_id, self._names(live))

        return self._services.rotation.change(run_id, decide)

    def mark_gone(self, run_id: str, student_id: str) -> RunChange:
        return self._change(
            run_id,
            lambda live, _: changes.mark_gone(self._base(live), student_id, self._names(live)),
        )

    def move_student(self, run_id: str, student_id: str, group_id: str) -> RunChange:
        return self._change(
            run_id,
            lambda live, _: changes.move_student(
                self._base(live), student_id, group_id, self._names(live)
            ),
        )

    def merge_groups(self, run_id: str, keep_id: str, other_id: str) -> RunChange:
        return self._change(
            run_id,
            lambda live, view: changes.merge_groups(
                self._base(live),
                keep_id,
                other_id,
                self._names(live),
                next_round(view),
                self._room(live),
            ),
        )

    def split_group(self, run_id: str, group_id: str, student_ids: Sequence[str]) -> RunChange:
        new_group_id = new_id()
        return self._change(
            run_id,
            lambda live, view: changes.split_group(
                self._base(live),
                group_id,
                student_ids,
                self._names(live),
                new_group_id=new_group_id,
                next_round=next_round(view),
                room=self._room(live),
            ),
        )

    def station_out(self, run_id: str, station_id: str) -> RunChange:
        return self._change(
            run_id,
            lambda live, view: changes.station_out(
                self._base(live),
                station_id,
                next_round(view),
                self._room(live),
                in_round=view.phase is Phase.ROUND,
            ),
        )

    def stay(self, run_id: str, group_id: str) -> RunChange:
        return self._change(
            run_id,
            lambda live, view: changes.stay(
                self._base(live), group_id, next_round(view), self._room(live)
            ),
        )

    def skip(self, run_id: str, group_id: str) -> RunChange:
        return self._change(
            run_id,
            lambda live, view: changes.skip(
                self._base(live), group_id, next_round(view), self._room(live)
            ),
        )

    # --- internals ----------------------------------------------------------------

    def _change(self, run_id: str, decide: Callable[[LiveRun, ClockView], RunChange]) -> RunChange:
        return self._services.rotation.change(run_id, decide)

    def _base(self, live: LiveRun) -> Lineup:
        if live.lineup is not None:
            return live.lineup
        assert live.board is not None
        members = {g.group_id: g.student_ids for g in run_groups(self._services, live.run_id)}
        return Lineup(live.board).with_members(members, self._names(live))

    def _names(self, live: LiveRun) -> dict[str, str]:
        """Every enrolled student's first name (also those who left: they may be in a group)."""
        roster = self._services.roster.roster(live.class_id, include_archived=True)
        return {e.student.id: e.student.first_name for e in roster}

    def _room(self, live: LiveRun) -> Room:
        room = {}
        for s in self._services.stations.list_for(live.class_id, include_archived=True):
            kind = StationKind(s.kind) if s.kind in set(StationKind) else StationKind.OTHER
            room[s.id] = Station(s.id, s.name, max(1, s.capacity), kind)
        return room

    def _plan_group_of(self, lineup: Lineup, student_id: str) -> str | None:
        plan_id = lineup.board.plan_id
        if plan_id is None:
            return None
        try:
            body = self._services.plans.get(plan_id).body
        except StationRotationError:  # an unreadable plan only loses the suggestion
            return None
        for group in body.groups:
            if student_id in group.student_ids and lineup.group(group.id) is not None:
                return group.id
        return None
