"""The panel shown instead of the timeline when no schedule exists.

It says plainly which constraints break and lists the verified fixes; a fix the page
knows how to apply to the plan gets an "Apply" button (each fix was checked by solving,
so applying one always gives a working timetable).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_rotation.core.scheduling.model import Fix, Infeasible
from station_rotation.ui.widgets import named

PANEL_STYLE = (
    "QFrame#explanationPanel { background: #fff4e5; border: 1px solid #e0a040;"
    " border-radius: 6px; }"
)


def _label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class ExplanationPanel(QFrame):
    """Problems and fixes of an :class:`Infeasible` result; emits :attr:`fix_chosen`."""

    fix_chosen = Signal(object)  # Fix

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explanationPanel")
        self.setStyleSheet(PANEL_STYLE)
        self._layout = QVBoxLayout(self)
        self.apply_buttons: list[QPushButton] = []
        self.result: Infeasible | None = None

    def show_result(self, result: Infeasible, can_apply: Callable[[Fix], bool]) -> None:
        """Show ``result``; ``can_apply(fix)`` says whether a fix gets an Apply button."""
        self.result = result
        self.apply_buttons = []
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        title = _label("<b>This plan cannot work yet.</b>", "explanationTitle")
        title.setTextFormat(Qt.TextFormat.RichText)
        self._layout.addWidget(title)
        for problem in result.problems:
            self._layout.addWidget(_label(f"•  {problem.message}", "problem"))
        if result.fixes:
            self._layout.addWidget(_label("<b>Any one of these would fix it:</b>"))
            for fix in result.fixes:
                self._layout.addLayout(self._fix_row(fix, can_apply(fix)))
        else:
            self._layout.addWidget(
                _label("No small change makes it work: try fewer groups or a longer period.")
            )
        self._layout.addStretch(1)

    def _fix_row(self, fix: Fix, applicable: bool) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(_label(f"•  {fix.message}", "fix"), 1)
        if applicable:
            button = named(QPushButton("Apply"), f"applyFix_{fix.code}")
            button.setToolTip(f"Change the plan: {fix.message}")
            button.clicked.connect(lambda _checked=False, f=fix: self.fix_chosen.emit(f))
            self.apply_buttons.append(button)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def text(self) -> str:
        """Everything the panel says, for tests and for copying."""
        return self.result.explanation() if self.result else ""
