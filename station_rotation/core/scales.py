"""Scales a learning target is scored on.

A scale is stored as a short spec string so it syncs as plain text:
``mastery4`` (1-4 mastery, the default), ``three-level`` (not yet / almost / got it),
``points:N`` (0..N) or ``custom:label|label|...`` (lowest first).
"""

from __future__ import annotations

from dataclasses import dataclass

from station_rotation.core.errors import ValidationError

DEFAULT_SCALE = "mastery4"
MAX_POINTS = 100


@dataclass(frozen=True)
class Scale:
    """The levels of a scale, lowest first; a score is an index into ``levels``."""

    spec: str
    name: str
    levels: tuple[str, ...]
    first_value: int  # the number shown/typed for the lowest level (1 for mastery, 0 for points)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(range(self.first_value, self.first_value + len(self.levels)))


MASTERY4 = Scale(
    "mastery4", "1-4 mastery", ("1 Beginning", "2 Developing", "3 Proficient", "4 Advanced"), 1
)
THREE_LEVEL = Scale("three-level", "Got it / almost / not yet", ("Not yet", "Almost", "Got it"), 1)


def parse_scale(spec: str) -> Scale:
    """Turn a spec string into a :class:`Scale`, or say plainly what is wrong with it."""
    spec = spec.strip() or DEFAULT_SCALE
    if spec == MASTERY4.spec:
        return MASTERY4
    if spec == THREE_LEVEL.spec:
        return THREE_LEVEL
    if spec.startswith("points:"):
        try:
            top = int(spec.removeprefix("points:"))
        except ValueError:
            top = -1
        if not 1 <= top <= MAX_POINTS:
            raise ValidationError(f"A points scale needs a top score from 1 to {MAX_POINTS}.")
        return Scale(spec, f"Points 0-{top}", tuple(str(i) for i in range(top + 1)), 0)
    if spec.startswith("custom:"):
        labels = tuple(label.strip() for label in spec.removeprefix("custom:").split("|"))
        if len(labels) < 2 or any(not label for label in labels):
            raise ValidationError("A custom scale needs at least two non-empty labels.")
        if len(set(labels)) != len(labels):
            raise ValidationError("The labels of a custom scale must all be different.")
        return Scale(spec, "Custom: " + " / ".join(labels), labels, 1)
    raise ValidationError(
        f"Unknown scale {spec!r}: use mastery4, three-level, points:N or custom:a|b|c."
    )


PRESET_SCALES: tuple[Scale, ...] = (MASTERY4, THREE_LEVEL, parse_scale("points:10"))
