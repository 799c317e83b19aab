"""Run by test_rotation_start.py in its own process, on an offscreen desktop of two
screens (a laptop and a projector): the app opened on a fresh data folder as
``run_gui`` opens it, then a new teacher's gestures, each one counted, until the
projector shows round 1. Prints each step, then where the projector is, as JSON lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from station_rotation.ui.app import make_application, open_main_window
from station_rotation.ui.main_window import MainWindow
from station_rotation.ui.rotation.rotation_page import RotationPage

actions: list[str] = []


def click(widget: QWidget, what: str, at: QPoint | None = None) -> None:
    """One action of the teacher: a click where she sees it."""
    assert widget.isVisible() and widget.isEnabled(), f"{what} is not there to click"
    actions.append(what)
    where = at if at is not None else widget.rect().center()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    for _ in range(5):
        QApplication.processEvents()


def click_page(window: MainWindow, title: str) -> None:
    """Click a page's name in the navigation list."""
    items = window.nav.findItems(title, Qt.MatchFlag.MatchExactly)
    assert items, f"no {title} page in the list"
    rect = window.nav.visualItemRect(items[0])
    click(window.nav.viewport(), f"the {title} page", rect.center())


def main() -> int:
    app = make_application([sys.argv[0]])
    window, warm_up = open_main_window(Path(sys.argv[1]))
    assert warm_up is None  # a fresh folder: the full services at once
    window.show()
    QTest.qWaitForWindowExposed(window)

    click(window.welcome.sample_button, "Try a sample class")
    click_page(window, "Rotation")
    page = window.stack.currentWidget()
    assert isinstance(page, RotationPage), page
    click(page.start_button, page.start_button.text())

    projector = page.projector.window
    assert isinstance(projector, QWidget)
    QApplication.processEvents()
    screen, laptop = projector.screen(), window.screen()
    print(
        json.dumps(
            {
                "actions": actions,
                "projector_visible": projector.isVisible(),
                "projector_full_screen": projector.isFullScreen(),
                "projector_screen": screen.name() if screen is not None else None,
                "round": projector.round_label.text(),
                "main_window_screen": laptop.name() if laptop is not None else None,
                "status": page.status_label.text(),
                "phase": page.countdown.phase_label.text(),
            }
        ),
        flush=True,
    )
    projector.close()
    window.services.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
