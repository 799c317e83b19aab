"""Ask which printer, without blocking, and print when the teacher accepts.

One way for every printout (the plan, the paper cards and sheet, the students' codes):
the dialog opens window-modal with ``open()`` (never ``exec()``, which would stall the
rotation's ticker and the projector while it is up), and deletes itself when closed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget


def ask_and_print(
    parent: QWidget,
    printer: QPrinter,
    print_now: Callable[[QPrinter], bool],
    on_printed: Callable[[bool], None],
    *,
    name: str = "printDialog",
) -> QPrintDialog:
    """Open the print dialog for ``printer``; on accept, ``on_printed(print_now(printer))``."""
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName(name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            on_printed(print_now(printer))

    dialog.finished.connect(done)
    QDialog.open(dialog)  # the overload without a slot: non-blocking, window-modal
    return dialog
