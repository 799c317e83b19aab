"""The class's plans (and templates) as a list: newest lesson first, each with its date.

A row reads "Tue 24 Nov · Fractions review"; templates are listed after the plans, in
italics, marked "template". The buttons under the list live on the page; this module is
the model and the view.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from station_rotation.services.plans.document import PlanSummary
from station_rotation.ui.models.base import AnyIndex

PLAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def day_text(value: date | None) -> str:
    """ "Tue 24 Nov" (with the year when it is not this year); "No date" for None."""
    if value is None:
        return "No date"
    text = f"{value:%a} {value.day} {value:%b}"
    return text if value.year == date.today().year else f"{text} {value.year}"


def plan_text(plan: PlanSummary) -> str:
    if plan.is_template:  # the service names copies "… (template)": say it once
        return plan.name if "template" in plan.name.casefold() else f"{plan.name}  (template)"
    return f"{day_text(plan.lesson_date)} · {plan.name}"


class PlanListModel(QAbstractListModel):
    """Plans of one class, as the service lists them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanSummary] = []

    def set_plans(self, plans: Sequence[PlanSummary]) -> None:
        self.beginResetModel()
        self._rows = sorted(
            plans,
            key=lambda p: (p.is_template, -(p.lesson_date or date.min).toordinal(), p.name),
        )
        self.endResetModel()

    def plan(self, row: int) -> PlanSummary:
        return self._rows[row]

    def row_of(self, plan_id: str | None) -> int:
        return next((r for r, p in enumerate(self._rows) if p.id == plan_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        plan = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return plan_text(plan)
        if role == PLAN_ID_ROLE:
            return plan.id
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = "Template" if plan.is_template else f"Plan for {day_text(plan.lesson_date)}"
            return f"{kind}: {plan.name}"
        if role == Qt.ItemDataRole.FontRole and plan.is_template:
            font = QFont()
            font.setItalic(True)
            return font
        return None


class PlanListView(QListView):
    """Single selection; the page reacts to the current row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plans = PlanListModel(self)
        self.setModel(self.plans)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAccessibleName("Plans")

    def current_plan_id(self) -> str | None:
        index = self.currentIndex()
        return self.plans.plan(index.row()).id if index.isValid() else None

    def select_plan(self, plan_id: str | None) -> None:
        row = self.plans.row_of(plan_id)
        if row >= 0:
            self.setCurrentIndex(self.plans.index(row, 0))
