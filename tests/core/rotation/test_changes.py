"""The rules of changing a running rotation, on a small board without a store."""

from __future__ import annotations

import pytest

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation
from station_rotation.core.rotation.changes import (
    ChangeRefused,
    RunChange,
    add_student,
    mark_gone,
    move_student,
    skip,
    station_out,
    stay,
)
from station_rotation.core.rotation.lineup import Lineup
from station_rotation.core.scheduling.model import Station
from station_rotation.core.stations import StationKind

NAMES = {f"s{i}": f"Kid{i}" for i in range(9)}
ROOM = {
    "t": Station("t", "Teacher", 10, StationKind.TEACHER_LED),
    "a": Station("a", "Art", 3),
    "b": Station("b", "Books", 3),
}


def lineup() -> Lineup:
    """Three groups of three, three stations holding one group each, a Latin square."""
    stations = tuple(BoardStation(s.id, s.name, s.kind.value) for s in ROOM.values())
    groups = tuple(BoardGroup(g, g.title(), "#0072B2") for g in ("red", "sky", "pink"))
    rounds = (("t", "a", "b"), ("a", "b", "t"), ("b", "t", "a"))
    members = {"red": ("s0", "s1", "s2"), "sky": ("s3", "s4", "s5"), "pink": ("s6", "s7")}
    return Lineup(Board(stations, groups, rounds)).with_members(members, NAMES)


def test_a_change_round_trips_through_its_log_entry() -> None:
    """What the log keeps is the whole lineup: replay needs no recomputation."""
    made = add_student(lineup(), "s8", "pink", NAMES)
    assert RunChange.from_json(made.to_json(), 12.5) == RunChange(
        made.kind, made.summary, made.lineup, made.details, 12.5
    )
    assert made.lineup.board.groups[2].first_names == ("Kid6", "Kid7", "Kid8")


def test_a_student_not_in_the_class_is_refused() -> None:
    with pytest.raises(ChangeRefused, match="not in this class"):
        add_student(lineup(), "stranger", "red", NAMES)


def test_the_last_student_of_a_group_gone_takes_the_group_off_the_board() -> None:
    first = mark_gone(lineup(), "s6", NAMES).lineup
    made = mark_gone(first, "s7", NAMES)
    assert [g.id for g in made.lineup.board.groups] == ["red", "sky"]
    assert made.lineup.board.rounds == (("t", "a"), ("a", "b"), ("b", "t"))
    assert made.lineup.gone == ("s6", "s7")


def test_a_move_that_would_empty_a_group_is_refused_with_the_merge_to_make() -> None:
    alone = mark_gone(lineup(), "s6", NAMES).lineup
    with pytest.raises(ChangeRefused, match="Merge Pink into Red instead"):
        move_student(alone, "s7", "red", NAMES)


def test_a_group_that_stays_moves_its_later_stops_and_others_take_its_place() -> None:
    """Red stays at the teacher table in round 2; Pink, due there, takes Red's Art."""
    made = stay(lineup(), "red", 1, ROOM)
    rounds = made.lineup.board.rounds
    assert rounds[0] == ("t", "a", "b")
    assert rounds[1][0] == "t" and rounds[1][2] == "a"
    assert made.summary.startswith("Red stays at Teacher for round 2.")


def test_staying_in_the_last_round_is_refused_with_the_clock_as_the_tool() -> None:
    with pytest.raises(ChangeRefused, match=r"Add time to the clock instead \(\+1 or \+5\)"):
        stay(lineup(), "red", 3, ROOM)


def test_a_skip_goes_on_to_the_stop_after_next() -> None:
    made = skip(lineup(), "red", 1, ROOM)
    red = [row[0] for row in made.lineup.board.rounds]
    assert red[0] == "t" and "a" not in red[1:]
    assert made.summary.startswith("Red skips Art")


def test_a_station_out_re_plans_only_the_rounds_to_come() -> None:
    made = station_out(lineup(), "b", 1, ROOM)
    rounds = made.lineup.board.rounds
    assert rounds[0] == ("t", "a", None)  # Pink stood at Books: free choice now
    assert all("b" not in row for row in rounds[1:])
    assert made.lineup.stations_out == ("b",)


def test_the_last_station_cannot_be_taken_out() -> None:
    one = Lineup(lineup().board, lineup().members, stations_out=("a", "b"))
    with pytest.raises(ChangeRefused, match="Teacher is the last station"):
        station_out(one, "t", 1, ROOM)


def test_a_re_plan_that_cannot_work_says_why_and_what_to_do() -> None:
    """Art holds two today, and Red (three) still needs it once the teacher table is out:
    refused, with the plan page's reason and what to do."""
    room = {**ROOM, "a": Station("a", "Art", 2)}
    with pytest.raises(ChangeRefused) as refused:
        station_out(lineup(), "t", 1, room)
    text = str(refused.value)
    assert text.startswith("Without Teacher, rounds 2–3 cannot be planned, so nothing changed:")
    assert "- Red has 3 students, but Art holds only 2." in text
    assert "split the large group" in text
