"""Level colours are ordered, readable, and never rely on red against green."""

from __future__ import annotations

import itertools

import pytest

from station_rotation.core.scales import MASTERY4, THREE_LEVEL, parse_scale
from station_rotation.ui.checks.entry_model import level_text
from station_rotation.ui.checks.level_colours import (
    absent_colour,
    contrast_ratio,
    level_colour,
    luminance,
)


@pytest.mark.parametrize("count", [2, 3, 4, 5, 11])
def test_every_level_has_readable_text(count: int) -> None:
    """Whatever the scale's length, the words on each level's fill have WCAG AA contrast."""
    for position in range(count):
        colour = level_colour(position, count)
        assert contrast_ratio(colour.background, colour.text) >= 4.5, (position, colour)
    absent = absent_colour()
    assert contrast_ratio(absent.background, absent.text) >= 4.5


def test_neighbouring_levels_differ_in_lightness_too() -> None:
    """Colour-blind readers tell the four mastery levels apart by lightness alone."""
    fills = [level_colour(p, 4).background for p in range(4)]
    lightness = sorted(luminance(fill) for fill in fills)
    assert all(b - a > 0.05 for a, b in itertools.pairwise(lightness))
    assert len(set(fills)) == 4


def test_cells_name_the_level_with_the_key_that_types_it() -> None:
    """The words always travel with the colour, and show which digit to press."""
    assert level_text(MASTERY4, 3) == "3 Proficient"
    assert [level_text(THREE_LEVEL, v) for v in (1, 2, 3)] == ["1 Not yet", "2 Almost", "3 Got it"]
    assert level_text(parse_scale("points:10"), 7) == "7"
    assert level_text(parse_scale("custom:Not yet|With help|On my own"), 2) == "2 With help"
