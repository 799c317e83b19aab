"""What the laptop's and the district server's CSV exports share: safe text, names, levels.

Both exports are opened by staff in Excel or LibreOffice, so text someone typed must
never run as a formula, and a student or a level must read the same in both files.
"""

from __future__ import annotations

from station_rotation.core.errors import ValidationError
from station_rotation.core.scales import Scale, parse_scale

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text as a spreadsheet shows it, never evaluated as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def student_name(given: str, preferred: str, family: str) -> str:
    """The name the class knows the student by (preferred, else given) and the family name."""
    return f"{preferred or given} {family}".strip()


class ScaleLabels:
    """Level labels by scale spec, each spec parsed once (an export meets few, many times)."""

    def __init__(self) -> None:
        self._scales: dict[str, Scale | None] = {}

    def scale(self, spec: str) -> Scale | None:
        """The scale of ``spec``, or None for a spec this version cannot read."""
        if spec not in self._scales:
            try:
                self._scales[spec] = parse_scale(spec)
            except ValidationError:
                self._scales[spec] = None
        return self._scales[spec]

    def label(self, spec: str, score: int) -> str:
        """The level ``score`` stands for on the scale ``spec`` ("" when off the scale)."""
        scale = self.scale(spec)
        if scale is None:
            return ""
        position = score - scale.first_value
        return scale.levels[position] if 0 <= position < len(scale.levels) else ""
