"""What the projector says, worked out from the clock and the board (no window needed)."""

from __future__ import annotations

from projector_sample import sample_board

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation
from station_rotation.core.rotation.clock import RotationClock, RunSpec
from station_rotation.ui.projector.scene import (
    FREE_CHOICE,
    Mode,
    Tone,
    countdown_text,
    scene_for,
    tone_of,
)


def test_the_countdown_rounds_up_so_zero_means_time_is_over() -> None:
    """0.2 s left still reads 0:01; hours appear only past an hour."""
    assert countdown_text(0.2) == "0:01"
    assert countdown_text(0.0) == "0:00"
    assert countdown_text(-3.0) == "0:00"
    assert countdown_text(59.2) == "1:00"
    assert countdown_text(600.0) == "10:00"
    assert countdown_text(3725.0) == "1:02:05"


def test_the_last_round_has_no_next_station() -> None:
    """In round 4 of 4 no card says "Next:"; in round 3 every card does."""
    board = sample_board(4)
    clock = RotationClock(RunSpec((60.0,) * 4))
    clock.start(0.0)
    third = scene_for(clock.view(150.0), board, first_names=False)
    last = scene_for(clock.view(190.0), board, first_names=False)
    assert third.round_text == "Round 3 of 4" and all(row.next_station for row in third.rows)
    assert last.round_text == "Round 4 of 4" and not any(row.next_station for row in last.rows)


def test_a_free_round_reads_free_choice() -> None:
    """A group with no station in a round is told it has a free choice."""
    station = BoardStation("s1", "Library")
    board = Board(
        stations=(station,),
        groups=(BoardGroup("g1", "Red", "#E5484D"),),
        rounds=(("s1",), (None,)),
    )
    clock = RotationClock(RunSpec((60.0, 60.0), transition_seconds=10.0))
    clock.start(0.0)
    first = scene_for(clock.view(5.0), board, first_names=False)
    assert first.rows[0].station == "Library" and first.rows[0].next_station == FREE_CHOICE
    moving = scene_for(clock.view(65.0), board, first_names=False)
    assert moving.mode is Mode.TRANSITION
    assert (moving.rows[0].station, moving.rows[0].from_station) == (FREE_CHOICE, "Library")


def test_a_teacher_who_ends_early_sees_where_it_ended() -> None:
    """Ended during round 2 of 4: the screen says so rather than "all rounds done"."""
    clock = RotationClock(RunSpec((60.0,) * 4))
    clock.start(0.0)
    clock.end(90.0)
    view = clock.view(100.0)
    scene = scene_for(view, sample_board(4), first_names=False)
    assert (scene.mode, scene.round_text, scene.rows) == (
        Mode.FINISHED,
        "Ended in round 2 of 4",
        (),
    )
    assert tone_of(view) is Tone.IDLE
