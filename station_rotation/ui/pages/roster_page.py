"""The Roster page: the selected class's students, found, added, edited and archived.

Archiving is never a deletion: the Delete key archives the selected student and the
status bar says how to bring them back (the student's history stays in the file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.core.events import Changes
from station_rotation.ui.errors import show_error
from station_rotation.ui.models.roster_model import (
    NAME,
    SORT_ROLE,
    STATUS,
    RosterModel,
    display_name,
)
from station_rotation.ui.pages.base import Page
from station_rotation.ui.widgets import named

if TYPE_CHECKING:  # the first paint comes before the data layer is imported
    from station_rotation.services.first_screen import FirstScreen, StudentRow
    from station_rotation.ui.dialogs.student_dialog import StudentDialog


class RosterPage(Page):
    title = "Roster"

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.model = RosterModel(services.roster, self)  # a first-screen read
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.dialog: StudentDialog | None = None
        self.last_message = ""
        self._undo_archive: tuple[str, str] | None = None  # (class id, student id)

        self.search = named(QLineEdit(), "rosterSearch")
        self.search.setPlaceholderText("Search by name or student ID (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.show_archived = named(QCheckBox("Show archived"), "showArchivedCheck")
        self.show_archived.toggled.connect(self._on_show_archived)
        self.count_label = named(QLabel(), "rosterCount")
        self.empty_hint = named(QLabel(), "rosterEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); padding: 4px 0;")
        self.empty_hint.hide()

        self.table = named(QTableView(), "rosterTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = named(QPushButton("Add student…"), "addStudentButton")
        self.add_button.setToolTip("Add a student (Ctrl+Shift+N or Insert)")
        self.add_button.clicked.connect(self.add_student)
        self.edit_button = named(QPushButton("Edit…"), "editStudentButton")
        self.edit_button.setToolTip("Edit the selected student (Enter or double-click)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button = named(QPushButton("Archive"), "archiveStudentButton")
        self.archive_button.setToolTip(
            "Take the student off the roster, keeping their history (Delete)"
        )
        self.archive_button.clicked.connect(self.toggle_archived)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        heading = QLabel("<h2>Roster</h2>")
        # Who teaches the class, as the district's roster says (OneRoster imports only).
        self.teachers_label = named(QLabel(), "rosterTeachers")
        self.teachers_label.setStyleSheet("color: #444;")
        self.teachers_label.hide()
        head = QHBoxLayout()
        head.addWidget(heading)
        head.addSpacing(12)
        head.addWidget(self.teachers_label, 1, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(head)
        layout.addLayout(top)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._shortcut("Ctrl+F", self._focus_search, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for keys in ("Ctrl+Shift+N", "Insert"):
            self._shortcut(keys, self.add_student, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for keys in ("Return", "Enter"):
            self._shortcut(keys, self.edit_selected, Qt.ShortcutContext.WidgetShortcut, self.table)
        self._shortcut(
            "Delete", self.archive_selected, Qt.ShortcutContext.WidgetShortcut, self.table
        )
        self._shortcut("Ctrl+Z", self.undo_archive, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.setColumnHidden(STATUS, True)
        self._update_buttons()

    def _shortcut(
        self,
        keys: str,
        slot: object,
        context: Qt.ShortcutContext,
        parent: QWidget | None = None,
    ) -> None:
        shortcut = QShortcut(QKeySequence(keys), parent or self)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)

    # --- loading ------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.selected_student_id()
        self.model.set_class(self.class_id)
        if keep:
            self.select_student(keep)
        self._update_count()
        self._update_teachers()
        self._update_buttons()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("student", "enrollment", "class_section", "teacher", "class_teacher"):
            self.reload()

    def _update_teachers(self) -> None:
        names = self.first_screen.classes.teachers_of(self.class_id) if self.class_id else []
        self.teachers_label.setText("Taught by " + ", ".join(names) if names else "")
        self.teachers_label.setVisible(bool(names))

    def _update_count(self) -> None:
        if not self.class_id:
            self.count_label.setText("")
            return
        everyone = self.first_screen.roster.roster(self.class_id, include_archived=True)
        archived = sum(1 for entry in everyone if entry.archived)
        active = len(everyone) - archived
        text = f"{active} student{'' if active == 1 else 's'}"
        if archived:
            text += f", {archived} archived"
        needle = self.search.text().strip()
        if needle:
            text = f"{self.model.rowCount()} shown · {text}"
        self.count_label.setText(text)
        if not everyone:
            self.empty_hint.setText(
                "No students yet. Press Insert to add one, or import the district's roster "
                "with File ▸ Import roster (Ctrl+I)."
            )
        elif needle and not self.model.rowCount():
            self.empty_hint.setText(f"No student matches “{needle}”.")
        else:
            self.empty_hint.setText("")
        self.empty_hint.setVisible(bool(self.empty_hint.text()))

    def _on_search(self, text: str) -> None:
        self.model.search = text
        self.reload()

    def _on_show_archived(self, on: bool) -> None:
        self.model.include_archived = on
        self.table.setColumnHidden(STATUS, not on)
        self.reload()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- selection ----------------------------------------------------------------

    def selected_student_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.entry(self.proxy.mapToSource(rows[0]).row()).student.id

    def select_student(self, student_id: str) -> bool:
        row = self.model.row_of(student_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _update_buttons(self) -> None:
        student_id = self.selected_student_id()
        self.add_button.setEnabled(self.class_id is not None)
        self.edit_button.setEnabled(student_id is not None)
        self.archive_button.setEnabled(student_id is not None)
        archived = False
        if student_id is not None:
            archived = self.model.entry(self.model.row_of(student_id)).archived
        self.archive_button.setText("Restore" if archived else "Archive")

    # --- actions ------------------------------------------------------------------

    def add_student(self) -> None:
        if self.class_id:
            self._open_dialog(None)

    def edit_selected(self) -> None:
        student_id = self.selected_student_id()
        if self.class_id and student_id:
            try:
                student = self.services.roster.get_student(student_id)
            except StationRotationError as exc:
                show_error(self, "Could not open the student", exc)
                return
            self._open_dialog(student)

    def _open_dialog(self, student: StudentRow | None) -> None:
        """Open the student form (one at a time: a second request brings it back)."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        if self.class_id is None:
            return
        from station_rotation.ui.dialogs.student_dialog import StudentDialog

        dialog = StudentDialog(self.first_screen, self.class_id, student, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._after_save)
        dialog.finished.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()

    def _forget_dialog(self, _result: int = 0) -> None:
        self.dialog = None
        self.table.setFocus()

    def _after_save(self, student_id: str) -> None:
        self.reload()
        self.select_student(student_id)
        name = display_name(self.services.roster.get_student(student_id))
        self._status(f"Saved {name}.")

    def archive_selected(self) -> None:
        """Archive the selected student (the Delete key); never deletes anything."""
        student_id = self.selected_student_id()
        if student_id and not self.model.entry(self.model.row_of(student_id)).archived:
            self.toggle_archived()

    def toggle_archived(self) -> None:
        student_id = self.selected_student_id()
        if not (self.class_id and student_id):
            return
        entry = self.model.entry(self.model.row_of(student_id))
        archive = not entry.archived
        row = self.table.currentIndex().row()
        try:
            self.services.roster.set_archived(self.class_id, student_id, archive)
        except StationRotationError as exc:
            show_error(self, "Could not change the roster", exc)
            return
        name = display_name(entry.student)
        if archive:
            self._undo_archive = (self.class_id, student_id)
            self._status(
                f"Archived {name}: their history is kept. Press Ctrl+Z to undo, or tick "
                "“Show archived” and press Restore later."
            )
        else:
            self._undo_archive = None
            self._status(f"Restored {name} to the roster.")
        self.reload()
        if not self.select_student(student_id) and self.proxy.rowCount():
            index = self.proxy.index(min(row, self.proxy.rowCount() - 1), 0)
            self.select_student(self.model.entry(self.proxy.mapToSource(index).row()).student.id)

    def undo_archive(self) -> None:
        """Put the student archived last back on the roster (Ctrl+Z)."""
        if self._undo_archive is None:
            return
        class_id, student_id = self._undo_archive
        self._undo_archive = None
        try:
            self.services.roster.set_archived(class_id, student_id, False)
            name = display_name(self.services.roster.get_student(student_id))
        except StationRotationError as exc:
            show_error(self, "Could not undo", exc)
            return
        self._status(f"Restored {name} to the roster.")
        self.reload()
        self.select_student(student_id)

    def _status(self, message: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 15000)
        self.last_message = message
