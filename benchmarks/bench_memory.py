"""Idle memory with a year of data: the main window, a busy teacher's file, Insights shown.

Target (TARGETS.md): < 250 MB RSS. The data: 5 classes × 30 students × 20 learning
targets × 180 school days × 3 checks per student a day (~81,000 quick checks with their
outbox rows), generated once through the store. Each figure is a fresh process: the floor
is a bare PySide6 window; then the app's main window on that file, before and after the
Insights page is opened on the largest class and has loaded; then again once every class
has been shown on it. RSS is read from ``/proc/self/status`` after the event loop has
been idle for a second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.check_history import add_targets, generate_history
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class

CLASSES, STUDENTS, TARGETS, DAYS, PER_DAY = 5, 30, 20, 180, 3.0
ROOT = Path(__file__).resolve().parent.parent

_RSS = """
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def idle(app, seconds=1.0):
    import time
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
"""

BARE = (
    _RSS
    + """
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1400, 900)
window.show()
idle(app)
print(f"RSS {rss_mb():.1f}")
"""
)

APP = (
    _RSS
    + """
import sys, gc
from pathlib import Path
from station_rotation.services.app import AppServices
from station_rotation.ui.app import build_main_window, make_application
app = make_application([])
services = AppServices.open(Path(sys.argv[1]))
window = build_main_window(services)
window.resize(1400, 900)
window.show()
classes = services.classes.list_classes()
window.select_class(classes[0].id)
idle(app)
print(f"RSS window {rss_mb():.1f}")
page = window.show_page("Insights")
while page.loads < 1:
    idle(app, 0.05)
idle(app)
gc.collect()
print(f"RSS insights {rss_mb():.1f}")
for section in classes[1:]:
    before = page.loads
    window.select_class(section.id)
    while page.loads <= before:
        idle(app, 0.05)
idle(app)
gc.collect()
print(f"RSS all {rss_mb():.1f}")
window.close()
services.close()
"""
)


def make_year(folder: Path) -> int:
    """Write the busy teacher's year into ``folder``; returns the number of checks."""
    services = AppServices.open(folder)
    written = 0
    try:
        for index in range(CLASSES):
            section = create_sample_class(services, students=STUDENTS, seed=index)
            services.classes.update_class(section.id, name=f"Math 6, period {index + 1}")
            add_targets(services, section.id, TARGETS)
            written += generate_history(
                services, section.id, days=DAYS, checks_per_student_day=PER_DAY, seed=index
            )
    finally:
        services.close()
    return written


def _run(code: str, *args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    ).stdout
    figures = {}
    for line in out.splitlines():
        if line.startswith("RSS"):
            *label, value = line.split()
            figures[" ".join(label[1:]) or "bare"] = float(value)
    return figures


def main() -> str:
    folder = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    checks = make_year(folder)
    size = sum(p.stat().st_size for p in folder.glob("*.sqlite3*")) / 1e6
    bare = _run(BARE)["bare"]
    app = _run(APP, str(folder))
    shown = app["insights"]
    verdict = "met" if app["all"] < 250 else "NOT met"
    return "\n".join(
        [
            "## Idle memory with a year of data",
            "",
            f"{CLASSES} classes × {STUDENTS} students × {TARGETS} targets × {DAYS} days: "
            f"{checks} quick checks, data file {size:.0f} MB. Fresh process per figure.",
            "",
            "| process | RSS | ratio to bare window |",
            "|---|---|---|",
            f"| floor: bare PySide6 window | {bare:.0f} MB | 1.0× |",
            f"| main window on the file, a class selected | {app['window']:.0f} MB "
            f"| {app['window'] / bare:.1f}× |",
            f"| + Insights page shown and loaded | {shown:.0f} MB | {shown / bare:.1f}× |",
            f"| + every class shown on Insights | {app['all']:.0f} MB | {app['all'] / bare:.1f}× |",
            "",
            f"Target < 250 MB RSS: **{verdict}** ({app['all']:.0f} MB).",
        ]
    )


if __name__ == "__main__":
    print(main())
