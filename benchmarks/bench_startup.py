"""Start-up to a usable main window: from source and frozen, against a bare PySide6 window.

Targets (TARGETS.md): from source ≤ 5× a bare PySide6 window started in the same run;
frozen ≤ 1.2 s. Every start is a new process timed from the parent (spawn to the start
probe's line: the window has painted and the event loop has turned once), so the figure
includes the interpreter, imports, opening the data file and the first paint. Runs are
interleaved so a noisy neighbour hits all kinds alike; the median is reported.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
MARKER = "station-rotation: usable after"
READY_MARKER = "station-rotation: services ready after"
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


@dataclass(frozen=True)
class Start:
    """One start, timed from the parent."""

    usable: float  # spawn to the probe's line: painted with real content, loop turned once
    usable_cpu: float | None  # the process's CPU time at that line (its own count)
    ready: float | None  # spawn to "services ready" (the app's data layer loaded after)
    cpu: float  # the whole process's CPU time (user + system, from wait4)


def time_start(command: list[str]) -> Start:
    """Time ``command`` from spawn to its start-probe lines."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    usable: float | None = None
    usable_cpu = ready = None
    for line in proc.stdout:
        if line.startswith(MARKER):
            usable = time.perf_counter() - start
            usable_cpu = _cpu_in(line)
        elif line.startswith(READY_MARKER):
            ready = time.perf_counter() - start
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if usable is None:
        raise RuntimeError(f"{command[0]} exited ({proc.returncode}) without its probe line")
    return Start(usable, usable_cpu, ready, usage.ru_utime + usage.ru_stime)


def _cpu_in(line: str) -> float | None:
    """The CPU seconds the probe's line gives (``... 0.31 s (cpu 0.29 s)``; older builds: none)."""
    return float(line.split("(cpu ")[1].split()[0]) if "(cpu " in line else None


def prepare_data(folder: Path) -> None:
    """A teacher's data folder: migrated, with the sample class (a normal start, not a first)."""
    subprocess.run(
        [sys.executable, "-m", "station_rotation", "--data-dir", str(folder), "sample-class"],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
    )


def measure(runs: int = RUNS) -> dict[str, list[Start]]:
    """Every start, by kind (interleaved)."""
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
        samples: dict[str, list[Start]] = {kind: [] for kind in kinds}
        for _ in range(runs):
            for kind, command in kinds.items():
                samples[kind].append(time_start(command))
    return samples


def _median(starts: list[Start], figure: str) -> float:
    """The median of one figure over the starts that gave it (NaN when none did)."""
    values = [getattr(start, figure) for start in starts]
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else float("nan")


def _fmt(value: float, digits: int = 2) -> str:
    return "—" if math.isnan(value) else f"{value:.{digits}f}"


def main() -> str:
    load = os.getloadavg()
    samples = measure()
    bare = samples["bare"]
    bare_s, bare_cpu = _median(bare, "usable"), _median(bare, "usable_cpu")
    lines = [
        "## Start-up",
        "",
        f"Median of {RUNS} interleaved starts each, spawn to a usable window "
        f"(QT_QPA_PLATFORM={_env()['QT_QPA_PLATFORM']}); load average before the run "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}. Usable: painted with the real first "
        "screen and the event loop turned once. Services ready: the data layer loaded "
        "after the first paint.",
        "",
        "| start | usable s | × bare | CPU at usable s | × bare | services ready s "
        "| CPU whole run s |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {
        "bare": "bare PySide6 window, from source (floor)",
        "source": "Station Rotation from source, sample class",
        "frozen": "Station Rotation frozen (dist/)",
    }
    for kind, starts in samples.items():
        usable, usable_cpu = _median(starts, "usable"), _median(starts, "usable_cpu")
        lines.append(
            f"| {names[kind]} | {usable:.2f} | {usable / bare_s:.1f} | {_fmt(usable_cpu)} "
            f"| {_fmt(usable_cpu / bare_cpu, 1)} | {_fmt(_median(starts, 'ready'))} "
            f"| {_median(starts, 'cpu'):.2f} |"
        )
    lines.append("")
    source = _median(samples["source"], "usable")
    verdict = "meets" if source <= 5 * bare_s else "MISSES"
    lines.append(
        f"- From source: {source / bare_s:.1f}× the bare window: {verdict} the ≤ 5× target."
    )
    if "frozen" in samples:
        frozen = _median(samples["frozen"], "usable")
        verdict = "meets" if frozen <= 1.2 else "MISSES"
        lines.append(f"- Frozen: {frozen:.2f} s: {verdict} the ≤ 1.2 s target.")
    else:
        lines.append("- Frozen: no bundle in dist/: build first (`bash build/build.sh`).")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
