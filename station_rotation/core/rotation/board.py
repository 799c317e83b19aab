"""What the room is told during a run: the stations, the groups and who goes where.

A :class:`Board` is a snapshot of a plan's timetable taken when the run starts, stored
with the run, so editing the plan later never changes a rotation that is going, and a
restarted app shows the same board. It holds nothing private by construction: no scores,
tiers or support labels; first names are there, and the projector's privacy setting
decides whether to show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station_rotation.core.scheduling.symbols import Symbol, symbols_for


@dataclass(frozen=True)
class BoardStation:
    id: str
    name: str
    kind: str = "independent"
    instructions: str = ""
    content_url: str = ""


@dataclass(frozen=True)
class BoardGroup:
    """A group as the class sees it: a name and a colour ("#RRGGBB")."""

    id: str
    name: str
    colour: str
    first_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupMove:
    """Where one group is in a round and where it goes in the next (None: free choice)."""

    group: BoardGroup
    now: BoardStation | None
    next: BoardStation | None


@dataclass(frozen=True)
class Board:
    """``rounds[r][g]`` is the station id of ``groups[g]`` in round ``r`` (None: free)."""

    stations: tuple[BoardStation, ...]
    groups: tuple[BoardGroup, ...]
    rounds: tuple[tuple[str | None, ...], ...]
    plan_id: str | None = None

    def station(self, station_id: str | None) -> BoardStation | None:
        if station_id is None:
            return None
        for station in self.stations:
            if station.id == station_id:
                return station
        return None

    def symbols(self) -> dict[str, Symbol]:
        """Each group's shape (by group id), by the rule the paper cards use: the groups'
        colours in board order (the timetable's), see :func:`symbols_for`."""
        shapes = symbols_for([g.colour for g in self.groups])
        return {g.id: shape for g, shape in zip(self.groups, shapes, strict=True)}

    def moves(self, round_index: int) -> list[GroupMove]:
        """Every group's station in round ``round_index`` (0-based) and in the next one."""
        here = self.rounds[round_index] if 0 <= round_index < len(self.rounds) else ()
        after = self.rounds[round_index + 1] if round_index + 1 < len(self.rounds) else ()
        out = []
        for index, group in enumerate(self.groups):
            now = self.station(here[index]) if index < len(here) else None
            nxt = self.station(after[index]) if index < len(after) else None
            out.append(GroupMove(group, now, nxt))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "stations": [vars(s) for s in self.stations],
            "groups": [{**vars(g), "first_names": list(g.first_names)} for g in self.groups],
            "rounds": [list(r) for r in self.rounds],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Board:
        return cls(
            stations=tuple(BoardStation(**s) for s in data.get("stations", [])),
            groups=tuple(
                BoardGroup(**{**g, "first_names": tuple(g.get("first_names", ()))})
                for g in data.get("groups", [])
            ),
            rounds=tuple(tuple(r) for r in data.get("rounds", [])),
            plan_id=data.get("plan_id"),
        )
