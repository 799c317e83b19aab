"""Where the plan goes on paper and disk: the print dialog, PDF and CSV files.

File names are asked with a non-blocking ``QFileDialog.open()``; writing takes a path,
so tests (and a later "save again") write without a dialog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from station_rotation.services.plans.document import Plan
from station_rotation.ui.plan.plan_print import PlanSheet, open_print_dialog, save_pdf

FILTERS = {"pdf": "PDF document (*.pdf)", "csv": "Spreadsheet, CSV (*.csv)"}


def default_name(plan: Plan, suffix: str) -> str:
    """ "Today's rotation 2026-11-24.pdf", with characters file systems dislike removed."""
    stem = plan.name + (f" {plan.lesson_date.isoformat()}" if plan.lesson_date else "")
    cleaned = re.sub(r'[\\/:*?"<>|]+', " ", stem)
    return " ".join(cleaned.split()) + f".{suffix}"


def ask_path(
    parent: QWidget, plan: Plan, suffix: str, write: Callable[[Path], bool]
) -> QFileDialog:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = QFileDialog(
        parent,
        f"Save as {suffix.upper()}",
        str(Path(folder) / default_name(plan, suffix)),
        FILTERS[suffix],
    )
    dialog.setObjectName(f"save{suffix.upper()}Dialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suffix)
    dialog.fileSelected.connect(lambda name: write(Path(name)))
    QDialog.open(dialog)
    return dialog


def print_dialog(parent: QWidget, sheet: PlanSheet, on_printed: Callable[[bool], None]) -> QDialog:
    return open_print_dialog(parent, sheet, on_printed)


def write_pdf(sheet: PlanSheet, path: Path) -> bool:
    return save_pdf(sheet, path) and path.exists() and path.stat().st_size > 0


def write_csv(text: str, path: Path) -> None:
    """``text`` already has its BOM and CRLF line ends; write it byte for byte."""
    path.write_bytes(text.encode("utf-8"))
