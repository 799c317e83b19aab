"""The class's plans on the Plan page: pick one, or make, copy, rename, keep or delete one.

"Copy…" is "same as last Tuesday": a new plan with the chosen plan's groups, paths and
pace, nobody absent. Dialogs open with ``open()``; a refused name keeps the dialog open
with the reason. The panel tells the page which plan to show through :attr:`chosen`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.services.app import AppServices
from station_rotation.services.plans.document import PlanSummary
from station_rotation.ui.plan.plan_dialogs import PlanNameDialog
from station_rotation.ui.plan.plan_list import PlanListView
from station_rotation.ui.widgets import named

Submit = Callable[[str, date | None, str | None], str]  # name, date, template -> plan id


class PlansPanel(QWidget):
    """The plan list and its buttons; see the module docstring."""

    chosen = Signal(object)  # plan id | None: show this plan
    said = Signal(str, bool)  # a message for the status line; False: a refusal

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.class_id: str | None = None
        self.dialog: QDialog | None = None
        self._loading = False

        self.plan_list = named(PlanListView(), "planList")
        self.plan_list.selectionModel().currentRowChanged.connect(self._on_row)
        self.new_button = named(QPushButton("New…"), "newPlan")
        self.new_button.clicked.connect(self.ask_new)
        self.copy_button = named(QPushButton("Copy…"), "copyPlan")
        self.copy_button.setToolTip("A new plan with the same groups, paths and pace")
        self.copy_button.clicked.connect(self.ask_copy)
        self.rename_button = named(QPushButton("Rename…"), "renamePlan")
        self.rename_button.clicked.connect(self.ask_rename)
        self.template_button = named(QPushButton("Keep as template"), "templatePlan")
        self.template_button.setToolTip("Keep this plan's groups, paths and pace to start from")
        self.template_button.clicked.connect(self.save_as_template)
        self.delete_button = named(QPushButton("Delete"), "deletePlan")
        self.delete_button.clicked.connect(self.ask_delete)
        buttons = QGridLayout()
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.copy_button, 0, 1)
        buttons.addWidget(self.rename_button, 1, 0)
        buttons.addWidget(self.delete_button, 1, 1)
        buttons.addWidget(self.template_button, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Plans</b>"))
        layout.addWidget(self.plan_list, 1)
        layout.addLayout(buttons)
        self._enable()

    # --- showing -------------------------------------------------------------------

    def current(self) -> PlanSummary | None:
        index = self.plan_list.currentIndex()
        return self.plan_list.plans.plan(index.row()) if index.isValid() else None

    def show_plans(self, class_id: str | None, keep: str | None) -> str | None:
        """List ``class_id``'s plans and select ``keep`` (else today's, else the newest)."""
        self.class_id = class_id
        plans = self.services.plans.list_plans(class_id) if class_id else []
        chosen = keep if keep in {p.id for p in plans} else None
        if chosen is None and class_id is not None and plans:
            today = self.services.plans.plan_for_day(class_id)
            chosen = today.id if today else plans[0].id
        self._loading = True
        try:
            self.plan_list.plans.set_plans(plans)
            self.plan_list.select_plan(chosen)
        finally:
            self._loading = False
        self._enable()
        return chosen

    def _enable(self) -> None:
        has_plan = self.current() is not None
        self.new_button.setEnabled(self.class_id is not None)
        for button in (self.copy_button, self.rename_button, self.delete_button):
            button.setEnabled(has_plan)
        current = self.current()
        self.template_button.setEnabled(current is not None and not current.is_template)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._enable()
        if not self._loading:
            self.chosen.emit(
                self.plan_list.plans.plan(current.row()).id if current.isValid() else None
            )

    def _show_new(self, plan_id: str | None) -> None:
        self.show_plans(self.class_id, plan_id)
        self.chosen.emit(self.plan_list.current_plan_id())

    # --- actions -------------------------------------------------------------------

    def _open_dialog(self, dialog: PlanNameDialog, submit: Submit) -> PlanNameDialog:
        self.dialog = dialog
        dialog.submitted.connect(lambda *args: self._submit(dialog, submit, *args))
        dialog.open()
        return dialog

    def _submit(
        self, dialog: PlanNameDialog, submit: Submit, name: str, day: date | None, tpl: str | None
    ) -> None:
        try:
            plan_id = submit(name, day, tpl)
        except StationRotationError as exc:
            dialog.refuse(str(exc))
            return
        dialog.accept()
        self.dialog = None
        self._show_new(plan_id)

    def ask_new(self) -> PlanNameDialog | None:
        class_id = self.class_id
        if class_id is None:
            return None
        plans = self.services.plans
        templates = [(t.id, t.name) for t in plans.list_plans(class_id, templates=True)]

        def create(name: str, day: date | None, template: str | None) -> str:
            plan = plans.create(class_id, name, day, from_template=template)
            self.said.emit(f"Made the plan “{plan.name}”.", True)
            return plan.id

        dialog = PlanNameDialog(
            self,
            title="New plan",
            ok_text="Make plan",
            name="Today's rotation",
            lesson_date=date.today(),
            templates=templates,
        )
        return self._open_dialog(dialog, create)

    def ask_copy(self) -> PlanNameDialog | None:
        plan = self.current()
        if plan is None:
            return None

        def copy(name: str, day: date | None, _template: str | None) -> str:
            new = self.services.plans.copy(plan.id, name=name, lesson_date=day)
            self.said.emit(
                f"Copied “{plan.name}”: same groups, paths and pace; nobody absent.", True
            )
            return new.id

        dialog = PlanNameDialog(
            self, title="Copy plan", ok_text="Copy", name=plan.name, lesson_date=date.today()
        )
        return self._open_dialog(dialog, copy)

    def ask_rename(self) -> PlanNameDialog | None:
        plan = self.current()
        if plan is None:
            return None

        def rename(name: str, day: date | None, _template: str | None) -> str:
            self.services.plans.rename(plan.id, name)
            if not plan.is_template:
                self.services.plans.set_lesson_date(plan.id, day)
            self.said.emit("Renamed.", True)
            return plan.id

        dialog = PlanNameDialog(
            self,
            title="Rename plan",
            ok_text="Rename",
            name=plan.name,
            lesson_date=plan.lesson_date,
            ask_date=not plan.is_template,
        )
        return self._open_dialog(dialog, rename)

    def save_as_template(self) -> None:
        plan = self.current()
        if plan is None:
            return
        try:
            template = self.services.plans.save_as_template(plan.id)
        except StationRotationError as exc:
            self.said.emit(str(exc), False)
            return
        self.show_plans(self.class_id, plan.id)
        self.said.emit(f"Kept as the template “{template.name}”: New… can start from it.", True)

    def ask_delete(self) -> QMessageBox | None:
        plan = self.current()
        if plan is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete plan",
            f"Delete the plan “{plan.name}”? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("deleteQuestion")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.delete_plan(plan.id))
        self.dialog = box
        box.open()
        return box

    def delete_plan(self, plan_id: str) -> None:
        try:
            self.services.plans.delete(plan_id)
        except StationRotationError as exc:
            self.said.emit(str(exc), False)
            return
        self._show_new(None)
        self.said.emit("Plan deleted.", True)
