"""The teacher checks only the group in front of them: a plan group or the teacher table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot
from quick_check_helpers import Keyboard, open_checks

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class


def test_filtering_to_a_group_shows_and_checks_only_its_students(
    qtbot: QtBot, services: AppServices
) -> None:
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

    page.open_for_group(roster[:2], "Blue group (7)")  # reopened: the new members count
    assert [s.id for s in page.model.students] == roster[:2]
    page.open_for_group(roster[:2], "Blue group (7)")  # already shown: still the same
    assert page.model.rowCount() == 2 and page.grid.currentIndex().row() == 0


def test_opened_from_a_running_rotation_it_shows_the_group_at_the_teacher_table(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
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


def test_todays_plan_offers_its_groups_and_its_rotation_opens_the_teacher_table(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """Today's plan's groups are in the picker (absent students left out); a run of the
    plan opens on the group at the teacher-led station, members taken from the plan."""
    section = create_sample_class(services, students=28)
    plan = services.plans.create(section.id, "Tuesday", date.today())
    groups = plan.body.groups
    away = groups[1].student_ids[0]
    services.plans.set_absent(plan.id, away, True)
    page = open_checks(qtbot, services, section.id)

    labels = [page.group_picker.itemText(i) for i in range(page.group_picker.count())]
    assert labels[0] == "Whole class (28)"
    second = f"{groups[1].name} ({len(groups[1].student_ids) - 1})"
    assert second in labels
    page.group_picker.setCurrentIndex(labels.index(second))
    shown = [s.id for s in page.model.students]
    assert set(shown) == set(groups[1].student_ids) - {away}
    Keyboard(qtbot, page).type("2" * len(shown))
    assert {sid for sid, _ in services.quick_checks.current(section.id)} == set(shown)

    spec, board = services.plans.run_for(plan.id)
    run = services.rotation.start(section.id, spec, board=board)
    assert page.open_for_run(run.run_id)
    [at_table] = [
        m.group for m in board.moves(0) if m.now is not None and m.now.kind == "teacher-led"
    ]
    members = next(g.student_ids for g in groups if g.id == at_table.id)
    assert {s.id for s in page.model.students} == set(members) - {away}
    page.grab().save(str(artifacts_dir / "quick-checks-plan-group.png"))
