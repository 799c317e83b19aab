"""The teacher checks only the group in front of them: a plan group or the teacher table."""

from __future__ import annotations

from pathlib import Path

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.services.app import AppServices
from station_rotation.services.sample import create_sample_class
from tests.ui.quick_check_helpers import Keyboard, open_checks


def test_filtering_to_a_group_shows_and_checks_only_its_students(
    qtbot, services: AppServices
) -> None:  # type: ignore[no-untyped-def]
    """Opened for a group of 7, the grid lists those 7; 7 digits check exactly them."""
    section = create_sample_class(services, students=28)
    roster = [e.student.id for e in services.roster.roster(section.id)]
    group = roster[3:24:3]  # 7 students spread over the roster
    page = open_checks(qtbot, services, section.id)

    page.open_for_group(group, "Blue group (7)")
    assert page.group_picker.currentText() == "Blue group (7)"
    assert [s.id for s in page.model.students] == group
    keys = Keyboard(qtbot, page)
    keys.type("4321234")

    target = page.model.targets[0].id
    current = services.quick_checks.current(section.id)
    assert {sid for sid, tid in current if tid == target} == set(group)
    assert keys.count == 7

    page.group_picker.setCurrentIndex(0)  # back to the whole class: nothing lost
    assert page.model.rowCount() == 28
    assert sum(1 for s in page.model.students if page.model.cell(s.id, target)) == 7


def test_opened_from_a_running_rotation_it_shows_the_group_at_the_teacher_table(
    qtbot, services: AppServices, artifacts_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """The group at the teacher-led station this round is selected; checks carry the run."""
    section = create_sample_class(services, students=12)
    entries = services.roster.roster(section.id)
    stations = services.stations.list_for(section.id)
    teacher, online = stations[0], stations[1]
    assert teacher.kind == "teacher-led"
    green = tuple(e.student.first_name for e in entries[:5])
    orange = tuple(e.student.first_name for e in entries[5:])
    board = Board(
        stations=tuple(BoardStation(s.id, s.name, str(s.kind)) for s in (teacher, online)),
        groups=(
            BoardGroup("g-green", "Green", "#009E73", green),
            BoardGroup("g-orange", "Orange", "#E69F00", orange),
        ),
        rounds=((online.id, teacher.id), (teacher.id, online.id)),
    )
    run = services.rotation.start(section.id, RunSpec((900.0, 900.0), 60.0), board=board)
    page = open_checks(qtbot, services, section.id)

    assert page.open_for_run(run.run_id)
    assert page.group_picker.currentText().startswith("At Teacher table: Orange")
    assert [s.id for s in page.model.students] == [e.student.id for e in entries[5:]]
    Keyboard(qtbot, page).type("3333333")

    checks = services.quick_checks.history(section.id)
    assert len(checks) == 7
    assert {c.run_id for c in checks} == {run.run_id}
    assert {c.station_id for c in checks} == {teacher.id}
    page.grab().save(str(artifacts_dir / "quick-checks-teacher-table.png"))
