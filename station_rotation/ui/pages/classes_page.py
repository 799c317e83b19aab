"""The Classes page: every class of the teacher, created, edited, archived and restored.

Choosing a class here (double-click, Enter or "Open") makes it the main window's class;
the page asks for that through :attr:`ClassesPage.open_requested` so it does not need to
know the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.core.events import Changes
from station_rotation.ui.errors import show_error
from station_rotation.ui.models.class_model import NAME, ClassListModel
from station_rotation.ui.pages.base import Page
from station_rotation.ui.widgets import named

if TYPE_CHECKING:  # the app opens on this page before the data layer is imported
    from station_rotation.services.first_screen import FirstScreen
    from station_rotation.ui.dialogs.class_dialog import ClassDialog


class ClassesPage(Page):
    title = "Classes"
    open_requested = Signal(str)  # a class id

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.model = ClassListModel(services, self)
        self.dialog: ClassDialog | None = None
        self.last_message = ""
        self.show_archived = named(QCheckBox("Show archived"), "showArchivedClassesCheck")
        self.show_archived.toggled.connect(self._on_show_archived)
        self.table = named(QTableView(), "classesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.new_button = named(QPushButton("New class…"), "newClassPageButton")
        self.new_button.clicked.connect(self.new_class)
        self.open_button = named(QPushButton("Open"), "openClassButton")
        self.open_button.setToolTip("Make this the class you are working on (Enter)")
        self.open_button.clicked.connect(self.open_selected)
        self.edit_button = named(QPushButton("Edit details…"), "editClassButton")
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button = named(QPushButton("Archive"), "archiveClassButton")
        self.archive_button.clicked.connect(self.toggle_archived)

        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Classes</h2>"))
        top.addStretch(1)
        top.addWidget(self.show_archived)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.edit_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel(
            "The class in bold is the one you are working on. Double-click a class "
            "or press Enter to switch to it."
        )
        hint.setObjectName("classesHint")
        hint.setStyleSheet("color: palette(placeholder-text);")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for keys in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_selected)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.selected_class_id() or self.class_id
        self.model.current_id = self.class_id
        self.model.reload()
        if keep:
            self.select_row_of(keep)
        self._update_buttons()

    def on_changes(self, changes: Changes) -> None:
        if changes.touches("class_section", "enrollment", "student"):
            self.reload()

    def _on_show_archived(self, on: bool) -> None:
        self.model.include_archived = on
        self.reload()

    def selected_class_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.section(rows[0].row()).id if rows else None

    def select_row_of(self, class_id: str) -> bool:
        row = self.model.row_of(class_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def _update_buttons(self) -> None:
        class_id = self.selected_class_id()
        section = self.model.section(self.model.row_of(class_id)) if class_id else None
        for button in (self.open_button, self.edit_button, self.archive_button):
            button.setEnabled(section is not None)
        self.open_button.setEnabled(section is not None and not section.archived)
        self.archive_button.setText("Restore" if section and section.archived else "Archive")

    # --- actions ------------------------------------------------------------------

    def open_selected(self) -> None:
        class_id = self.selected_class_id()
        if class_id and not self.model.section(self.model.row_of(class_id)).archived:
            self.open_requested.emit(class_id)

    def new_class(self) -> None:
        from station_rotation.ui.dialogs.class_dialog import ClassDialog

        self._open_dialog(ClassDialog(self.first_screen, None, self))

    def edit_selected(self) -> None:
        from station_rotation.ui.dialogs.class_dialog import ClassDialog

        class_id = self.selected_class_id()
        if class_id:
            section = self.model.section(self.model.row_of(class_id))
            self._open_dialog(ClassDialog(self.first_screen, section, self))

    def _open_dialog(self, dialog: ClassDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._after_save)
        dialog.finished.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()

    def _forget_dialog(self, _result: int = 0) -> None:
        self.dialog = None

    def _after_save(self, class_id: str) -> None:
        self.reload()
        self.select_row_of(class_id)
        self._status(f"Saved {self.services.classes.get_class(class_id).name}.")

    def toggle_archived(self) -> None:
        class_id = self.selected_class_id()
        if not class_id:
            return
        section = self.model.section(self.model.row_of(class_id))
        try:
            self.services.classes.set_archived(class_id, not section.archived)
        except StationRotationError as exc:
            show_error(self, "Could not change the class", exc)
            return
        if section.archived:
            self._status(f"Restored {section.name}.")
        else:
            self._status(
                f"Archived {section.name}: nothing was deleted. "
                "Tick “Show archived” and press Restore to bring it back."
            )
        self.reload()

    def _status(self, message: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 15000)
        self.last_message = message
