"""The roster import wizard: choose a file -> (plain CSV) map its columns -> preview -> import.

Parsing, previewing and writing run on the background runner, so a district file never
freezes the window; the preview is an item model over the import plan, and the import
writes that exact plan in one transaction.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from station_rotation.core.words import counted
from station_rotation.importing.plain_csv import FIELD_ALIASES, FIELD_LABELS
from station_rotation.importing.preview import ImportPlan, PlanItem
from station_rotation.services.app import AppServices
from station_rotation.services.roster.imports import (
    CsvPreview,
    Format,
    ImportOptions,
    ImportSummary,
)
from station_rotation.ui.errors import show_error
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.models.base import AnyIndex, RowTableModel
from station_rotation.ui.operations import BackgroundRunner
from station_rotation.ui.widgets import named

CHOOSE, MAPPING, PREVIEW = range(3)
_NOT_IN_FILE = "(not in the file)"
_ACTIONS = {"add": "Add", "change": "Change", "archive": "Archive", "remove": "Remove"}
_KINDS = {
    "class": "Class",
    "student": "Student",
    "enrollment": "Class membership",
    "teacher": "Teacher",
    "class_teacher": "Teaches the class",
}
_FIELD_NAMES = {
    **FIELD_LABELS,
    "name": "Name",
    "subject": "Subject",
    "period": "Period",
    "school_year": "School year",
    "archived": "Archived",
}
_COLOURS = {"add": "#1b7a3a", "change": "#8a5a00", "archive": "#9b1c1c", "remove": "#9b1c1c"}


class PlanModel(RowTableModel[PlanItem]):
    """The import plan as rows: action, what, who, and the old -> new values."""

    headers = ("Action", "What", "Name", "Details")

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.set_rows([] if plan is None else _ordered(plan.items))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.valid_row(index)
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                _ACTIONS[item.action],
                _KINDS[item.kind],
                item.label or item.fields.get("name", ""),
                _details(item),
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor(_COLOURS[item.action])
        return None


def _ordered(items: list[PlanItem]) -> list[PlanItem]:
    order = {"archive": 0, "remove": 1, "change": 2, "add": 3}  # what needs a look first
    kinds = {k: n for n, k in enumerate(_KINDS)}
    return sorted(items, key=lambda i: (order[i.action], kinds[i.kind], i.label.casefold()))


def _details(item: PlanItem) -> str:
    if item.action == "change":
        return "; ".join(
            f"{_FIELD_NAMES.get(name, name)}: {item.before.get(name)!r} → {value!r}"
            for name, value in item.fields.items()
        )
    if item.action == "archive":
        return "left the roster (history kept)"
    if item.action == "remove":
        return "no longer teaches this class"
    if item.kind == "teacher" and item.action == "add":
        return str(item.fields.get("email") or "")
    if item.kind == "class" and item.action == "add":
        parts = [item.fields.get(k) for k in ("subject", "grade", "school_year")]
        return ", ".join(str(p) for p in parts if p)
    if item.kind == "student" and item.action == "add":
        return str(item.fields.get("identifier") or item.fields.get("email") or "")
    return ""


# --- pages ---------------------------------------------------------------------------


def _why_label() -> QLabel:
    """Under a page whose Next (or Import) is greyed out: why, and what to do."""
    label = named(QLabel(""), "whyNotNext")
    label.setWordWrap(True)
    label.setStyleSheet("color: #8a5a00; font-weight: bold;")
    label.hide()
    return label


def _show_why(label: QLabel, reason: str) -> None:
    label.setText(reason)
    label.setVisible(bool(reason))


def _notes_html(notes: list[str]) -> str:
    """The importer's notes (layout, columns, lines left out) as a short list."""
    items = "".join(f"<li>{escape(n).replace('`', '')}</li>" for n in notes)
    return f"<ul style='margin: 0'>{items}</ul>" if items else ""


