"""Every group has a shape as well as a colour, the same one wherever it is drawn."""

from __future__ import annotations

from station_rotation.core.scheduling.palette import OKABE_ITO, colour_for
from station_rotation.core.scheduling.symbols import SYMBOLS, symbol_for, symbols_for


def test_each_palette_colour_has_its_own_shape_whatever_the_order() -> None:
    """Blue is the circle and Orange the triangle, in any order of the groups."""
    names = [s.name for s in symbols_for([c.hex for c in OKABE_ITO])]
    assert names == [s.name for s in SYMBOLS]
    assert names[:5] == ["circle", "triangle", "square", "diamond", "star"]
    reordered = symbols_for([OKABE_ITO[2].hex, OKABE_ITO[0].hex.lower()])
    assert [s.name for s in reordered] == ["square", "circle"]
    assert symbol_for(0) is symbol_for(len(SYMBOLS))


def test_shapes_differ_even_when_colours_repeat_or_are_not_the_palettes() -> None:
    """A second Blue, or a colour of the teacher's own, takes the first free shape."""
    chosen = symbols_for([colour_for(0).hex, colour_for(0).hex, "#123456", colour_for(1).hex])
    assert [s.name for s in chosen] == ["circle", "square", "diamond", "triangle"]
    assert len({s.name for s in symbols_for(["#000001"] * 8)}) == 8


def test_outlines_fit_their_square() -> None:
    """Any painter (Qt, SVG) can draw them in the box it has."""
    for symbol in SYMBOLS:
        assert len(symbol.outline) >= 3
        assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in symbol.outline), symbol.name
        xs = [x for x, _ in symbol.scaled(10, 20, 30)]
        assert min(xs) >= 10 and max(xs) <= 40
