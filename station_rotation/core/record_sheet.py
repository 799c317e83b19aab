"""The order of the boxes on the blank class record sheet, for printing and typing back.

The sheet has one row per student and one column per learning target. When a class has
more targets than fit across a page, the targets are split into page-wide bands of
:data:`TARGETS_PER_PAGE` (each band repeats the names). The sheet is read, and typed
back, band by band, student by student, target by target: :func:`walk` gives that
order, so the printer and the grid's "from paper" entry can never disagree.
"""

from __future__ import annotations

TARGETS_PER_PAGE = 4

Box = tuple[int, int]  # (student row, target column), both from 0


def target_bands(targets: int, per_page: int = TARGETS_PER_PAGE) -> list[range]:
    """The target columns of each band of pages: ``[range(0, 4), range(4, 6)]``."""
    return [range(start, min(start + per_page, targets)) for start in range(0, targets, per_page)]


def walk(students: int, targets: int, per_page: int = TARGETS_PER_PAGE) -> list[Box]:
    """Every box of the sheet in reading order."""
    return [
        (row, column)
        for band in target_bands(targets, per_page)
        for row in range(students)
        for column in band
    ]


def next_box(
    box: Box, students: int, targets: int, step: int = 1, per_page: int = TARGETS_PER_PAGE
) -> Box | None:
    """The box ``step`` places after ``box`` in reading order (before it if negative);
    None past either end."""
    order = walk(students, targets, per_page)
    try:
        place = order.index(box)
    except ValueError:
        return order[0] if order else None
    moved = place + step
    return order[moved] if 0 <= moved < len(order) else None