class ChoosePage(QWizardPage):
    """Pick a OneRoster folder or zip, or a plain CSV; its format is read in the background."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Choose the roster")
        self.setSubTitle(
            "A OneRoster export from the district (a folder or .zip with users.csv, "
            "classes.csv and enrollments.csv), or a spreadsheet saved as CSV with one "
            "student per line."
        )
        self.path_edit = named(QLineEdit(), "importPath")
        self.path_edit.setPlaceholderText("Path to a folder, .zip or .csv")
        self.path_edit.editingFinished.connect(self._inspect)
        file_button = named(QPushButton("Choose file…"), "chooseFileButton")
        file_button.clicked.connect(self._choose_file)
        folder_button = named(QPushButton("Choose folder…"), "chooseFolderButton")
        folder_button.clicked.connect(self._choose_folder)
        self.status = named(QLabel(""), "importStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(file_button)
        row.addWidget(folder_button)
        self.why = _why_label()
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.why)
        self.format: Format | None = None
        self.csv: CsvPreview | None = None
        self._inspected: str | None = None
        self._error: str = ""
        self.completeChanged.connect(lambda: _show_why(self.why, self.blocked_reason()))
        _show_why(self.why, self.blocked_reason())

    def blocked_reason(self) -> str:
        """Why Next is greyed out, and what to do; empty when it is not."""
        if self.format is not None:
            return ""
        if self._error:
            return (
                "Next is not available: this file cannot be imported (the reason is above). "
                "Fix the file or export it again, then choose it again; or choose another file."
            )
        if self.path_edit.text().strip() and self._inspected is not None:
            return "Next is available once the file has been read…"
        return (
            "To go on, choose the roster: “Choose file…” for a .csv or .zip, "
            "“Choose folder…” for a OneRoster folder, or type its path and press Enter."
        )

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._inspect()

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Choose a roster file", "", "Rosters (*.zip *.csv);;All (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda p: self.set_path(Path(p)))
        dialog.open()

    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, "Choose a OneRoster folder")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.fileSelected.connect(lambda p: self.set_path(Path(p)))
        dialog.open()

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _inspect(self) -> None:
        text = self.path_edit.text().strip()
        if text == self._inspected:
            return  # editingFinished also fires when the field merely loses focus
        self._inspected = text
        self.format, self.csv, self._error = None, None, ""
        self.completeChanged.emit()
        if not self.path_edit.text().strip():
            self.status.setText("")
            return
        path = self.path()
        service = self._wizard.services.roster_import
        self.status.setText("Reading the file…")

        def work() -> tuple[Format, CsvPreview | None]:
            fmt = service.detect_format(path)
            return fmt, service.inspect_csv(path) if fmt == "csv" else None

        self._wizard.runner.run(work, self._read, self._failed)

    def _read(self, outcome: tuple[Format, CsvPreview | None]) -> None:
        self.format, self.csv = outcome
        if self.format == "oneroster":
            self.status.setText("A OneRoster export. Next: preview what will change.")
        else:
            count = len(self.csv.headers) if self.csv else 0
            notes = " ".join(self.csv.notes) if self.csv else ""
            self.status.setText(
                f"A CSV file with {count} columns. {notes} Next: check the columns.".replace(
                    "  ", " "
                )
            )
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self._inspected = None  # let the teacher retry the same path after fixing the file
        self._error = str(error)
        self.status.setText(str(error))
        self.completeChanged.emit()
        show_error(self, "Cannot import this file", error)

    def isComplete(self) -> bool:
        return self.format is not None

    def nextId(self) -> int:
        return MAPPING if self.format == "csv" else PREVIEW


class MappingPage(QWizardPage):
    """Which column holds what: guessed from the headers, changeable, with sample values."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check the columns")
        self.setSubTitle("Each field is read from the column shown. Change any that are wrong.")
        self.form = QFormLayout(self)
        self.notes = named(QLabel(""), "mappingNotes")
        self.notes.setWordWrap(True)
        self.form.addRow(self.notes)
        self.combos: dict[str, QComboBox] = {}
        for field in FIELD_ALIASES:
            combo = named(QComboBox(), f"map_{field}")
            combo.setMinimumWidth(380)
            combo.currentIndexChanged.connect(self.completeChanged)
            self.combos[field] = combo
            self.form.addRow(FIELD_LABELS[field] + ":", combo)
        self.into = named(QComboBox(), "intoClass")
        self.form.addRow("Add the students to:", self.into)
        self.why = _why_label()
        self.form.addRow(self.why)
        self.completeChanged.connect(lambda: _show_why(self.why, self.blocked_reason()))

    def initializePage(self) -> None:
        preview = self._wizard.choose.csv
        assert preview is not None
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_NOT_IN_FILE, "")
            for column, header in enumerate(preview.headers):
                samples = ", ".join(row[column] for row in preview.samples if column < len(row))
                combo.addItem(f"{header}   (e.g. {samples})" if samples else header, header)
            guessed = preview.mapping.header(field)
            combo.setCurrentIndex(max(combo.findData(guessed or ""), 0))
            combo.blockSignals(False)
        self.into.clear()
        self.into.addItem("New class(es) named in the file", None)
        for section in self._wizard.services.classes.list_classes():
            self.into.addItem(section.name, section.id)
        current = self._wizard.current_class_id
        if current and self.into.findData(current) >= 0:
            self.into.setCurrentIndex(self.into.findData(current))
        self.notes.setText(" ".join(preview.notes))
        self.notes.setVisible(bool(preview.notes))
        _show_why(self.why, self.blocked_reason())

    def mapping(self) -> dict[str, str]:
        return {field: str(combo.currentData() or "") for field, combo in self.combos.items()}

    def into_class_id(self) -> str | None:
        data = self.into.currentData()
        return str(data) if data else None

    def isComplete(self) -> bool:
        return bool(
            self.combos["given_name"].currentData() or self.combos["full_name"].currentData()
        )

    def blocked_reason(self) -> str:
        if self.isComplete():
            return ""
        return (
            "Next is not available: no column is chosen for the students' names. Choose the "
            "column with the given names in “Given name”, or the column with whole names "
            "(such as “Lopez, Ana” or “Ana Lopez”) in “Whole name”."
        )

    def nextId(self) -> int:
        return PREVIEW


