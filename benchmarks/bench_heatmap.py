"""Class heat map: 35 students × 20 targets × 180 days of quick checks, query + render.

Target (TARGETS.md): < 200 ms to render. Measured as the teacher waits for it: the
service's queries (targets, students, latest levels; then the trend series), the widget
given the data, and a paint into a QImage. Floors from the same run: the raw ``sqlite3``
scan of the class's checks (the least any query must read) and a bare widget of the same
size rendered into a QImage.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.check_history import add_targets, generate_history
from station_rotation.services.app import AppServices
from station_rotation.services.checks.insights import InsightService
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.insights.heatmap import HeatmapView

RUNS = 15
STUDENTS, TARGETS, DAYS = 35, 20, 180


def _median_p90(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.9 * (len(ordered) - 1))] * 1000


def _render(widget: QWidget) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
    widget.render(image)
    return image


def main() -> str:
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench-heatmap-"))
    services = AppServices.open(folder)
    section = create_sample_class(services, students=STUDENTS)
    add_targets(services, section.id, TARGETS)
    rows = generate_history(services, section.id, days=DAYS, checks_per_student_day=2.0)
    insights = InsightService(services.store)
    view = HeatmapView()

    cells, full, raw, bare = [], [], [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        heatmap = insights.heatmap(section.id)
        view.set_data(heatmap, {})
        _render(view)
        cells.append(time.perf_counter() - start)

        start = time.perf_counter()
        heatmap = insights.heatmap(section.id)
        view.set_data(heatmap, insights.sparklines(section.id))
        _render(view)
        full.append(time.perf_counter() - start)

        conn = sqlite3.connect(services.store.db_path)
        start = time.perf_counter()
        conn.execute(
            "SELECT student_id, target_id, score, observed_at FROM quick_check "
            "WHERE class_id = ? AND deleted = 0",
            (section.id,),
        ).fetchall()
        raw.append(time.perf_counter() - start)
        conn.close()

        plain = QWidget()
        plain.resize(view.size())
        start = time.perf_counter()
        _render(plain)
        bare.append(time.perf_counter() - start)
    services.close()
    del app

    c50, c90 = _median_p90(cells)
    f50, f90 = _median_p90(full)
    r50, _ = _median_p90(raw)
    b50, _ = _median_p90(bare)
    floor = r50 + b50
    verdict = "met" if f50 < 200 else "NOT met"
    return "\n".join(
        [
            "## Heat map: 35 students × 20 targets × 180 days",
            "",
            f"{rows} quick checks in a real store; {RUNS} runs, median (p90).",
            "",
            "| step | time | ratio to floor |",
            "|---|---|---|",
            f"| floor: raw sqlite3 scan of the class's checks | {r50:.1f} ms | |",
            f"| floor: bare widget of the same size → QImage | {b50:.1f} ms | |",
            f"| heat map cells: query + set data + render | {c50:.1f} ms ({c90:.1f}) "
            f"| {c50 / floor:.1f}× |",
            f"| with the trend column (sparklines query) | {f50:.1f} ms ({f90:.1f}) "
            f"| {f50 / floor:.1f}× |",
            "",
            f"Target < 200 ms with trends: **{verdict}** ({f50:.0f} ms median).",
        ]
    )


if __name__ == "__main__":
    print(main())
