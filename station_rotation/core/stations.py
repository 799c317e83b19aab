"""Station kinds and the rules for a valid station."""

from __future__ import annotations

from enum import StrEnum


class StationKind(StrEnum):
    """What happens at a station; the teacher-led one holds one group at a time."""

    TEACHER_LED = "teacher-led"
    ONLINE = "online"
    COLLABORATIVE = "collaborative"
    INDEPENDENT = "independent"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            StationKind.TEACHER_LED: "Teacher-led",
            StationKind.ONLINE: "Online content",
            StationKind.COLLABORATIVE: "Collaborative",
            StationKind.INDEPENDENT: "Independent practice",
            StationKind.OTHER: "Other",
        }[self]


MAX_CAPACITY = 60
MAX_MINUTES = 180
