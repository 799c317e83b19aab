"""The main window: a class picker, navigation between pages, and the welcome screen.

The window owns no data: pages read from the services and redraw when the change relay
says an operation touched what they show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_rotation import APP_NAME
from station_rotation.core.events import Changes
from station_rotation.ui.pages import page_specs
from station_rotation.ui.pages.base import Page
from station_rotation.ui.relay import ChangeRelay
from station_rotation.ui.welcome import WelcomePage
from station_rotation.ui.widgets import named

if TYPE_CHECKING:  # loaded when first needed, off the start-up path
    from station_rotation.services.first_screen import FirstScreen
    from station_rotation.ui.dialogs.class_dialog import ClassDialog
    from station_rotation.ui.pages.classes_page import ClassesPage

READABLE_POINT_SIZE = 11


def use_readable_font() -> None:
    """Raise the application's font to a size read comfortably at arm's length."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        font = app.font()
        if 0 < font.pointSizeF() < READABLE_POINT_SIZE:
            font.setPointSizeF(READABLE_POINT_SIZE)
            app.setFont(font)


class MainWindow(QMainWindow):
    """The teacher's window onto one data folder."""

    class_changed = Signal(object)  # str | None
    import_requested = Signal()

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        use_readable_font()
        self.services = services
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.relay = ChangeRelay(services.bus, self)
        self.relay.changed.connect(self._on_changes)

        self.class_picker = named(QComboBox(), "classPicker")
        self.class_picker.setMinimumWidth(280)
        self.class_picker.setPlaceholderText("No class open")
        self.class_picker.currentIndexChanged.connect(self._on_class_picked)
        new_class = named(QPushButton("New class…"), "newClassButton")
        new_class.clicked.connect(self.ask_new_class)

        top = QHBoxLayout()
        top.setSpacing(8)
        class_label = QLabel("&Class:")
        class_label.setBuddy(self.class_picker)
        top.addWidget(class_label)
        top.addWidget(self.class_picker)
        top.addWidget(new_class)
        top.addStretch(1)

        self.nav = named(QListWidget(), "navigation")
        self.nav.setFixedWidth(190)
        self.stack = named(QStackedWidget(), "pages")
        self.welcome = WelcomePage(services, self)
        self._restoring = False  # showing archived classes while there is no class
        self.new_class_dialog: ClassDialog | None = None
        self.welcome.class_created.connect(self.select_class)
        self.welcome.import_requested.connect(self.import_requested)
        self.welcome.new_button.clicked.connect(self.ask_new_class)
        self.welcome.archived_requested.connect(self._show_archived_classes)
        # Pages are built when first shown: a placeholder holds each one's place.
        self._specs = page_specs()
        self._built: dict[int, Page] = {}
        for spec in self._specs:
            self.nav.addItem(spec.title)
            self.stack.addWidget(QWidget())
        self.stack.addWidget(self.welcome)
        self.nav.currentRowChanged.connect(self._show_page)

        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 6px 10px; }")
        body = QHBoxLayout()
        body.setSpacing(8)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer = QVBoxLayout()
        outer.setContentsMargins(10, 10, 10, 6)
        outer.setSpacing(10)
        outer.addLayout(top)
        outer.addLayout(body, 1)
        central = QWidget()
        central.setLayout(outer)
        self.setCentralWidget(central)
        self._build_menu()
        self.statusBar().setObjectName("statusBar")
        self.resize(1100, 720)
        self.reload_classes()
        if self.current_class_id is not None and self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)  # open on the Classes list, the last class in bold

    # --- actions ------------------------------------------------------------------

    def _build_menu(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu("&File")
        new_class = QAction(
            "&New class…", self, shortcut=QKeySequence(QKeySequence.StandardKey.New)
        )
        new_class.triggered.connect(self.ask_new_class)
        import_roster = QAction("&Import roster…", self, shortcut=QKeySequence("Ctrl+I"))
        import_roster.setObjectName("importRosterAction")
        import_roster.triggered.connect(self.import_requested)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setObjectName("quitAction")
        quit_action.triggered.connect(self.close)
        for action in (new_class, import_roster):
            file_menu.addAction(action)
        # Features wired in later (the lock) add their File actions before this line.
        self.file_end = file_menu.addSeparator()
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu("&Go")
        for index, spec in enumerate(self._specs):
            action = QAction(spec.title, self, shortcut=QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, row=index: self.nav.setCurrentRow(row))
            go_menu.addAction(action)

    def ask_new_class(self) -> None:
        """Open the new-class form; the class it saves becomes the window's class."""
        from station_rotation.ui.dialogs.class_dialog import ClassDialog

        dialog = ClassDialog(self.services, None, self)
        dialog.setObjectName("newClassDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.select_class)
        dialog.finished.connect(self._forget_new_class_dialog)
        self.new_class_dialog = dialog
        dialog.open()

    def _forget_new_class_dialog(self, _result: int = 0) -> None:
        self.new_class_dialog = None

    # --- state --------------------------------------------------------------------

    @property
    def current_class_id(self) -> str | None:
        data = self.class_picker.currentData()
        return str(data) if data else None

    def reload_classes(self) -> None:
        """Refill the class picker, keeping the selection when it still exists."""
        keep = self.current_class_id or QSettings().value("ui/lastClassId", "", str)
        classes = self.services.classes.list_classes()
        self.class_picker.blockSignals(True)
        self.class_picker.clear()
        for section in classes:
            self.class_picker.addItem(section.name, section.id)
        index = self.class_picker.findData(keep) if keep else -1
        self.class_picker.setCurrentIndex(index if index >= 0 else (0 if classes else -1))
        self.class_picker.blockSignals(False)
        self._on_class_picked()

    def select_class(self, class_id: str) -> None:
        self.reload_classes()
        index = self.class_picker.findData(class_id)
        if index >= 0:
            self.class_picker.setCurrentIndex(index)

    def _on_class_picked(self, _index: int = -1) -> None:
        class_id = self.current_class_id
        if class_id:
            QSettings().setValue("ui/lastClassId", class_id)
        self._update_title()
        has_class = class_id is not None
        self.nav.setEnabled(has_class)
        self.nav.setVisible(has_class)  # the welcome screen stands alone
        for page in self.pages:
            page.set_class(class_id)
        if not has_class:
            if not self._restoring:
                self.stack.setCurrentWidget(self.welcome)
            self.welcome.refresh()
        elif self._restoring or self.stack.currentWidget() is self.welcome:
            self._restoring = False
            if self.nav.currentRow() < 0:  # first class of the session: its roster
                titles = [spec.title for spec in self._specs]
                self.nav.setCurrentRow(titles.index("Roster") if "Roster" in titles else 0)
            self._show_page(self.nav.currentRow())
        self.class_changed.emit(class_id)

    def _open_class(self, class_id: str) -> None:
        """Make ``class_id`` the window's class and show its roster."""
        self.select_class(class_id)
        if self.current_class_id == class_id:
            name = self.class_picker.currentText()
            self.statusBar().showMessage(f"Now working on {name}.", 8000)
            if any(spec.title == "Roster" for spec in self._specs):
                self.show_page("Roster")

    def _show_archived_classes(self) -> None:
        """Every class is archived: show them so one can be restored."""
        for row, spec in enumerate(self._specs):
            if spec.title != "Classes":
                continue
            page = self.page_at(row)
            if isinstance(page, _classes_page()):
                page.show_archived.setChecked(True)
                self._restoring = True
                self.stack.setCurrentWidget(page)
                return

    def _update_title(self) -> None:
        name = self.class_picker.currentText() if self.current_class_id else ""
        self.setWindowTitle(f"{name} — {APP_NAME}" if name else APP_NAME)

    @property
    def pages(self) -> list[Page]:
        """The pages built so far (a page not yet shown has nothing to update)."""
        return [self._built[row] for row in sorted(self._built)]

    def page_at(self, row: int) -> Page:
        """The page in navigation row ``row``, built (and shown its class) on first use."""
        if row not in self._built:
            page = self._specs[row].load()(self.services, self)
            placeholder = self.stack.widget(row)
            assert placeholder is not None
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            if isinstance(page, _classes_page()):
                page.open_requested.connect(self._open_class)
            self._built[row] = page
            page.set_class(self.current_class_id)
        return self._built[row]

    def _show_page(self, row: int) -> None:
        if 0 <= row < len(self._specs) and self.current_class_id:
            self.stack.setCurrentWidget(self.page_at(row))

    def show_page(self, title: str) -> Page:
        """Switch to the page called ``title`` (used by shortcuts and tests)."""
        for row, spec in enumerate(self._specs):
            if spec.title == title:
                self.nav.setCurrentRow(row)
                return self.page_at(row)
        raise KeyError(title)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("class_section"):
            self.reload_classes()
        for page in self.pages:
            page.on_changes(changes)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.relay.detach()
        super().closeEvent(event)


def _classes_page() -> type[ClassesPage]:
    """The Classes page's class, imported once that page is built."""
    from station_rotation.ui.pages.classes_page import ClassesPage

    return ClassesPage
