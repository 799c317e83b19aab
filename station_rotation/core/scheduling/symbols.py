"""A shape for each group, so a group is never told apart by its colour alone.

A colour-blind student, a black-and-white printer or a faded projector can lose the
colours; the shape stays. Each palette colour has its own shape (Blue is always the
circle, Orange the triangle, ...), so a group keeps its shape when the groups are
re-ordered; a group whose colour is not a palette colour, or whose colour's shape is
taken already (a second "Blue"), gets the first free shape in group order. So the
shapes of one plan's groups all differ (up to :data:`SYMBOLS`' length).

The outlines are polygons in a unit square (x right, y down), so the Qt painter, the
companion's web pages (SVG) and anything else draw the same shape the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from station_rotation.core.scheduling.palette import OKABE_ITO

Point = tuple[float, float]


@dataclass(frozen=True)
class Symbol:
    """A named shape: ``outline`` is a closed polygon inside the unit square."""

    name: str
    outline: tuple[Point, ...]

    def scaled(self, x: float, y: float, side: float) -> list[Point]:
        """The outline in a ``side``-sized square whose top-left corner is (x, y)."""
        return [(x + px * side, y + py * side) for px, py in self.outline]


def _round(points: int = 48, radius: float = 0.48) -> tuple[Point, ...]:
    return tuple(
        (
            0.5 + radius * math.cos(2 * math.pi * i / points),
            0.5 + radius * math.sin(2 * math.pi * i / points),
        )
        for i in range(points)
    )


def _regular(sides: int, radius: float, turn: float) -> tuple[Point, ...]:
    """A regular polygon centred in the square; ``turn`` is the first corner's angle."""
    return tuple(
        (
            0.5 + radius * math.cos(turn + 2 * math.pi * i / sides),
            0.5 + radius * math.sin(turn + 2 * math.pi * i / sides),
        )
        for i in range(sides)
    )


def _star() -> tuple[Point, ...]:
    points = []
    for i in range(10):
        radius = 0.5 if i % 2 == 0 else 0.2
        angle = -math.pi / 2 + math.pi * i / 5
        points.append((0.5 + radius * math.cos(angle), 0.54 + radius * math.sin(angle)))
    return tuple(points)


def _cross() -> tuple[Point, ...]:
    a, b = 0.33, 0.67  # the arms are a third of the square wide
    return (
        (a, 0.02), (b, 0.02), (b, a), (0.98, a), (0.98, b), (b, b),
        (b, 0.98), (a, 0.98), (a, b), (0.02, b), (0.02, a), (a, a),
    )  # fmt: skip


def _heart(points: int = 60) -> tuple[Point, ...]:
    # The classic parametric heart, fitted into the square.
    raw = []
    for i in range(points):
        t = 2 * math.pi * i / points
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        raw.append((x, -y))
    xs, ys = [p[0] for p in raw], [p[1] for p in raw]
    span = max(max(xs) - min(xs), max(ys) - min(ys))
    dx = (span - (max(xs) - min(xs))) / 2
    dy = (span - (max(ys) - min(ys))) / 2
    return tuple(
        (0.02 + 0.96 * (x - min(xs) + dx) / span, 0.02 + 0.96 * (y - min(ys) + dy) / span)
        for x, y in raw
    )


CIRCLE = Symbol("circle", _round())
TRIANGLE = Symbol("triangle", ((0.5, 0.04), (0.98, 0.9), (0.02, 0.9)))
SQUARE = Symbol("square", ((0.08, 0.08), (0.92, 0.08), (0.92, 0.92), (0.08, 0.92)))
DIAMOND = Symbol("diamond", ((0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.0, 0.5)))
STAR = Symbol("star", _star())
CROSS = Symbol("cross", _cross())
HEXAGON = Symbol("hexagon", _regular(6, 0.49, 0.0))
HEART = Symbol("heart", _heart())

# In palette order: the n-th Okabe-Ito colour's own shape.
SYMBOLS: tuple[Symbol, ...] = (CIRCLE, TRIANGLE, SQUARE, DIAMOND, STAR, CROSS, HEXAGON, HEART)
_BY_COLOUR = {colour.hex.casefold(): SYMBOLS[n] for n, colour in enumerate(OKABE_ITO)}


def symbol_for(index: int) -> Symbol:
    """The shape of the ``index``-th palette colour (repeating past the last)."""
    return SYMBOLS[index % len(SYMBOLS)]


def symbols_for(colours: Sequence[str]) -> list[Symbol]:
    """One shape per group, given the groups' colours ("#RRGGBB") in group order.

    A palette colour keeps its own shape; other colours, and a colour used twice, take
    the first shape no group has yet. Past :data:`SYMBOLS` groups the shapes repeat.
    """
    chosen: list[Symbol | None] = [None] * len(colours)
    taken: set[str] = set()
    for n, colour in enumerate(colours):
        own = _BY_COLOUR.get(colour.casefold())
        if own is not None and own.name not in taken:
            chosen[n] = own
            taken.add(own.name)
    for n in range(len(colours)):
        if chosen[n] is None:
            free = [s for s in SYMBOLS if s.name not in taken]
            symbol = free[0] if free else symbol_for(n)
            chosen[n] = symbol
            taken.add(symbol.name)
    return [s for s in chosen if s is not None]


_BY_NAME = {s.name: s for s in SYMBOLS}


def symbol_named(name: str) -> Symbol | None:
    """The shape called ``name`` ("circle", ...), or None for an unknown name."""
    return _BY_NAME.get(name)
