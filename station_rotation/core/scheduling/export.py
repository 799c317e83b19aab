"""The timetable as CSV text a spreadsheet opens cleanly (UTF-8 with a BOM, CRLF rows).

One row per round with its clock times, one column per group; a cell is the station's
name, "(may do)" after a may-do stop, or "Free choice".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from station_rotation.core.scheduling.model import CellKind, Timetable

BOM = "\ufeff"


def timetable_csv(
    timetable: Timetable, *, group_names: Mapping[str, str], station_names: Mapping[str, str]
) -> str:
    """``group_names`` and ``station_names`` map ids to what the teacher reads."""
    out = io.StringIO()
    writer = csv.writer(out)  # the csv module's default line ending is CRLF
    writer.writerow(
        ["Round", "Start", "End", *(group_names.get(g, g) for g in timetable.group_ids)]
    )
    for times, row in zip(timetable.rounds, timetable.cells, strict=True):
        cells = []
        for cell in row:
            if cell.kind is CellKind.FREE or cell.station_id is None:
                cells.append("Free choice")
                continue
            name = station_names.get(cell.station_id, cell.station_id)
            cells.append(f"{name} (may do)" if cell.kind is CellKind.MAY_DO else name)
        writer.writerow(
            [times.number, times.start.strftime("%H:%M"), times.end.strftime("%H:%M"), *cells]
        )
    return BOM + out.getvalue()
