"""Import a class's learning targets from a state's standards (a CASE 1.0 package file).

The teacher chooses the package (a JSON file she or IT downloaded; read offline), sees
its standards as the framework's tree (code and statement), narrows them with the filter
("6.RP": the codes that start with it; words: the statements that contain them all),
ticks the ones the class works on and imports them through the standards service. The
result stays in the dialog ("2 added, 0 updated, 0 already there"); a package that is
not CASE shows the service's plain reason. Opened with ``open()``; reports through
:attr:`imported`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.ui.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from station_rotation.importing.case import CasePackage, Standard
    from station_rotation.services.app import AppServices

ID_ROLE = Qt.ItemDataRole.UserRole
RESULT_STYLE = "color: #1b5e20;"


def matches(standard: Standard, text: str) -> bool:
    """The filter: a code that starts with ``text``, or a statement with all its words."""
    wanted = text.strip().casefold()
    if not wanted:
        return True
    if standard.code.casefold().startswith(wanted):
        return True
    statement = standard.statement.casefold()
    return all(word in statement for word in wanted.split())


class StandardsImportDialog(QDialog):
    """Choose a CASE package, tick its standards, import them as the class's targets."""

    imported = Signal(str)  # the result line, once targets were written

    def __init__(self, services: AppServices, class_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import learning targets from standards")
        self.resize(760, 560)
        self._services = services
        self._class_id = class_id
        self._package: CasePackage | None = None
        self._filling = False

        intro = QLabel(
            "Choose your state's standards framework as a CASE 1.0 JSON file (downloaded "
            "from the state or given by IT). It is read on this computer; nothing is fetched."
        )
        intro.setWordWrap(True)
        self.path_edit = named(QLineEdit(), "standardsPath")
        self.path_edit.setPlaceholderText("The CASE package (.json)")
        self.path_edit.returnPressed.connect(lambda: self.set_path(self._typed_path()))
        self.choose_button = named(QPushButton("Choose file…"), "chooseStandardsFile")
        self.choose_button.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)

        self.framework_label = named(QLabel(), "frameworkLabel")
        self.framework_label.setWordWrap(True)
        self.filter_edit = named(QLineEdit(), "standardsFilter")
        self.filter_edit.setPlaceholderText("Filter: a code (6.RP) or words of the statement")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.select_shown_button = named(QPushButton("Select shown"), "selectShown")
        self.select_shown_button.setToolTip(
            "Tick every standard the filter shows (not the domain and cluster headings)"
        )
        self.select_shown_button.clicked.connect(self.select_shown)
        self.clear_button = named(QPushButton("Clear"), "clearSelection")
        self.clear_button.setToolTip("Untick everything")
        self.clear_button.clicked.connect(self.clear_checks)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_edit, 1)
        filter_row.addWidget(self.select_shown_button)
        filter_row.addWidget(self.clear_button)

        self.tree = named(QTreeWidget(), "standardsTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Code", "Statement"])
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)
        self.tree.itemChanged.connect(self._on_item_changed)

        self.error_label = named(QLabel(), "standardsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.result_label = named(QLabel(), "standardsResult")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet(RESULT_STYLE)
        self.result_label.hide()

        self.import_button = named(QPushButton(), "importStandards")
        self.import_button.clicked.connect(self.import_checked)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addWidget(self.framework_label)
        layout.addLayout(filter_row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self._show_package(None)

    # --- the file -------------------------------------------------------------------

    def _choose_file(self) -> None:
        dialog = QFileDialog(
            self, "Choose a CASE standards package", "", "CASE packages (*.json);;All (*)"
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda p: self.set_path(Path(p)))
        dialog.open()

    def _typed_path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def set_path(self, path: Path) -> None:
        """Read the package at ``path`` and show its standards (or why it cannot be read)."""
        self.path_edit.setText(str(path))
        self.result_label.hide()
        try:
            package = self._services.standards.read_package(path)
        except StationRotationError as exc:
            self._show_package(None)
            self._show_error(str(exc))
            return
        self.error_label.hide()
        self._show_package(package)

    def _show_package(self, package: CasePackage | None) -> None:
        self._package = package
        self._filling = True
        try:
            self.tree.clear()
            if package is not None:
                self._fill(package)
        finally:
            self._filling = False
        if package is None:
            self.framework_label.setText("")
            self.framework_label.hide()
        else:
            self.framework_label.setText(
                f"{package.title}: {len(package.items)} items. Tick the standards this "
                "class works on."
            )
            self.framework_label.show()
        for widget in (self.filter_edit, self.select_shown_button, self.clear_button):
            widget.setEnabled(package is not None)
        self.tree.expandAll()
        self._apply_filter()

    def _fill(self, package: CasePackage) -> None:
        children = package.children
        # The top of the tree: the items beneath the framework itself (or beneath
        # nothing in the package), then any item the tree leaves out, in file order.
        placed = {
            child for parent, kids in children.items() if parent in package.items for child in kids
        }
        roots = [i for i in children.get(package.framework_id, []) if i in package.items]
        roots += [i for i in package.items if i not in placed and i not in roots]

        def add(parent: QTreeWidget | QTreeWidgetItem, identifier: str, seen: set[str]) -> None:
            standard = package.items[identifier]
            item = QTreeWidgetItem(parent, [standard.code, standard.statement])
            item.setData(0, ID_ROLE, identifier)
            item.setToolTip(1, standard.statement)
            if standard.item_type:
                item.setToolTip(0, standard.item_type)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            for child in children.get(identifier, []):
                if child not in seen:  # a cycle in a damaged tree: each item once
                    seen.add(child)
                    add(item, child, seen)

        seen = set(roots)
        for identifier in roots:
            add(self.tree, identifier, seen)

    # --- filter and ticks -------------------------------------------------------------

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        iterator = QTreeWidgetItemIterator(self.tree)
        while (item := iterator.value()) is not None:
            found.append(item)
            iterator += 1
        return found

    def _standard(self, item: QTreeWidgetItem) -> Standard:
        assert self._package is not None
        return self._package.items[str(item.data(0, ID_ROLE))]

    def _apply_filter(self, *_args: object) -> None:
        """Show the matching items, and the headings above them for context."""
        text = self.filter_edit.text()

        def show(item: QTreeWidgetItem | None) -> bool:
            if item is None:
                return False
            child_shown = False
            for index in range(item.childCount()):
                child_shown = show(item.child(index)) or child_shown
            visible = matches(self._standard(item), text) or child_shown
            item.setHidden(not visible)
            return visible

        for index in range(self.tree.topLevelItemCount()):
            show(self.tree.topLevelItem(index))
        self._update_import_button()

    def _is_heading(self, item: QTreeWidgetItem) -> bool:
        """A domain or cluster: when the package types its items, what is not a standard;
        otherwise an item with items beneath it."""
        assert self._package is not None
        typed = any("standard" in s.item_type.casefold() for s in self._package.items.values())
        if typed:
            return "standard" not in self._standard(item).item_type.casefold()
        return item.childCount() > 0

    def shown_standards(self) -> list[QTreeWidgetItem]:
        text = self.filter_edit.text()
        return [
            item
            for item in self._items()
            if not item.isHidden()
            and matches(self._standard(item), text)
            and not self._is_heading(item)
        ]

    def select_shown(self) -> None:
        """Tick the standards the filter shows (ticks made under another filter stay)."""
        self._filling = True
        try:
            for item in self.shown_standards():
                item.setCheckState(0, Qt.CheckState.Checked)
        finally:
            self._filling = False
        self._update_import_button()

    def clear_checks(self) -> None:
        self._filling = True
        try:
            for item in self._items():
                item.setCheckState(0, Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        self._update_import_button()

    def checked(self) -> list[Standard]:
        """The ticked items, in the framework's order."""
        return [
            self._standard(item)
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def _on_item_changed(self, _item: QTreeWidgetItem, column: int) -> None:
        if column == 0 and not self._filling:
            self._update_import_button()

    def _update_import_button(self) -> None:
        count = len(self.checked()) if self._package is not None else 0
        noun = "standard" if count == 1 else "standards"
        self.import_button.setText(f"Import {count} {noun}")
        self.import_button.setEnabled(count > 0)

    # --- import -------------------------------------------------------------------------

    def import_checked(self) -> None:
        """Add the ticked standards as the class's targets; say what changed."""
        if self._package is None:
            return
        try:
            result = self._services.standards.import_standards(
                self._class_id, self._package, self.checked()
            )
        except StationRotationError as exc:
            self.result_label.hide()
            self._show_error(f"Nothing was imported. {exc}")
            return
        self.error_label.hide()
        self.result_label.setText(f"{result}.")
        self.result_label.show()
        self.imported.emit(str(result))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
