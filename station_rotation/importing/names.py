"""A student's whole name in one column, split into given and family name.

Student-information systems write ``Family, Given`` (PowerSchool's ``LastFirst``, an LMS
gradebook's ``Student``); spreadsheets write ``Given Family``. A comma always separates
the family name; without one, the last word is the family name, unless the header says
the family name comes first (``LastFirst``, ``Apellidos Nombre``).
"""

from __future__ import annotations

from collections.abc import Iterable

from station_rotation.importing.headers import FAMILY_FIRST, fold

FAMILY_GIVEN = "family name, given name"
GIVEN_FAMILY = "given name, family name"


def split_name(value: str, header: str) -> tuple[str, str]:
    """``("Ana María", "López")`` from ``"López, Ana María"`` or ``"Ana María López"``."""
    value = " ".join(value.split())
    if "," in value:
        family, _, given = value.partition(",")
        given, family = given.strip(), family.strip()
        return (given, family) if given else (family, "")
    words = value.split(" ")
    if len(words) == 1:
        return value, ""
    if fold(header) in FAMILY_FIRST:
        return " ".join(words[1:]), words[0]
    return " ".join(words[:-1]), words[-1]


def order_of(values: Iterable[str], header: str) -> str:
    """How most of the column's names are written, in words for the preview."""
    names = [v for v in values if v.strip()]
    with_comma = sum(1 for v in names if "," in v)
    if with_comma * 2 >= len(names) and with_comma:
        return FAMILY_GIVEN
    return FAMILY_GIVEN if fold(header) in FAMILY_FIRST else GIVEN_FAMILY
