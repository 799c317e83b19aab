"""A rotation run is durable: restarting the app resumes it at the right second."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_rotation.core.rotation.clock import InvalidCommand, Phase, RunSpec
from station_rotation.core.rotation.events import EventKind
from station_rotation.core.rotation.timesource import Anchor
from station_rotation.services.app import AppServices
from station_rotation.services.rotation import RotationService


class FakeTime:
    """A controllable anchor source: wall and monotonic clocks of one boot."""

    def __init__(self) -> None:
        self.wall, self.mono, self.boot = 1_800_000_000.0, 5_000.0, "boot-1"

    def __call__(self) -> Anchor:
        return Anchor(self.wall, self.mono, self.boot)

    def pass_seconds(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


SPEC = RunSpec(round_seconds=(600.0, 600.0, 600.0), transition_seconds=60.0)


def test_a_restarted_app_resumes_the_run_with_the_closed_time_counted(data_dir: Path) -> None:
    """The app dies 4 minutes into round 1 and is back 3 minutes later: 3 minutes left."""
    clock = FakeTime()
    first = AppServices.open(data_dir)
    section = first.classes.create_class(name="Math 6")
    run = RotationService(first.store, now=clock).start(section.id, SPEC)
    clock.pass_seconds(240)
    first.close()  # (as good as a kill: every command was already committed)

    clock.pass_seconds(180)
    second = AppServices.open(data_dir)
    try:
        service = RotationService(second.store, now=clock)
        [resumed] = service.unfinished_runs(section.id)
        assert resumed.run_id == run.run_id
        view = service.view(run.run_id)
        assert (view.phase, view.round_number, view.remaining) == (Phase.ROUND, 1, 180.0)
    finally:
        second.close()


def test_the_teacher_can_resume_paused_after_a_restart(services: AppServices) -> None:
    """Resuming paused holds the clock until the teacher presses start again."""
    clock = FakeTime()
    section = services.classes.create_class(name="Math 6")
    service = RotationService(services.store, now=clock)
    run = service.start(section.id, SPEC)
    clock.pass_seconds(100)
    restarted = RotationService(services.store, now=clock)
    view = restarted.resume_after_restart(run.run_id, paused=True)
    assert view.paused and view.remaining == 500.0
    clock.pass_seconds(1000)
    assert restarted.view(run.run_id).remaining == 500.0
    restarted.command(run.run_id, EventKind.RESUME)
    clock.pass_seconds(50)
    assert restarted.view(run.run_id).remaining == 450.0


def test_after_a_reboot_the_wall_clock_measures_the_gap(services: AppServices) -> None:
    """The monotonic clock restarts with the laptop; the wall clock bridges the gap."""
    clock = FakeTime()
    section = services.classes.create_class(name="Math 6")
    run = RotationService(services.store, now=clock).start(section.id, SPEC)
    clock.wall += 120
    clock.mono, clock.boot = 30.0, "boot-2"
    view = RotationService(services.store, now=clock).view(run.run_id)
    assert view.remaining == 480.0


def test_commands_are_durable_and_invalid_ones_write_nothing(services: AppServices) -> None:
    """Pause, +1 minute, skip, end: replayed from the file they give the same state."""
    clock = FakeTime()
    section = services.classes.create_class(name="Math 6")
    service = RotationService(services.store, now=clock)
    run = service.start(section.id, SPEC)
    clock.pass_seconds(30)
    service.command(run.run_id, EventKind.PAUSE)
    with pytest.raises(InvalidCommand):
        service.command(run.run_id, EventKind.PAUSE)
    service.command(run.run_id, EventKind.ADD_TIME, 60)
    service.command(run.run_id, EventKind.RESUME)
    service.command(run.run_id, EventKind.SKIP_FORWARD)
    rebuilt = RotationService(services.store, now=clock)
    assert rebuilt.view(run.run_id) == service.view(run.run_id)
    assert [e.kind for e in rebuilt.live(run.run_id).clock.events] == [
        EventKind.START,
        EventKind.PAUSE,
        EventKind.ADD_TIME,
        EventKind.RESUME,
        EventKind.SKIP_FORWARD,
    ]
    service.command(run.run_id, EventKind.END)
    assert RotationService(services.store, now=clock).unfinished_runs() == []


def test_the_board_is_stored_with_the_run_and_read_back_after_a_restart(data_dir: Path) -> None:
    """Who goes where is a snapshot taken at start: a restarted app shows the same board."""
    from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation

    board = Board(
        stations=(BoardStation("s1", "Library", instructions="Read"), BoardStation("s2", "Lab")),
        groups=(BoardGroup("g1", "Red", "#D55E00", ("Ana",)), BoardGroup("g2", "Blue", "#0072B2")),
        rounds=(("s1", "s2"), ("s2", None)),
        plan_id="p1",
    )
    first = AppServices.open(data_dir)
    section = first.classes.create_class(name="Math 6")
    run = first.rotation.start(section.id, SPEC, board=board)
    first.close()

    second = AppServices.open(data_dir)
    try:
        [resumed] = second.rotation.unfinished_runs(section.id)
        assert resumed.run_id == run.run_id
        assert resumed.board == board
        moves = resumed.board.moves(0)
        assert [(m.group.name, m.now and m.now.name, m.next and m.next.name) for m in moves] == [
            ("Red", "Library", "Lab"),
            ("Blue", "Lab", None),
        ]
    finally:
        second.close()


def test_every_command_tells_the_screens(services: AppServices) -> None:
    """Start, pause and end publish a change, so the panel and the projector redraw."""
    from station_rotation.core.events import Changes

    heard: list[Changes] = []
    services.bus.subscribe(heard.append)
    clock = FakeTime()
    section = services.classes.create_class(name="Math 6")
    heard.clear()
    service = RotationService(services.store, now=clock)
    run = service.start(section.id, SPEC)
    service.command(run.run_id, EventKind.PAUSE)
    service.command(run.run_id, EventKind.END)
    assert len(heard) == 3
    assert all(c.touches("rotation_run", "rotation_event") for c in heard)


def test_a_run_that_ran_out_is_closed_once_and_not_offered(services: AppServices) -> None:
    """The last round ended by the clock: close_if_over records it, once."""
    clock = FakeTime()
    section = services.classes.create_class(name="Math 6")
    service = RotationService(services.store, now=clock)
    run = service.start(section.id, SPEC)
    assert service.running_run(section.id) is not None
    assert service.close_if_over(run.run_id) is False
    clock.pass_seconds(3 * 600 + 2 * 60)
    assert service.running_run(section.id) is None
    heard: list[object] = []
    services.bus.subscribe(heard.append)
    assert service.close_if_over(run.run_id) is True
    assert service.close_if_over(run.run_id) is True
    assert len(heard) == 1  # the second call changed nothing, so it told no one
    assert service.unfinished_runs(section.id) == []


def test_a_run_waiting_for_the_teacher_still_waits_after_a_restart(data_dir: Path) -> None:
    """The app dies while round 2 waits for the teacher; back 5 minutes later it still
    waits, and the round then runs its full length from the teacher's key press."""
    clock = FakeTime()
    first = AppServices.open(data_dir)
    section = first.classes.create_class(name="Math 6")
    spec = RunSpec((600.0, 600.0), 60.0, auto_advance=False)
    run = RotationService(first.store, now=clock).start(section.id, spec)
    clock.pass_seconds(700)
    first.close()

    clock.pass_seconds(300)
    second = AppServices.open(data_dir)
    try:
        service = RotationService(second.store, now=clock)
        view = service.view(run.run_id)
        assert (view.phase, view.round_number, view.waiting) == (Phase.TRANSITION, 2, True)
        assert service.running_run(section.id) is not None  # still offered to resume
        service.command(run.run_id, EventKind.BEGIN_ROUND)
        clock.pass_seconds(100)
        view = service.view(run.run_id)
        assert (view.phase, view.round_number, view.remaining) == (Phase.ROUND, 2, 500.0)
    finally:
        second.close()
