"""Run by test_projector_screens.py in its own process, on an offscreen desktop of two
screens (a laptop and a projector, from a configuration file): opens the projector,
announces the projector screen unplugged and plugged in again, and prints where the
window was after each step as JSON lines.

Qt's offscreen platform reads its screens once at start, so real hot-plugging cannot be
played here; the signals Qt sends on a real change are emitted by hand instead, with the
real screens as arguments. That tests our wiring and policy, not Qt's detection.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication

from station_rotation.ui.projector.window import ProjectorWindow


def report(step: str, window: ProjectorWindow) -> None:
    QApplication.processEvents()
    geometry = window.geometry()
    screen = window.screen()
    print(
        json.dumps(
            {
                "step": step,
                "screen": screen.name() if screen is not None else None,
                "full_screen": window.isFullScreen(),
                "visible": window.isVisible(),
                "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
            }
        ),
        flush=True,
    )


def main() -> int:
    app = QApplication(sys.argv)
    screens = {screen.name(): screen for screen in app.screens()}
    projector_screen = screens["projector"]
    window = ProjectorWindow()
    window.place_on_best_screen()
    report("start", window)
    app.screenRemoved.emit(projector_screen)
    report("unplugged", window)
    app.screenAdded.emit(projector_screen)
    report("plugged-in", window)
    window.close()
    app.screenAdded.emit(projector_screen)  # closed by the teacher: does not pop up again
    report("closed", window)
    return 0


if __name__ == "__main__":
    sys.exit(main())
