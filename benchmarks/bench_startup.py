"""Start-up to a usable main window: from source and frozen, against a bare PySide6 window.

Targets (TARGETS.md): from source ≤ 5× a bare PySide6 window started in the same run;
frozen ≤ 1.2 s. Every start is a new process timed from the parent (spawn to the start
probe's line: the window has painted and the event loop has turned once), so the figure
includes the interpreter, imports, opening the data file and the first paint. Runs are
interleaved so a noisy neighbour hits all kinds alike; the median is reported.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
MARKER = "station-rotation: usable after"
FROZEN = (
    ROOT
    / "dist"
    / "station-rotation"
    / ("station-rotation.exe" if sys.platform == "win32" else "station-rotation")
)

# The floor: a bare PySide6 window with one label, reported by the same probe.
BARE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from station_rotation.ui import startup_probe
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
startup_probe.install(window)
window.show()
sys.exit(app.exec())
"""


def _env() -> dict[str, str]:
    env = {**os.environ, "STATION_ROTATION_EXIT_AFTER_SHOWN": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def time_start(command: list[str]) -> float:
    """Seconds from spawning ``command`` to its start-probe line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(MARKER):
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise RuntimeError(f"{command[0]} exited ({proc.returncode}) without its probe line")
    proc.wait(timeout=30)
    return elapsed


def prepare_data(folder: Path) -> None:
    """A teacher's data folder: migrated, with the sample class (a normal start, not a first)."""
    subprocess.run(
        [sys.executable, "-m", "station_rotation", "--data-dir", str(folder), "sample-class"],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
    )


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median start times in seconds, by kind."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prepare_data(data)
        kinds = {
            "bare": [sys.executable, "-c", BARE],
            "source": [sys.executable, "-m", "station_rotation", "--data-dir", str(data)],
        }
        if FROZEN.exists():
            kinds["frozen"] = [str(FROZEN), "--data-dir", str(data)]
        for command in kinds.values():  # warm the OS file cache once
            time_start(command)
        samples: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(runs):
            for kind, command in kinds.items():
                samples[kind].append(time_start(command))
    return {kind: statistics.median(values) for kind, values in samples.items()}


def main() -> str:
    medians = measure()
    bare, source = medians["bare"], medians["source"]
    lines = [
        "## Start-up",
        "",
        f"Median of {RUNS} interleaved starts each, spawn to a usable window "
        f"(QT_QPA_PLATFORM={_env()['QT_QPA_PLATFORM']}).",
        "",
        "| start | median s | × bare window |",
        "|---|---|---|",
        f"| bare PySide6 window, from source (floor) | {bare:.2f} | 1.0 |",
        f"| Station Rotation from source, sample class | {source:.2f} | {source / bare:.1f} |",
    ]
    if "frozen" in medians:
        frozen = medians["frozen"]
        lines.append(f"| Station Rotation frozen (dist/) | {frozen:.2f} | {frozen / bare:.1f} |")
    lines.append("")
    verdict = "meets" if source <= 5 * bare else "MISSES"
    lines.append(f"- From source: {source / bare:.1f}× the bare window: {verdict} the ≤ 5× target.")
    if "frozen" in medians:
        frozen = medians["frozen"]
        verdict = "meets" if frozen <= 1.2 else "MISSES"
        lines.append(f"- Frozen: {frozen:.2f} s: {verdict} the ≤ 1.2 s target.")
    else:
        lines.append("- Frozen: no bundle in dist/: build first (`bash build/build.sh`).")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
