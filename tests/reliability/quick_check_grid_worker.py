"""A process that types quick checks into the real entry grid until it is killed.

It presses keys on :class:`QuickCheckGrid` as a teacher would (digits, A for absent,
Backspace to undo) and acknowledges a check (sends its id) only when the grid shows
that cell as saved: what the teacher saw is exactly what was acknowledged. Imported by
a fork server, so PySide6 and the app are loaded once, not per kill point.
"""

from __future__ import annotations

import os
import random
from multiprocessing.connection import Connection
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from station_rotation.services.app import AppServices
from station_rotation.ui.checks.entry_model import SaveState
from station_rotation.ui.checks.entry_page import QuickCheckPage


def type_until_killed(data_dir: str, acks: Connection, seed: int) -> None:
    rng = random.Random(seed)
    app = QApplication([])
    services = AppServices.open(Path(data_dir))
    [section] = services.classes.list_classes()
    page = QuickCheckPage(services)
    page.set_class(section.id)
    page.show()
    model = page.model
    sent: set[str] = set()
    acks.send("ready")
    while app is not None:
        page.grid.go_to(rng.randrange(model.rowCount()), rng.randrange(model.columnCount()))
        roll = rng.random()
        if roll < 0.1:
            QTest.keyClick(page.grid, Qt.Key.Key_Backspace)  # undo: a new record too
        else:
            QTest.keyClick(page.grid, "a" if roll < 0.15 else str(rng.randint(1, 4)))  # type: ignore[call-overload]  # PySide6 stubs lack keyClick(widget, char)
        for cell in model.cells().values():
            shown_saved = cell.state is SaveState.SAVED and cell.saved_at is not None
            if shown_saved and cell.check_id and cell.check_id not in sent:
                sent.add(cell.check_id)
                acks.send(cell.check_id)  # the screen shows it as saved now
