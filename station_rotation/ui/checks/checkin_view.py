"""Student check-in: a full-screen window where one student rates their own confidence.

It is handed the student's own name, the target statements and a function that saves
for that student, and nothing else, so it cannot show another student's name or data.
Esc hands the laptop back to the teacher (the window closes; the grid is underneath).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.errors import show_error
from station_rotation.ui.widgets import named

CONFIDENCE_WORDS = {
    1: "Not yet",
    2: "Getting there",
    3: "Pretty sure",
    4: "I could teach it",
}
MAX_WORDS = 200


@dataclass(frozen=True)
class Prompt:
    target_id: str
    statement: str


SaveReflection = Callable[[str, int, str], None]  # target id, confidence, words


class CheckInWindow(QWidget):
    """One student's prompts, one at a time; each is saved when the student presses Save."""

    closed = Signal()

    def __init__(
        self,
        student_name: str,
        prompts: Sequence[Prompt],
        save: SaveReflection,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("studentCheckIn")
        self.setWindowTitle("Student check-in")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._name = student_name
        self._prompts = list(prompts)
        self._save = save
        self._at = 0
        self.saved_count = 0

        self.setStyleSheet(
            "QWidget#studentCheckIn { background: #fbfaf7; }"
            "QLabel#checkInName { font-size: 30pt; font-weight: 600; }"
            "QLabel#checkInQuestion { font-size: 20pt; }"
            "QLabel#checkInStatement { font-size: 24pt; font-weight: 600; color: #1f2a44; }"
            "QPushButton[rating=true] { font-size: 16pt; padding: 18px 10px; min-width: 190px;"
            " border: 2px solid #5e3c99; border-radius: 10px; background: white; }"
            "QPushButton[rating=true]:checked { background: #5e3c99; color: white; }"
            "QLineEdit#checkInWords { font-size: 16pt; padding: 8px; }"
            "QLabel#checkInProgress { font-size: 13pt; color: #555; }"
            "QPushButton#checkInSave { font-size: 16pt; padding: 10px 36px; background: #1f2a44;"
            " color: white; border-radius: 8px; }"
            "QLabel#checkInStatus { font-size: 16pt; color: #1b5e20; }"
        )
        self.name_label = named(QLabel(f"Hi, {student_name}!"), "checkInName")
        self.progress = named(QLabel(), "checkInProgress")
        self.question = named(QLabel("How sure are you about:"), "checkInQuestion")
        self.statement = named(QLabel(), "checkInStatement")
        self.statement.setWordWrap(True)
        for label in (self.name_label, self.question, self.statement):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.ratings = QButtonGroup(self)
        self.ratings.setExclusive(True)
        rating_row = QHBoxLayout()
        rating_row.setSpacing(14)
        for level, words in CONFIDENCE_WORDS.items():
            button = named(QPushButton(f"{level}\n{words}"), f"confidence{level}")
            button.setCheckable(True)
            button.setProperty("rating", True)
            self.ratings.addButton(button, level)
            rating_row.addWidget(button)
        rating_row.addStretch(1)
        self.words = named(QLineEdit(), "checkInWords")
        self.words.setMaxLength(MAX_WORDS)
        self.words.setPlaceholderText("A few words (optional): what helps, what is tricky…")
        self.words.returnPressed.connect(self.save_current)
        self.save_button = named(QPushButton("Save"), "checkInSave")
        self.save_button.clicked.connect(self.save_current)
        self.status = named(QLabel(), "checkInStatus")
        hint = QLabel(
            "Press 1-4 or click, add a few words if you like, then Save. Esc: back to the teacher."
        )
        hint.setStyleSheet("color: #555; font-size: 12pt;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.setSpacing(18)
        layout.addWidget(self.name_label)
        layout.addWidget(self.progress)
        layout.addSpacing(10)
        layout.addWidget(self.question)
        layout.addWidget(self.statement)
        layout.addLayout(rating_row)
        layout.addWidget(self.words)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.status, 1)
        layout.addLayout(save_row)
        layout.addStretch(1)
        layout.addWidget(hint)
        self._show_prompt()

    # --- flow ---------------------------------------------------------------------

    def choose(self, level: int) -> None:
        button = self.ratings.button(level)
        if button is not None and button.isEnabled():
            button.setChecked(True)

    def save_current(self) -> None:
        """Save the chosen rating and words for the prompt shown, then show the next."""
        if self._at >= len(self._prompts):
            return
        level = self.ratings.checkedId()
        if level not in CONFIDENCE_WORDS:
            self.status.setStyleSheet("color: #8a1c1c;")
            self.status.setText("Choose 1, 2, 3 or 4 first.")
            return
        prompt = self._prompts[self._at]
        try:
            self._save(prompt.target_id, level, self.words.text())
        except Exception as exc:  # kept on screen: the student can press Save again
            show_error(self, "Not saved", exc)
            return
        self.saved_count += 1
        self._at += 1
        self._show_prompt()
        self.status.setStyleSheet("")
        self.status.setText("✓ Saved. Thank you!")

    def _show_prompt(self) -> None:
        checked = self.ratings.checkedButton()
        if checked is not None:
            self.ratings.setExclusive(False)
            checked.setChecked(False)
            self.ratings.setExclusive(True)
        self.words.clear()
        done = self._at >= len(self._prompts)
        for button in self.ratings.buttons():
            button.setVisible(not done)
        self.words.setVisible(not done)
        self.save_button.setVisible(not done)
        self.question.setVisible(not done)
        if done:
            self.progress.setText("")
            self.statement.setText(
                f"All done, {self._name}. Please hand the laptop back to your teacher."
            )
            return
        self.progress.setText(f"Question {self._at + 1} of {len(self._prompts)}")
        self.statement.setText(self._prompts[self._at].statement)
        first = self.ratings.button(1)
        if first is not None:
            first.setFocus()

    # --- keys ---------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        elif text in ("1", "2", "3", "4"):
            self.choose(int(text))
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_current()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
