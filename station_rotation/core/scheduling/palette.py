"""Group colours a whole class can tell apart, including colour-blind students.

The Okabe-Ito palette (Okabe & Ito, 2008) stays distinct under the common colour-vision
deficiencies. Names are plain colour words: the projector may show them, so a group is
never called by its tier.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Colour:
    name: str
    hex: str


OKABE_ITO: tuple[Colour, ...] = (
    Colour("Blue", "#0072B2"),
    Colour("Orange", "#E69F00"),
    Colour("Green", "#009E73"),
    Colour("Yellow", "#F0E442"),
    Colour("Sky", "#56B4E9"),
    Colour("Red", "#D55E00"),
    Colour("Pink", "#CC79A7"),
    Colour("Black", "#000000"),
)


def colour_for(index: int) -> Colour:
    return OKABE_ITO[index % len(OKABE_ITO)]


def default_name(index: int) -> str:
    """ "Blue", "Orange", ...; past eight groups the colours repeat as "Blue 2"."""
    round_ = index // len(OKABE_ITO)
    name = colour_for(index).name
    return name if round_ == 0 else f"{name} {round_ + 1}"
