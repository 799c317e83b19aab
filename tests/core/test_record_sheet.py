"""The record sheet is read, and typed back, in one order: band, student, target."""

from __future__ import annotations

from station_rotation.core.record_sheet import next_box, target_bands, walk


def test_four_targets_are_one_band_read_row_by_row() -> None:
    """Student by student, target by target."""
    assert walk(2, 3) == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert next_box((0, 2), 2, 3) == (1, 0)
    assert next_box((1, 0), 2, 3, -1) == (0, 2)
    assert next_box((1, 2), 2, 3) is None and next_box((0, 0), 2, 3, -1) is None


def test_more_targets_than_fit_across_go_band_by_band() -> None:
    """Six targets: the first four for everyone, then the other two."""
    assert target_bands(6) == [range(0, 4), range(4, 6)]
    order = walk(2, 6)
    assert order[:8] == [(r, c) for r in range(2) for c in range(4)]
    assert order[8:] == [(0, 4), (0, 5), (1, 4), (1, 5)]
    assert next_box((1, 3), 2, 6) == (0, 4)
    assert walk(0, 4) == [] and next_box((0, 0), 0, 4) is None
