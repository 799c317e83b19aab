"""The rules of changing a running rotation, on a small board without a store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation
from station_rotation.core.rotation.changes import (
    ChangeRefused,
    RunChange,
    add_student,
    mark_gone,
    merge_groups,
    move_student,
    skip,
    split_group,
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


def test_a_group_at_a_station_taken_out_goes_where_it_still_needs_to_and_has_room() -> None:
    """Books breaks in round 1 with Pink at it; Art seats six, so Pink joins Sky there
    until the bell (Art was still on Pink's way) instead of wandering."""
    room = {**ROOM, "a": Station("a", "Art", 6)}
    made = station_out(lineup(), "b", 1, room)
    rounds = made.lineup.board.rounds
    assert rounds[0] == ("t", "a", "a")
    assert "Pink goes to Art until the bell." in made.summary
    assert [row[2] for row in rounds[1:] if row[2]] == ["t"]  # Art is done; the teacher left


def test_a_group_at_a_station_taken_out_has_free_choice_when_nothing_has_room() -> None:
    made = station_out(lineup(), "b", 1, ROOM)  # Art (three seats) has Sky's three
    assert made.lineup.board.rounds[0][2] is None
    assert "Pink: free choice until the bell (no station Pink still needs has room now)." in (
        made.summary
    )


def test_a_station_taken_out_in_a_transition_leaves_the_round_that_ran_alone() -> None:
    """Between rounds 1 and 2, Books goes: round 1 is the day's record, as it ran."""
    made = station_out(lineup(), "b", 1, ROOM, in_round=False)
    assert made.lineup.board.rounds[0] == ("t", "a", "b")
    assert "until the bell" not in made.summary


def test_a_merge_that_a_station_cannot_seat_is_refused_and_says_what_to_do() -> None:
    """Red (3) and Pink (2) would be five; Art and Books seat three each."""
    with pytest.raises(ChangeRefused) as refused:
        merge_groups(lineup(), "red", "pink", NAMES, 1, ROOM)
    assert str(refused.value) == (
        "Art seats 3 and Books seats 3; Red and Pink together are 5, and Red still goes "
        "there. Nothing changed: merge smaller groups, or raise the seats on the Stations "
        "page and merge again."
    )


def test_a_merge_that_would_crowd_a_shared_station_re_plans_the_rounds_to_come() -> None:
    """Art seats four and Red shares it with Sky in round 2: merged with Pink, Red is
    four, so the rounds to come are planned again with no station past its seats."""
    room = {**ROOM, "a": Station("a", "Art", 4), "b": Station("b", "Books", 4)}
    stations = tuple(BoardStation(s.id, s.name, s.kind.value) for s in room.values())
    groups = tuple(BoardGroup(g, g.title(), "#0072B2") for g in ("red", "sky", "pink"))
    rounds = (("t", "a", "b"), ("a", "a", "t"), ("b", "t", "a"))
    members = {"red": ("s0", "s1"), "sky": ("s3", "s4"), "pink": ("s6", "s7")}
    start = Lineup(Board(stations, groups, rounds)).with_members(members, NAMES)
    made = merge_groups(start, "red", "pink", NAMES, 1, room)
    board = made.lineup.board
    assert [g.id for g in board.groups] == ["red", "sky"]
    assert {board.rounds[1][0], board.rounds[2][0]} == {"a", "b"}  # Red still visits both
    assert all(row[0] != row[1] for row in board.rounds[1:])  # never crowded with Sky
    assert "Rounds 2–3 re-planned so all 4 fit: Red goes to" in made.summary


def test_a_split_off_half_gets_a_way_of_its_own_and_never_a_second_seat_at_the_teacher() -> None:
    """Round 1: Sky is with the teacher; Art and Books seat six. Two of Sky go on as a
    new group: Sky still owes Art and Books, the new group the same, and neither ever
    meets the teacher with another group."""
    room = {**ROOM, "a": Station("a", "Art", 6), "b": Station("b", "Books", 6)}
    rounds = (("a", "t", "b"), ("b", "a", "t"), ("t", "b", "a"), (None, None, None))
    start = replace(lineup(), board=replace(lineup().board, rounds=rounds))
    made = split_group(start, "sky", ["s4", "s5"], NAMES, new_group_id="n", next_round=1, room=room)
    board = made.lineup.board
    new = board.groups[3]
    assert [row[3] for row in board.rounds[:1]] == ["t"]  # with Sky until the bell
    way = [row[3] for row in board.rounds[1:]]
    assert sorted(c for c in way if c) == ["a", "b"]
    assert way != [row[1] for row in board.rounds[1:]]  # not Sky's way
    for row in board.rounds[1:]:
        assert sum(1 for c in row if c == "t") <= 1
    assert made.summary.startswith(f"Sky split: Kid4, Kid5 now in {new.name}. {new.name} goes to")
    assert "share" not in made.summary


def test_a_split_with_no_way_for_both_halves_is_refused_with_why() -> None:
    """Pink still owes the teacher, and so would both its halves: two visits, and the
    teacher's table already taken in both rounds left."""
    with pytest.raises(ChangeRefused, match="Split in two, Pink cannot be given a way"):
        split_group(lineup(), "pink", ["s7"], NAMES, new_group_id="n", next_round=1, room=ROOM)


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
