"""Shared steps of the Plan page stories: open the page, make a plan through its dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from station_rotation.services.app import AppServices
from station_rotation.ui.plan.plan_dialogs import PlanNameDialog
from station_rotation.ui.plan.plan_page import PlanPage


def open_page(qtbot, services: AppServices, class_id: str) -> PlanPage:  # type: ignore[no-untyped-def]
    page = PlanPage(services)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.set_class(class_id)
    page.show()
    qtbot.waitExposed(page)
    return page


def fill_and_ok(qtbot, dialog: PlanNameDialog | None, name: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``name`` into a plan dialog and press its OK button."""
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, name)
    ok = dialog.findChild(QPushButton, "dialogOk")
    assert ok is not None
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def new_plan(qtbot, page: PlanPage, name: str = "Ratios day 1") -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.plans.new_button, Qt.MouseButton.LeftButton)
    fill_and_ok(
        qtbot, page.plans.dialog if isinstance(page.plans.dialog, PlanNameDialog) else None, name
    )
    assert page.plan is not None and page.plan.name == name
