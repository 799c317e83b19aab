"""The private notes of one student: supports, interventions, comments, and the flag.

Teacher-only (never on the projector). The "needs support" box writes or ends a flag
note through ``services.student_notes``; the grouping suggestion reads that flag.
The list is re-read from the service after every change (the service holds the truth).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_rotation.services.app import AppServices
from station_rotation.services.roster.notes import KINDS, NEEDS_SUPPORT, kind_label
from station_rotation.ui.errors import show_error
from station_rotation.ui.widgets import named

NOTE_ID = Qt.ItemDataRole.UserRole


class NotesPanel(QWidget):
    """Notes and the needs-support flag of the selected student."""

    flag_changed = Signal(str, bool)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.class_id: str | None = None
        self.student_id: str | None = None
        self.heading = named(QLabel("Private notes"), "notesHeading")
        self.heading.setStyleSheet("font-weight: bold")
        self.flag_box = named(QCheckBox("&Needs support (the grouping suggestion uses this)"),
                              "needsSupportBox")  # fmt: skip
        self.flag_box.toggled.connect(self._on_flag)
        self.kind = named(QComboBox(), "noteKind")
        for kind, label in KINDS.items():
            if kind != NEEDS_SUPPORT:
                self.kind.addItem(label, kind)
        self.text = named(QLineEdit(), "noteText")
        self.text.setPlaceholderText("e.g. Extra manipulatives at the teacher table")
        self.text.returnPressed.connect(self.add_note)
        self.add_button = named(QPushButton("&Add"), "addNote")
        self.add_button.clicked.connect(self.add_note)
        self.list = named(QListWidget(), "notesList")
        self.list.setWordWrap(True)
        self.end_button = named(QPushButton("&End"), "endNote")
        self.end_button.setToolTip("Mark a support or intervention as over (it stays listed)")
        self.end_button.clicked.connect(self.end_selected)
        self.delete_button = named(QPushButton("&Delete"), "deleteNote")
        self.delete_button.setToolTip("Remove a note written by mistake")
        self.delete_button.clicked.connect(self.delete_selected)
        private = QLabel("Only you see these notes; they are never shown on the projector.")
        private.setWordWrap(True)
        private.setStyleSheet("color: #555")
        entry = QHBoxLayout()
        entry.addWidget(self.kind)
        entry.addWidget(self.text, 1)
        entry.addWidget(self.add_button)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.end_button)
        actions.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(private)
        layout.addWidget(self.flag_box)
        layout.addLayout(entry)
        layout.addWidget(self.list, 1)
        layout.addLayout(actions)
        self.show_student(None, None, "")

    def show_student(self, class_id: str | None, student_id: str | None, name: str) -> None:
        self.class_id, self.student_id = class_id, student_id
        enabled = student_id is not None
        for widget in (self.flag_box, self.kind, self.text, self.add_button, self.list):
            widget.setEnabled(enabled)
        self.heading.setText(f"Private notes: {name}" if enabled else "Private notes")
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        flagged = False
        if self.class_id and self.student_id:
            notes = self.services.student_notes.notes(self.class_id, self.student_id)
            for note in notes:
                if note.kind == NEEDS_SUPPORT and note.active:
                    flagged = True
                when = note.created_at.strftime("%d %b %Y")
                state = "" if note.active else "  (ended)"
                words = f": {note.text}" if note.text else ""
                item = QListWidgetItem(f"{kind_label(note.kind)}{words}\n{when}{state}")
                item.setData(NOTE_ID, note.id)
                if not note.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.list.addItem(item)
        self.flag_box.blockSignals(True)
        self.flag_box.setChecked(flagged)
        self.flag_box.blockSignals(False)
        self._update_buttons()

    def add_note(self) -> None:
        if not (self.class_id and self.student_id):
            return
        kind = str(self.kind.currentData())
        try:
            self.services.student_notes.add(
                self.class_id, self.student_id, kind=kind, text=self.text.text()
            )
        except Exception as error:
            show_error(self, "Note not saved", error)
            return
        self.text.clear()
        self.reload()

    def end_selected(self) -> None:
        note_id = self._selected()
        if note_id:
            self._apply(lambda: self.services.student_notes.end(note_id))

    def delete_selected(self) -> None:
        note_id = self._selected()
        if note_id:
            self._apply(lambda: self.services.student_notes.delete(note_id))

    def _on_flag(self, checked: bool) -> None:
        if not (self.class_id and self.student_id):
            return
        class_id, student_id = self.class_id, self.student_id
        notes = self.services.student_notes
        if checked:
            self._apply(lambda: notes.flag(class_id, student_id))
        else:
            self._apply(lambda: notes.unflag(class_id, student_id))
        self.flag_changed.emit(student_id, checked)

    def _apply(self, action: Callable[[], object]) -> None:
        try:
            action()
        except Exception as error:
            show_error(self, "Note not changed", error)
        self.reload()

    def _selected(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(NOTE_ID))

    def _update_buttons(self) -> None:
        has = self.list.count() > 0 and self.student_id is not None
        self.end_button.setEnabled(has)
        self.delete_button.setEnabled(has)
