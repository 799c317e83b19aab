"""Shared steps of the Plan page stories: open the page, make a plan through its dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from station_rotation.services.app import AppServices
from station_rotation.ui.plan.plan_dialogs import PlanNameDialog
from station_rotation.ui.plan.plan_page import PlanPage


def open_page(qtbot: QtBot, services: AppServices, class_id: str) -> PlanPage:
    page = PlanPage(services)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    return page


def fill_and_ok(qtbot: QtBot, dialog: PlanNameDialog | None, name: str) -> None:
    """Type ``name`` into a plan dialog and press its OK button."""
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, name)
    ok = dialog.findChild(QPushButton, "dialogOk")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def new_plan(qtbot: QtBot, page: PlanPage, name: str = "Ratios day 1") -> None:
    qtbot.mouseClick(page.plans.new_button, Qt.MouseButton.LeftButton)
    fill_and_ok(
        qtbot, page.plans.dialog if isinstance(page.plans.dialog, PlanNameDialog) else None, name
    )
    assert page.plan is not None and page.plan.name == name
