"""The Plan page's item models pass Qt's model checks; the grid's colours stay readable."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QImage
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_rotation.core.scheduling.model import (
    Cell,
    CellKind,
    Fix,
    Infeasible,
    Pace,
    PlanRequest,
    Problem,
    RoundTimes,
    Timetable,
)
from station_rotation.core.scheduling.palette import OKABE_ITO
from station_rotation.store.plan_body import PlanStop
from station_rotation.ui.plan.absence_panel import AbsenceModel
from station_rotation.ui.plan.colours import contrast_ratio, station_tint, text_on
from station_rotation.ui.plan.explanation_panel import ExplanationPanel
from station_rotation.ui.plan.members_model import MemberRow, MembersModel
from station_rotation.ui.plan.path_model import PathModel
from station_rotation.ui.plan.timeline_data import GroupLabel, StationLabel, TimelineData
from station_rotation.ui.plan.timeline_grid import TimelineModel

STATIONS = (StationLabel("t", "Teacher table", True), StationLabel("o", "Online"))


def two_round_timeline() -> TimelineData:
    timetable = Timetable(
        rounds=(RoundTimes(1, time(9, 0), time(9, 15)), RoundTimes(2, time(9, 17), time(9, 32))),
        group_ids=("a", "b"),
        cells=(
            (Cell(CellKind.MUST_DO, "t"), Cell(CellKind.MUST_DO, "o")),
            (Cell(CellKind.MAY_DO, "o"), Cell(CellKind.FREE)),
        ),
    )
    groups = (GroupLabel("a", "Blue", "#0072B2", 7), GroupLabel("b", "Yellow", "#F0E442", 6))
    return TimelineData(timetable, groups, STATIONS)


def test_timeline_model_reads_like_the_board(qtmodeltester: ModelTester) -> None:
    """Cells name the station, may-do and free choice are marked, rows carry the clock."""
    model = TimelineModel()
    model.set_timeline(two_round_timeline())
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Teacher table"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data() == "Online\n(may-do)"
    assert model.index(1, 1).data() == "Free choice"
    assert model.headerData(1, Qt.Orientation.Vertical) == "Round 2\n9:17–9:32"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Yellow"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "Yellow, round 1: Online"
    model.set_timeline(None)
    assert model.rowCount() == 0


def test_the_timelines_group_headers_show_colour_and_shape(qtbot: QtBot) -> None:
    """Each group column's header icon is its badge: the colour with the group's shape,
    the shape the paper cards and the projector give it (Blue the circle, Yellow the
    diamond)."""
    data = two_round_timeline()
    assert [s.name for s in data.symbols()] == ["circle", "diamond"]
    model = TimelineModel()
    model.set_timeline(data)
    images = []
    for column, group in enumerate(data.groups):
        icon = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon) and not icon.isNull()
        image = icon.pixmap(18, 18).toImage().convertToFormat(QImage.Format.Format_RGB32)
        assert image.pixelColor(2, 9).name() == QColor(group.colour).name()
        assert image.pixelColor(9, 9) == text_on(QColor(group.colour))  # the shape's ink
        images.append(image)
    # Blue's circle covers half as much again of its square as Yellow's diamond does.
    inks = [
        sum(
            image.pixelColor(x, y) == text_on(QColor(group.colour))
            for x in range(3, 15)  # inside the badge's black edge
            for y in range(3, 15)
        )
        for image, group in zip(images, data.groups, strict=True)
    ]
    assert inks[0] > inks[1] * 1.2


def test_every_cell_and_header_colour_has_readable_text() -> None:
    """Station tints and group colours all reach WCAG AA contrast (4.5:1) with their text."""
    for index in range(len(OKABE_ITO)):
        tint = station_tint(index)
        assert contrast_ratio(tint, text_on(tint)) >= 4.5
    for colour in OKABE_ITO:
        strong = QColor(colour.hex)
        assert contrast_ratio(strong, text_on(strong)) >= 4.5, colour.name
    assert len({station_tint(i).name() for i in range(len(OKABE_ITO))}) == len(OKABE_ITO)


def test_list_models_pass_the_model_checks(qtmodeltester: ModelTester) -> None:
    """Members, absences and paths behave as Qt views expect."""
    rows = [MemberRow("1", "Ana Lopez"), MemberRow("2", "Ben Xu", absent=True)]
    members = MembersModel("g", lambda s, g: None)
    members.set_rows(rows)
    qtmodeltester.check(members)
    assert members.index(1, 0).data() == "Ben Xu (absent)"

    toggled: list[tuple[str, bool]] = []
    absences = AbsenceModel()
    absences.absence_toggled.connect(lambda s, a: toggled.append((s, a)))
    absences.set_rows(rows)
    qtmodeltester.check(absences)
    absences.setData(
        absences.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert toggled == [("1", True)]

    paths: list[list[PlanStop]] = []
    path = PathModel(paths.append)
    path.set_path(STATIONS, [PlanStop(station_id="o")])
    qtmodeltester.check(path)
    assert [path.index(r, 0).data() for r in range(2)] == ["Online", "Teacher table  (teacher-led)"]
    path.setData(path.index(1, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert [s.station_id for s in paths[-1]] == ["o", "t"]
    path.setData(path.index(0, 1), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert paths[-1][0].must_do is False
    assert path.moved(0, 1) is None  # one stop: nothing to swap with


def test_explanation_without_fixes_says_so(qtbot: QtBot) -> None:
    """A plan no small change can save lists its problems and no Apply button."""
    panel = ExplanationPanel()
    qtbot.addWidget(panel)
    result = Infeasible((Problem("x", "There are no stations."),), ())
    panel.show_result(result, lambda fix: True)
    assert panel.apply_buttons == []
    assert panel.text() == "This plan cannot work yet:\n- There are no stations."
    request = PlanRequest((), (), Pace(10), time(9), time(10))
    with_fix = Infeasible(result.problems, (Fix("more-rounds", "Add a round.", request),))
    panel.show_result(with_fix, lambda fix: False)
    assert panel.apply_buttons == []  # listed, but the page cannot map it back
    panel.show_result(with_fix, lambda fix: True)
    chosen: list[Fix] = []
    panel.fix_chosen.connect(chosen.append)
    panel.apply_buttons[0].click()
    assert chosen == list(with_fix.fixes)


def test_fixes_map_back_onto_the_plan() -> None:
    """Combined groups pool their students; a capacity fix names the station; others map 1:1."""
    from dataclasses import replace

    from station_rotation.core.scheduling.model import Group, Station, Stop
    from station_rotation.store.plan_body import PlanBody, PlanGroup
    from station_rotation.ui.plan.fix_mapping import map_fix

    stops = [PlanStop(station_id="t")]
    body = PlanBody(
        groups=[
            PlanGroup(id="a", name="Blue", colour="#0072B2", student_ids=["1", "2"], path=stops),
            PlanGroup(id="b", name="Orange", colour="#E69F00", student_ids=["3"], path=stops),
            PlanGroup(id="c", name="Green", colour="#009E73", student_ids=["4", "5"], path=stops),
        ]
    )
    path = (Stop("t"),)
    before = PlanRequest(
        (Station("t", "Teacher table", 6),),
        (Group("a", "Blue", 2, path), Group("b", "Orange", 1, path), Group("c", "Green", 2, path)),
        Pace(15, 2),
        time(9),
        time(10),
    )
    present = {"a": 2, "b": 1, "c": 2}
    merged = replace(before, groups=(replace(before.groups[0], size=3), before.groups[2]))
    mapped = map_fix(
        body, Fix("fewer-groups", "Combine", merged), present=present, capacities={"t": 6}
    )
    assert mapped is not None
    assert [g.id for g in mapped.body.groups] == ["a", "c"]
    assert mapped.body.groups[0].student_ids == ["1", "2", "3"]

    bigger = replace(before, stations=(Station("t", "Teacher table", 9),))
    mapped = map_fix(
        body, Fix("larger-capacity", "x", bigger), present=present, capacities={"t": 6}
    )
    assert mapped is not None and mapped.capacities == {"t": 9} and mapped.body == body

    later = replace(before, groups=(replace(before.groups[0], teacher_round=3), *before.groups[1:]))
    mapped = map_fix(body, Fix("teacher-round", "x", later), present=present, capacities={"t": 6})
    assert mapped is not None and mapped.body.groups[0].teacher_round == 3

    same = Fix("noop", "nothing changes", before)
    assert map_fix(body, same, present=present, capacities={"t": 6}) is None
