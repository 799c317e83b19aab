"""Who is in which group of a run now, on the teacher's side of the room.

A :class:`Lineup` is the run's :class:`~station_rotation.core.rotation.board.Board` (what
the projector shows: group names, colours, first names, stations) together with what
the projector must never hold: the student ids of each group, the students gone from
the rotation and the stations taken out. Only the board is ever handed to the projector;
the ids stay here, for the quick-check grid and the companion's pad.

A run starts without a lineup (its board is the plan's snapshot); the first change made
during the run stores one, and every later change stores the next (see ``changes.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from station_rotation.core.rotation.board import Board, BoardGroup


@dataclass(frozen=True)
class Lineup:
    """The board and, per group id, the ids of the students in it (in board order)."""

    board: Board
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    gone: tuple[str, ...] = ()  # marked gone from now on (pulled out, sent home)
    stations_out: tuple[str, ...] = ()  # taken out during the run ("computers down")

    def group(self, group_id: str) -> BoardGroup | None:
        return next((g for g in self.board.groups if g.id == group_id), None)

    def group_of(self, student_id: str) -> BoardGroup | None:
        """The group the student is in now (None: in none, or gone)."""
        for group in self.board.groups:
            if student_id in self.members.get(group.id, ()):
                return group
        return None

    def sizes(self) -> dict[str, int]:
        return {g.id: len(self.members.get(g.id, ())) for g in self.board.groups}

    def with_members(
        self, members: Mapping[str, tuple[str, ...]], first_names: Mapping[str, str]
    ) -> Lineup:
        """The same board with these members, each group's first names following them."""
        groups = tuple(
            replace(g, first_names=tuple(first_names.get(s, "") for s in members.get(g.id, ())))
            for g in self.board.groups
        )
        return replace(self, board=replace(self.board, groups=groups), members=dict(members))

    def to_dict(self) -> dict[str, Any]:
        return {
            "board": self.board.to_dict(),
            "members": {gid: list(ids) for gid, ids in self.members.items()},
            "gone": list(self.gone),
            "stations_out": list(self.stations_out),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lineup:
        return cls(
            Board.from_dict(data["board"]),
            {gid: tuple(ids) for gid, ids in data.get("members", {}).items()},
            tuple(data.get("gone", ())),
            tuple(data.get("stations_out", ())),
        )
