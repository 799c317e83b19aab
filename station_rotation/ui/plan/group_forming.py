"""The "Form groups" bar: how to form them, how many, from which targets, which pairs.

It only gathers the teacher's choice and emits :attr:`GroupFormingBar.form_requested`
with the keyword arguments of ``PlanService.form_groups``; the page does the forming.
Pairs (keep apart / keep together) are chosen in a small menu-driven list; they are saved
in the plan (the page asks the service through :attr:`GroupFormingBar.pair_requested`),
shown under the bar, and apply to every forming until removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.plan.members_model import MemberRow
from station_rotation.ui.widgets import named

METHODS = (
    ("Balanced", "balanced", "Even sizes; students flagged for support spread out"),
    ("Random", "random", "Shuffle the class"),
    ("Tiers from quick checks", "tiers", "Similar recent results together"),
    ("Mixed ability", "mixed", "Each group has a mix of recent results"),
)
BY_COUNT, BY_SIZE = "count", "size"


class GroupFormingBar(QWidget):
    """Method, number of groups or group size, targets, pairs, and the Form button."""

    form_requested = Signal(dict)  # keyword arguments for PlanService.form_groups
    pair_requested = Signal(str, str, object)  # first, second, "apart" / "together" / None
    clear_pairs_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keep_apart: list[tuple[str, str]] = []
        self.keep_together: list[tuple[str, str]] = []
        self._names: dict[str, str] = {}

        self.method = named(QComboBox(), "formMethod")
        for label, value, tip in METHODS:
            self.method.addItem(label, value)
            self.method.setItemData(self.method.count() - 1, tip, 3)  # ToolTipRole
        self.method.setAccessibleName("How to form groups")
        self.method.currentIndexChanged.connect(lambda _i: self._update_targets())
        self.by = named(QComboBox(), "formBy")
        self.by.addItem("groups", BY_COUNT)
        self.by.addItem("students per group", BY_SIZE)
        self.by.currentIndexChanged.connect(lambda _i: self._update_amount())
        self.amount = named(QSpinBox(), "formAmount")
        self.amount.setRange(1, 12)
        self.amount.setValue(4)
        self.amount.setAccessibleName("Number of groups or group size")
        self.targets_button = named(QToolButton(), "formTargets")
        self.targets_button.setText("Targets…")
        self.targets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.targets_menu = QMenu(self.targets_button)
        self.targets_button.setMenu(self.targets_menu)
        self.targets_button.setToolTip("Learning targets whose quick checks decide the tiers")
        self.pairs_button = named(QToolButton(), "formPairs")
        self.pairs_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pairs_menu = QMenu(self.pairs_button)
        self.pairs_button.setMenu(self.pairs_menu)
        self.pairs_menu.aboutToShow.connect(self.fill_pairs_menu)
        self.pairs_button.setToolTip("Students to keep apart or together")
        self.form_button = named(QPushButton("Form groups"), "formButton")
        self.form_button.setToolTip("Replace the groups of this plan by new ones")
        self.form_button.clicked.connect(self.request)
        self.pairs_label = named(QLabel(), "pairsSummary")
        self.pairs_label.setWordWrap(True)
        self.pairs_label.setToolTip("Saved with the plan: every forming of groups keeps them")

        first = QHBoxLayout()
        first.addWidget(QLabel("Form"))
        first.addWidget(self.method, 1)
        first.addWidget(self.amount)
        first.addWidget(self.by, 1)
        second = QHBoxLayout()
        second.addWidget(self.targets_button)
        second.addWidget(self.pairs_button)
        second.addStretch(1)
        second.addWidget(self.form_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.pairs_label)
        self._update_targets()
        self._update_pairs()

    def set_choices(
        self, students: Sequence[MemberRow], targets: Sequence[tuple[str, str]]
    ) -> None:
        """The class's students (for pairs) and learning targets ``(id, label)``."""
        self._names = {s.id: s.name for s in students}
        chosen = set(self.chosen_targets())
        self.targets_menu.clear()
        for target_id, label in targets:
            action = self.targets_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(target_id in chosen)
            action.setData(target_id)
        self._update_pairs()

    def show_pairs(
        self, apart: Sequence[tuple[str, str]], together: Sequence[tuple[str, str]]
    ) -> None:
        """The plan's saved pairs."""
        self.keep_apart = list(apart)
        self.keep_together = list(together)
        self._update_pairs()

    def chosen_targets(self) -> list[str]:
        return [str(a.data()) for a in self.targets_menu.actions() if a.isChecked()]

    def add_pair(self, first: str, second: str, *_checked: object, apart: bool) -> None:
        if first != second:
            self.pair_requested.emit(first, second, "apart" if apart else "together")

    def remove_pair(self, first: str, second: str, *_checked: object) -> None:
        self.pair_requested.emit(first, second, None)

    def clear_pairs(self) -> None:
        self.clear_pairs_requested.emit()

    def request(self) -> None:
        amount = self.amount.value()
        by_count = self.by.currentData() == BY_COUNT
        kwargs: dict[str, Any] = {
            "method": self.method.currentData(),
            "count": amount if by_count else None,
            "size": None if by_count else amount,
            "target_ids": self.chosen_targets(),
        }  # the pairs are the plan's own: the service reads them
        self.form_requested.emit(kwargs)

    def _update_targets(self) -> None:
        uses_data = self.method.currentData() in ("tiers", "mixed")
        self.targets_button.setEnabled(uses_data)

    def _update_amount(self) -> None:
        self.amount.setRange(1, 12 if self.by.currentData() == BY_COUNT else 40)

    def _update_pairs(self) -> None:
        count = len(self.keep_apart) + len(self.keep_together)
        self.pairs_button.setText(f"Pairs ({count})…" if count else "Pairs…")
        parts = []
        for pairs, title in ((self.keep_apart, "Kept apart"), (self.keep_together, "Together")):
            if pairs:
                names = ", ".join(f"{self._name(a)} & {self._name(b)}" for a, b in pairs)
                parts.append(f"{title}: {names}")
        self.pairs_label.setText("  ·  ".join(parts))
        self.pairs_label.setVisible(bool(parts))

    def fill_pairs_menu(self) -> None:
        """Build the pairs menu when it opens (a class of 30 makes ~900 entries)."""
        count = len(self.keep_apart) + len(self.keep_together)
        menu = self.pairs_menu
        menu.clear()
        for pairs, word in ((self.keep_apart, "apart"), (self.keep_together, "together")):
            for a, b in pairs:
                action = menu.addAction(f"{self._name(a)} and {self._name(b)}: {word}")
                action.setCheckable(True)
                action.setChecked(True)
                action.setToolTip("Untick to remove this pair")
                action.triggered.connect(partial(self.remove_pair, a, b))
        if count:
            menu.addSeparator()
            menu.addAction("Clear all pairs", self.clear_pairs)
        names = sorted(self._names.items(), key=lambda item: item[1].casefold())
        for apart, title in ((True, "Keep apart"), (False, "Keep together")):
            sub = menu.addMenu(title)
            sub.setEnabled(len(names) > 1)
            for first_id, first_name in names:
                with_menu = sub.addMenu(first_name)
                for second_id, second_name in names:
                    if second_id != first_id:
                        action = with_menu.addAction(second_name)
                        action.triggered.connect(
                            partial(self.add_pair, first_id, second_id, apart=apart)
                        )

    def _name(self, student_id: str) -> str:
        return self._names.get(student_id, "a former student")