class PreviewPage(QWizardPage):
    """What the import will add, change and archive, before anything is written."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Preview")
        self.setSubTitle("Nothing has been saved yet. Check the changes, then press Import.")
        self.summary = named(QLabel(""), "planSummary")
        self.summary.setWordWrap(True)
        self.model = PlanModel(self)
        self.table = named(QTableView(), "planTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # A plain CSV is a class's whole list: who it leaves out is the teacher's call.
        self.missing = named(QWidget(), "notInFileBox")
        self.missing_label = named(QLabel(""), "notInFile")
        self.missing_label.setWordWrap(True)
        self.keep_missing = named(QRadioButton("Keep them on the roster"), "keepMissing")
        self.archive_missing = named(
            QRadioButton(
                "Archive them (never deleted: “Show archived” and Restore on the Roster page)"
            ),
            "archiveMissing",
        )
        self.keep_missing.setChecked(True)
        self.archive_missing.toggled.connect(self._missing_choice)
        missing_layout = QVBoxLayout(self.missing)
        missing_layout.setContentsMargins(0, 0, 0, 0)
        missing_layout.addWidget(self.missing_label)
        missing_layout.addWidget(self.keep_missing)
        missing_layout.addWidget(self.archive_missing)
        self.missing.hide()
        # How the file was read: its layout, each column, the lines left out and why.
        self.notes = named(QLabel(""), "importNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.hide()
        self.why = _why_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.missing)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.why)
        self._error = ""
        self.completeChanged.connect(lambda: _show_why(self.why, self.blocked_reason()))
        self.plan: ImportPlan | None = None
        self._applying = False
        self._preview_seq = 0
        self.committed = False

    def initializePage(self) -> None:
        self.keep_missing.setChecked(True)  # the default: nobody leaves by omission
        self.missing.hide()
        self._run_preview()

    def _missing_choice(self, _archive: bool) -> None:
        if not self._applying:
            self._run_preview()

    def _run_preview(self) -> None:
        self.plan = None
        self._error = ""
        self.notes.hide()
        self.model.set_plan(None)
        self.summary.setText("Reading the roster and comparing it with your classes…")
        self.completeChanged.emit()
        path, options = self._wizard.choose.path(), self._wizard.import_options()
        service = self._wizard.services.roster_import
        # Only the latest preview counts: one asked for before the teacher changed her
        # choice again must not be offered (Import would apply it) when it returns.
        self._preview_seq += 1
        seq = self._preview_seq
        self._wizard.runner.run(
            lambda: service.preview(path, options),
            lambda plan: self._previewed(plan) if seq == self._preview_seq else None,
            lambda error: self._failed(error) if seq == self._preview_seq else None,
        )

    def _previewed(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.model.set_plan(plan)
        counts = [
            counted(plan.count("add", "class"), "new class", "new classes"),
            counted(plan.count("add", "student"), "new student"),
        ]
        changes, archives = plan.count("change"), plan.count("archive")
        text = (
            f"{', '.join(counts)}; {changes} change{'' if changes == 1 else 's'}; "
            f"{archives} to archive (archived records keep their history)."
        )
        if plan.empty:
            text = "Your classes already match this roster: there is nothing to import."
            if plan.not_in_file:
                text = "Nothing to add or change from this file."
        self.summary.setText(text)
        self.notes.setText(_notes_html(plan.notes))
        self.notes.setVisible(bool(plan.notes))
        self._show_missing(plan)
        self.completeChanged.emit()

    def _show_missing(self, plan: ImportPlan) -> None:
        names = plan.not_in_file
        self.missing.setVisible(bool(names))
        if not names:
            return
        count = len(names)
        shown = ", ".join(escape(n) for n in names[:8]) + (
            f" and {count - 8} more" if count > 8 else ""
        )
        are = "student is" if count == 1 else "students are"
        self.missing_label.setText(
            f"<b>{count} {are} not in this file</b> but on the class's roster: {shown}. "
            "What should happen to them?"
        )
        self.missing_label.setToolTip("\n".join(names))

    def _failed(self, error: BaseException) -> None:
        self._error = str(error)
        self.summary.setText(f"Cannot import: {error}")
        self.completeChanged.emit()
        show_error(self, "Cannot import this roster", error)

    def isComplete(self) -> bool:
        return self.plan is not None and not self._applying

    def blocked_reason(self) -> str:
        """Why Import is greyed out, and what to do; empty when it is not."""
        if self._applying:
            return "Importing… the window closes when it is done."
        if self.plan is not None:
            return ""
        if self._error:
            back = (
                " Press Back to choose other columns, or to choose another file."
                if self._wizard.choose.format == "csv"
                else " Press Back to choose another export."
            )
            return "Import is not available: nothing in this file was imported." + back
        return "Import is available once the roster has been compared with your classes…"

    @property
    def applying(self) -> bool:
        return self._applying

    def validatePage(self) -> bool:
        """Import runs in the background; the wizard closes when it has committed."""
        if self.plan is None or self._applying:
            return False
        if self.committed:
            return True
        if self.plan.empty:
            self._wizard.imported.emit(self.plan.class_ids)
            return True
        plan = self.plan
        self._applying = True
        self.summary.setText("Importing…")
        self.completeChanged.emit()
        service = self._wizard.services.roster_import
        self._wizard.runner.run(lambda: service.apply(plan), self._applied, self._apply_failed)
        return False

    def _applied(self, summary: ImportSummary) -> None:
        self._applying = False
        self.committed = True
        self._wizard.summary = summary
        self._wizard.imported.emit(summary.class_ids)
        self._wizard.accept()

    def _apply_failed(self, error: BaseException) -> None:
        self._applying = False
        self._error = str(error)
        self.summary.setText(f"Nothing was imported: {error}")
        self.completeChanged.emit()
        show_error(self, "The import did not happen", error)


class ImportWizard(QWizard):
    """Choose -> (map) -> preview -> import; emits :attr:`imported` with the class ids."""

    imported = Signal(list)

    def __init__(
        self,
        services: AppServices,
        parent: QWidget | None = None,
        current_class_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle("Import a roster")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")
        self.services = services
        self.current_class_id = current_class_id
        self.summary: ImportSummary | None = None
        self.runner = BackgroundRunner(self)
        self.choose = ChoosePage(self)
        self.mapping = MappingPage(self)
        self.preview = PreviewPage(self)
        self.setPage(CHOOSE, self.choose)
        self.setPage(MAPPING, self.mapping)
        self.setPage(PREVIEW, self.preview)
        self.resize(820, 560)
        # done() refuses to close while the import writes, so only a read can still be
        # running here: let it finish on its own rather than freeze the window.
        self.finished.connect(lambda _result: self.runner.shutdown(wait=False))

    def import_options(self) -> ImportOptions:
        if self.choose.format == "csv":
            return ImportOptions(
                format="csv",
                mapping=self.mapping.mapping(),
                into_class_id=self.mapping.into_class_id(),
                archive_missing=self.preview.archive_missing.isChecked(),
            )
        return ImportOptions(format="oneroster")

    def done(self, result: int) -> None:
        if self.preview.applying:
            return  # a write is committing: it finishes (or rolls back) first
        super().done(result)


def open_import_wizard(window: MainWindow) -> ImportWizard:
    """Open the wizard over the main window; select the first imported class afterwards."""
    wizard = ImportWizard(window.services.full(), window, window.current_class_id)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.imported.connect(lambda ids: window.select_class(ids[0]) if ids else None)
    wizard.open()
    return wizard
