"""Changes to a running rotation: who is in which group, and who goes where from now on.

Every change is an event in the run's durable log, next to the clock's commands (kind
:data:`CHANGE_EVENT`). It carries the whole :class:`Lineup` after the change, so replay
never recomputes anything: the run's state is the last change's lineup, and the clock
(a fold over its own commands only) never sees these events, so its replay stays
exact. The change's kind, its arguments and a one-line summary are kept beside the
lineup: the run's events are the day's record of what really happened.

The functions here are pure: each takes the lineup as it stands and returns the next,
or raises :class:`ChangeRefused` with what to do instead (and nothing is written).
Rounds before ``next_round`` (the next round to start) are never rewritten, except that
a station taken out sends the group standing at it elsewhere for the rest of the round.

**One shared clock.** The whole room moves at the bell, so a group's extra time and a
skipped station are whole rounds on the board, not minutes on a clock of its own:

- *stays* (``stay``): the group stays at its current station for the next round; its
  later stops move one round later, into its first free round (or its last stop is
  dropped when it has none). A group due at that station next round that cannot share
  it (the teacher-led table, or no room) takes the staying group's place instead, and
  the rounds after the next are re-planned.
- *skips* (``skip``): the group leaves out its next station and goes on to the stop
  after it; its last round becomes free choice. When that collides with another group,
  the remaining rounds are re-planned without the skipped stop.

For five more minutes for everyone, the clock's own +5 is the tool.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from station_rotation.core.errors import ValidationError
from station_rotation.core.rotation.board import Board, BoardGroup
from station_rotation.core.rotation.lineup import Lineup
from station_rotation.core.rotation.replan import (
    Room,
    conflicts,
    own_way,
    place_until_bell,
    replan,
    replan_forgiving,
    too_small_for,
)
from station_rotation.core.scheduling.model import Infeasible
from station_rotation.core.scheduling.palette import OKABE_ITO
from station_rotation.core.words import counted

CHANGE_EVENT = "change"
"""The ``kind`` of a change's row in the run's event log (the clock's commands are
``EventKind`` values; a change is none of them)."""


class ChangeKind(StrEnum):
    ADD_STUDENT = "add_student"
    MARK_GONE = "mark_gone"
    MOVE_STUDENT = "move_student"
    MERGE_GROUPS = "merge_groups"
    SPLIT_GROUP = "split_group"
    STATION_OUT = "station_out"
    STAY = "stay"
    SKIP = "skip"


class ChangeRefused(ValidationError):
    """A change that cannot be made; the message says what to do instead."""


@dataclass(frozen=True)
class RunChange:
    """One change, as the log keeps it: what, its arguments, in words, and the result."""

    kind: ChangeKind
    summary: str
    lineup: Lineup
    details: Mapping[str, Any] = field(default_factory=dict)
    at: float = 0.0  # seconds on the run's time line

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.kind.value,
            "summary": self.summary,
            "details": dict(self.details),
            "lineup": self.lineup.to_dict(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], at: float) -> RunChange:
        return cls(
            ChangeKind(data["change"]),
            str(data.get("summary", "")),
            Lineup.from_dict(data["lineup"]),
            dict(data.get("details", {})),
            at,
        )


# --- students ---------------------------------------------------------------------


def add_student(
    lineup: Lineup, student_id: str, group_id: str, names: Mapping[str, str]
) -> RunChange:
    """A late student joins a group (or one marked gone comes back)."""
    name = _name(names, student_id)
    group = _group(lineup, group_id)
    now_in = lineup.group_of(student_id)
    if now_in is not None:
        raise ChangeRefused(
            f"{name} is in {now_in.name} already. To change the group, use Move a student."
        )
    members = dict(lineup.members)
    members[group.id] = (*members.get(group.id, ()), student_id)
    changed = lineup.with_members(members, names)
    changed = replace(changed, gone=tuple(s for s in lineup.gone if s != student_id))
    back = student_id in lineup.gone
    summary = f"{name} {'is back, in' if back else 'joined'} {group.name}."
    return RunChange(
        ChangeKind.ADD_STUDENT, summary, changed, {"student_id": student_id, "group_id": group.id}
    )


def mark_gone(lineup: Lineup, student_id: str, names: Mapping[str, str]) -> RunChange:
    """The student leaves the rotation from now on; a group left empty leaves the board."""
    name = _name(names, student_id)
    group = lineup.group_of(student_id)
    if group is None:
        raise ChangeRefused(f"{name} is not in any group of this rotation, so nothing changes.")
    left = tuple(s for s in lineup.members.get(group.id, ()) if s != student_id)
    if not left and len(lineup.board.groups) == 1:
        raise ChangeRefused(
            f"{name} is the last student in the rotation. End the rotation instead."
        )
    members = dict(lineup.members)
    members[group.id] = left
    changed = lineup.with_members(members, names)
    summary = f"{name} is gone from now on (was in {group.name})."
    if not left:
        changed = _without_group(changed, group.id)
        summary = f"{name} is gone from now on; {group.name} had no one else and is off the board."
    changed = replace(changed, gone=(*lineup.gone, student_id))
    return RunChange(
        ChangeKind.MARK_GONE, summary, changed, {"student_id": student_id, "group_id": group.id}
    )


def move_student(
    lineup: Lineup, student_id: str, group_id: str, names: Mapping[str, str]
) -> RunChange:
    """The student goes on with another group."""
    name = _name(names, student_id)
    target = _group(lineup, group_id)
    source = lineup.group_of(student_id)
    if source is None:
        raise ChangeRefused(
            f"{name} is not in any group of this rotation. Use Add a late student instead."
        )
    if source.id == target.id:
        raise ChangeRefused(f"{name} is in {target.name} already.")
    left = tuple(s for s in lineup.members.get(source.id, ()) if s != student_id)
    if not left:
        raise ChangeRefused(
            f"{name} is the only one left in {source.name}, so the move would leave "
            f"{source.name} empty. Merge {source.name} into {target.name} instead."
        )
    members = dict(lineup.members)
    members[source.id] = left
    members[target.id] = (*members.get(target.id, ()), student_id)
    summary = f"{name} moved from {source.name} to {target.name}."
    return RunChange(
        ChangeKind.MOVE_STUDENT,
        summary,
        lineup.with_members(members, names),
        {"student_id": student_id, "from_group_id": source.id, "group_id": target.id},
    )


# --- groups -----------------------------------------------------------------------


def merge_groups(
    lineup: Lineup,
    keep_id: str,
    other_id: str,
    names: Mapping[str, str],
    next_round: int,
    room: Room,
) -> RunChange:
    """``other`` joins ``keep``: one group, going on with ``keep``'s stations.

    Each station on ``keep``'s way from ``next_round`` on must seat the merged group:
    one that cannot even with no one else there refuses the merge; one it would share
    beyond its seats has the rounds to come re-planned so everyone fits.
    """
    keep, other = _group(lineup, keep_id), _group(lineup, other_id)
    if keep.id == other.id:
        raise ChangeRefused("Choose two different groups to merge.")
    members = dict(lineup.members)
    members[keep.id] = (*members.get(keep.id, ()), *members.get(other.id, ()))
    members.pop(other.id, None)
    changed = _without_group(lineup.with_members(members, names), other.id)
    g = [x.id for x in changed.board.groups].index(keep.id)
    size = len(members[keep.id])
    small = too_small_for(changed, room, g, next_round)
    if small:
        seats = _and([f"{s.name} seats {s.capacity}" for s in small])
        raise ChangeRefused(
            f"{seats}; {keep.name} and {other.name} together are {size}, and "
            f"{keep.name} still goes there. Nothing changed: merge smaller groups, or raise "
            "the seats on the Stations page and merge again."
        )
    summary = f"{other.name} joined {keep.name}; they go on together with {keep.name}'s stations."
    rounds = _rounds_text(next_round, len(lineup.board.rounds))
    if conflicts(changed, room, g, next_round):
        planned = replan(changed, room, next_round)
        if isinstance(planned, Infeasible):
            raise ChangeRefused(
                "\n".join(
                    [
                        f"{keep.name} and {other.name} together ({size}) do not fit with the "
                        f"other groups in {rounds.lower()}, "
                        "so nothing changed:",
                        *(f"- {p.message}" for p in planned.problems),
                        "Merge smaller groups, or move one student at a time instead "
                        "(Change… ▸ Move a student).",
                    ]
                )
            )
        changed = replace(changed, board=planned)
        summary += (
            f" {rounds} re-planned so all {size} fit: {keep.name} goes to "
            f"{_path_text(changed, g, next_round)}."
        )
    return RunChange(
        ChangeKind.MERGE_GROUPS, summary, changed, {"group_id": keep.id, "other_group_id": other.id}
    )


def split_group(
    lineup: Lineup,
    group_id: str,
    moving: Sequence[str],
    names: Mapping[str, str],
    *,
    new_group_id: str,
    next_round: int,
    room: Room,
) -> RunChange:
    """Part of a group becomes a new group (a colour not yet on the board).

    Both halves stand where they stood until the bell; from ``next_round`` on the rounds
    are re-planned so each half has its own way (the teacher-led table one group at a
    time, no station past its seats), each visiting the stations it still needs.
    """
    group = _group(lineup, group_id)
    members = lineup.members.get(group.id, ())
    chosen = tuple(s for s in members if s in set(moving))
    if len(members) < 2:
        raise ChangeRefused(f"{group.name} has one student; a group of one cannot be split.")
    if not chosen or len(chosen) == len(members):
        raise ChangeRefused(
            f"Choose some of {group.name}'s students for the new group, but not all of them."
        )
    colour = _free_colour(lineup.board)
    index = [g.id for g in lineup.board.groups].index(group.id)
    new = BoardGroup(new_group_id, colour[0], colour[1])
    board = lineup.board
    board = replace(
        board,
        groups=(*board.groups, new),
        rounds=tuple((*row, row[index] if index < len(row) else None) for row in board.rounds),
    )
    split = dict(lineup.members)
    split[group.id] = tuple(s for s in members if s not in chosen)
    split[new_group_id] = chosen
    changed = replace(lineup, board=board).with_members(split, names)
    who = ", ".join(_name(names, s) for s in chosen)
    total = len(board.rounds)
    if next_round >= total:
        summary = (
            f"{group.name} split: {who} now in {new.name}, with {group.name} until the "
            "bell (this is the last round)."
        )
    else:
        new_g = len(board.groups) - 1
        planned: Board | Infeasible | None = own_way(changed, room, new_g, index, next_round)
        if planned is None:
            planned = replan(changed, room, next_round)
        if isinstance(planned, Infeasible):
            raise ChangeRefused(
                "\n".join(
                    [
                        f"Split in two, {group.name} cannot be given a way of its own for "
                        f"{_rounds_text(next_round, total).lower()}, so nothing changed:",
                        *(f"- {p.message}" for p in planned.problems),
                        "Move one or two students to another group instead "
                        "(Change… ▸ Move a student).",
                    ]
                )
            )
        changed = replace(changed, board=planned)
        summary = (
            f"{group.name} split: {who} now in {new.name}. {new.name} goes to "
            f"{_path_text(changed, new_g, next_round)}; {group.name} to "
            f"{_path_text(changed, index, next_round)}."
        )
        shared = [
            f"{station.name} in round {r + 1}"
            for r in range(next_round, total)
            if planned.rounds[r][new_g] is not None
            and planned.rounds[r][new_g] == planned.rounds[r][index]
            and (station := planned.station(planned.rounds[r][new_g] or "")) is not None
        ]
        if shared:
            summary += f" They share {_and(shared)} (it has room for both)."
        moved = [
            x.name
            for i, x in enumerate(board.groups[:-1])
            if i != index
            and [r[i] for r in board.rounds[next_round:]]
            != [r[i] for r in planned.rounds[next_round:]]
        ]
        if moved:
            summary += f" {_and(moved)} {'has' if len(moved) == 1 else 'have'} new stations too."
    return RunChange(
        ChangeKind.SPLIT_GROUP,
        summary,
        changed,
        {"group_id": group.id, "new_group_id": new_group_id, "student_ids": list(chosen)},
    )


# --- stations and pace ------------------------------------------------------------


def station_out(
    lineup: Lineup, station_id: str, next_round: int, room: Room, *, in_round: bool = True
) -> RunChange:
    """Take a station out and re-plan the rounds from ``next_round`` over the rest.

    ``in_round``: round ``next_round - 1`` is still going on (not a transition). A group
    standing at the station then goes, until the bell, to a station it still needs that
    has room for it (that visit counts as made), or has free choice if none has.
    """
    board = lineup.board
    station = board.station(station_id)
    if station is None or station_id in lineup.stations_out:
        raise ChangeRefused("That station is not in this rotation any more.")
    left = [s for s in board.stations if s.id not in lineup.stations_out and s.id != station_id]
    if not left:
        raise ChangeRefused(
            f"{station.name} is the last station, so the rotation would have nowhere to go. "
            "End the rotation instead, or keep the station."
        )
    rounds = [list(row) for row in board.rounds]
    current = next_round - 1
    out = replace(lineup, stations_out=(*lineup.stations_out, station_id))
    until_bell: list[str] = []
    if in_round and 0 <= current < len(rounds):
        for g, cell in enumerate(rounds[current]):
            if cell != station_id:
                continue
            rounds[current][g] = None
            out = replace(out, board=replace(board, rounds=tuple(map(tuple, rounds))))
            rounds[current][g] = place_until_bell(out, room, g, current)
            out = replace(out, board=replace(board, rounds=tuple(map(tuple, rounds))))
            went = board.station(rounds[current][g] or "")
            name = board.groups[g].name
            until_bell.append(
                f"{name} goes to {went.name} until the bell."
                if went
                else f"{name}: free choice until the bell (no station {name} still needs "
                "has room now)."
            )
    remaining = len(board.rounds) - next_round
    planned = replan(out, room, next_round) if remaining > 0 else out.board
    if isinstance(planned, Infeasible):
        raise ChangeRefused(why_not(planned, station.name, next_round, len(board.rounds)))
    parts = [f"{station.name} is out."]
    if remaining > 0:
        parts.append(
            f"{_rounds_text(next_round, len(board.rounds))} re-planned over "
            f"{counted(len(left), 'station')}."
        )
    parts += until_bell
    done = replace(out, board=planned)
    missed = _missed(out, done, next_round).strip()
    if missed:
        parts.append(missed)
    return RunChange(
        ChangeKind.STATION_OUT,
        " ".join(parts),
        done,
        {"station_id": station_id, "from_round": next_round + 1},
    )


def stay(lineup: Lineup, group_id: str, next_round: int, room: Room) -> RunChange:
    """The group stays at its station for the next round (see the module's docstring)."""
    group = _group(lineup, group_id)
    board = lineup.board
    g = [x.id for x in board.groups].index(group.id)
    if next_round >= len(board.rounds):
        raise ChangeRefused(
            "This is the last round, so there is no next round to stay for. "
            "Add time to the clock instead (+1 or +5): everyone gets it."
        )
    here = board.rounds[next_round - 1][g] if next_round >= 1 else None
    if here is None or here in lineup.stations_out:
        raise ChangeRefused(f"{group.name} has no station now, so there is nothing to stay at.")
    row = [r[g] for r in board.rounds]
    tail = row[next_round:]
    if here in tail:
        tail.remove(here)  # it stays longer now, so its later visit there is not needed
    elif None in tail:
        tail.remove(None)  # its first free round absorbs the shift
    else:
        tail.pop()
    changed = _with_row(lineup, g, [*row[:next_round], here, *tail])
    if conflicts(changed, room, g, next_round):
        changed = _make_room(changed, room, g, next_round, row[next_round])
    station = board.station(here)
    summary = f"{group.name} stays at {station.name if station else 'its station'} for round "
    summary += f"{next_round + 1}.{_missed(lineup, changed, next_round)}"
    return RunChange(
        ChangeKind.STAY, summary, changed, {"group_id": group.id, "round": next_round + 1}
    )


def skip(lineup: Lineup, group_id: str, next_round: int, room: Room) -> RunChange:
    """The group leaves out its next station and goes on to the one after it."""
    group = _group(lineup, group_id)
    board = lineup.board
    g = [x.id for x in board.groups].index(group.id)
    if next_round >= len(board.rounds):
        raise ChangeRefused("This is the last round: there is no next station to skip.")
    row = [r[g] for r in board.rounds]
    skipped = row[next_round]
    if skipped is None:
        raise ChangeRefused(
            f"{group.name} has free choice next round: there is no station to skip."
        )
    new_row = [*row[:next_round], *row[next_round + 1 :], None]
    changed = _with_row(lineup, g, new_row)
    if conflicts(changed, room, g, next_round):
        planned = replan_forgiving(lineup, room, next_round, drop={group.id: skipped})
        changed = replace(changed, board=planned)
    station = board.station(skipped)
    after = changed.board.rounds[next_round][g]
    goes = changed.board.station(after)
    summary = f"{group.name} skips {station.name if station else 'its next station'}: " + (
        f"next it goes to {goes.name}." if goes else "next round is free choice."
    )
    summary += _missed(lineup, changed, next_round, but=skipped)
    return RunChange(
        ChangeKind.SKIP,
        summary,
        changed,
        {"group_id": group.id, "station_id": skipped, "round": next_round + 1},
    )


def why_not(result: Infeasible, station_name: str, next_round: int, rounds: int) -> str:
    """The plan page's explanation, with only the fixes a teacher can make mid-run."""
    lines = [
        f"Without {station_name}, {_rounds_text(next_round, rounds).lower()} cannot be "
        "planned, so nothing changed:"
    ]
    lines += [f"- {p.message}" for p in result.problems]
    usable = [f for f in result.fixes if f.code in ("larger-capacity", "fewer-groups")]
    lines.append("Any one of these would fix it:")
    lines += [f"- {f.message}" for f in usable]
    if any(p.code == "group-too-big" for p in result.problems):
        regroup = "split the large group (Change… ▸ Split a group)"
    else:
        regroup = "merge two groups (Change… ▸ Merge two groups)"
    lines.append(
        f"- Keep {station_name} in the rotation (a group there can work on paper), "
        f"or {regroup} and try again."
    )
    return "\n".join(lines)


# --- internals --------------------------------------------------------------------


def _make_room(lineup: Lineup, room: Room, g: int, next_round: int, given_up: str | None) -> Lineup:
    """Groups due at the staying group's station next round go elsewhere: to the
    station it gave up, or another they still need that has room, else free choice;
    the rounds after that are re-planned."""
    board = lineup.board
    here = board.rounds[next_round][g]
    rounds = [list(r) for r in board.rounds]
    for other, cell in enumerate(rounds[next_round]):
        if other == g or cell != here:
            continue
        rounds[next_round][other] = None
        owed = [
            s
            for s in (given_up, *(r[other] for r in board.rounds[next_round + 1 :]))
            if s is not None
            and s != here
            and s not in lineup.stations_out
            and all(r[other] != s for r in board.rounds[:next_round])
        ]
        for station_id in owed:
            rounds[next_round][other] = station_id
            trial = replace(lineup, board=replace(board, rounds=tuple(map(tuple, rounds))))
            if not conflicts(trial, room, other, next_round, next_round):
                break
            rounds[next_round][other] = None
    changed = replace(lineup, board=replace(board, rounds=tuple(map(tuple, rounds))))
    if conflicts(changed, room, g, next_round, next_round):
        raise ChangeRefused(
            f"{board.groups[g].name} cannot stay: its station has no room for it next "
            "round. Add time to the clock instead (+5): everyone gets it."
        )
    if next_round + 1 < len(board.rounds):
        changed = replace(changed, board=replan_forgiving(changed, room, next_round + 1))
    return changed


def _missed(before: Lineup, after: Lineup, next_round: int, *, but: str | None = None) -> str:
    """ " X misses Y today." for every visit a group was due from ``next_round`` on and
    no longer makes (a station out, and ``but``, are expected and not said)."""
    after_ids = [x.id for x in after.board.groups]
    expected = {*after.stations_out, but}
    out = []
    for g, group in enumerate(before.board.groups):
        if group.id not in after_ids:
            continue
        a = after_ids.index(group.id)
        was_due = {r[g] for r in before.board.rounds[next_round:]}
        now_due = {r[a] for r in after.board.rounds}
        lost = was_due - now_due - expected
        names = sorted(s.name for s in after.board.stations if s.id in lost)
        if names:
            out.append(f" {group.name} misses {' and '.join(names)} today.")
    return "".join(out)


def _with_row(lineup: Lineup, g: int, row: Sequence[str | None]) -> Lineup:
    rounds = tuple(
        tuple(row[r] if i == g else cell for i, cell in enumerate(cells))
        for r, cells in enumerate(lineup.board.rounds)
    )
    return replace(lineup, board=replace(lineup.board, rounds=rounds))


def _without_group(lineup: Lineup, group_id: str) -> Lineup:
    board = lineup.board
    index = [g.id for g in board.groups].index(group_id)
    groups = tuple(g for i, g in enumerate(board.groups) if i != index)
    rounds = tuple(tuple(c for i, c in enumerate(row) if i != index) for row in board.rounds)
    members = {gid: ids for gid, ids in lineup.members.items() if gid != group_id}
    return replace(lineup, board=replace(board, groups=groups, rounds=rounds), members=members)


def _group(lineup: Lineup, group_id: str) -> BoardGroup:
    group = lineup.group(group_id)
    if group is None:
        raise ChangeRefused("That group is not in this rotation any more. Pick another one.")
    return group


def _name(names: Mapping[str, str], student_id: str) -> str:
    if student_id not in names:
        raise ChangeRefused(
            "That student is not in this class. Add the student on the Roster page "
            "first, then add them to a group here."
        )
    return names[student_id]


def _free_colour(board: Board) -> tuple[str, str]:
    taken = {g.name for g in board.groups} | {g.colour.upper() for g in board.groups}
    for colour in OKABE_ITO:
        if colour.name not in taken and colour.hex.upper() not in taken:
            return colour.name, colour.hex
    n = len(board.groups) + 1
    return f"Group {n}", OKABE_ITO[n % len(OKABE_ITO)].hex


def _path_text(lineup: Lineup, g: int, from_round: int) -> str:
    """ "Art, then Books and free choice": where group ``g`` goes from ``from_round`` on."""
    stops = []
    for row in lineup.board.rounds[from_round:]:
        station = lineup.board.station(row[g] or "")
        stops.append(station.name if station else "free choice")
    if not stops:
        return "nowhere new (the rotation ends)"
    return stops[0] if len(stops) == 1 else f"{stops[0]}, then {_and(stops[1:])}"


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _rounds_text(next_round: int, rounds: int) -> str:
    first, last = next_round + 1, rounds
    return f"Round {first}" if first == last else f"Rounds {first}–{last}"
