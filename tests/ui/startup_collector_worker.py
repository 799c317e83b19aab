"""Run by test_startup_collector.py in its own process: starts the GUI the way ``station-rotation``
does (collector paused before the heavy imports), then prints the collector's state as one
JSON line once the window is up (``started``) or once the app gave up (``refused``)."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

from station_rotation.startup_collector import pause_collection

pause_collection()  # as cli/main.py does, before Qt and the data layer are imported

from PySide6.QtCore import QTimer  # noqa: E402

from station_rotation.ui import app as gui  # noqa: E402
from station_rotation.ui.main_window import MainWindow  # noqa: E402
from station_rotation.ui.warm_up import ServicesWarmUp  # noqa: E402


def state(step: str) -> dict[str, object]:
    return {
        "step": step,
        "enabled": gc.isenabled(),
        "threshold": list(gc.get_threshold()),
        "frozen": gc.get_freeze_count(),
    }


def main() -> int:
    data_dir = Path(sys.argv[1])
    app = gui.make_application([sys.argv[0]])
    states: list[dict[str, object]] = []

    def when_up() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        warm_up = windows[0].findChild(ServicesWarmUp) if windows else None
        if windows and (warm_up is None or warm_up.done):
            QTimer.singleShot(0, record_and_quit)  # after what run_gui queued for this turn
        else:
            QTimer.singleShot(20, when_up)

    def record_and_quit() -> None:
        states.append(state("started"))
        app.quit()

    def refused(message: str) -> None:  # instead of the modal box
        states.append(state("refused"))

    gui._cannot_open = refused
    QTimer.singleShot(0, when_up)
    code = gui.run_gui(data_dir, [sys.argv[0]])
    states.append(state("returned"))
    for entry in states:
        print(json.dumps({**entry, "code": code}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
