"""Tiers from quick checks: each student's most recent level per target, averaged.

Only the latest observation per student and target counts (a student who was "not yet"
in September and "got it" today is "got it"). Levels are normalised to 0..1 so targets
on different scales can be averaged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum


class Tier(IntEnum):
    NEEDS_SUPPORT = 0
    ON_TARGET = 1
    READY_FOR_CHALLENGE = 2

    @property
    def label(self) -> str:
        return ("Needs support", "On target", "Ready for challenge")[self]


@dataclass(frozen=True)
class Observation:
    """One quick check: ``level`` is 0 (lowest level of the scale) to 1 (highest)."""

    student_id: str
    target_id: str
    level: float
    at: datetime

    @classmethod
    def on_scale(
        cls, student_id: str, target_id: str, index: int, scale_size: int, at: datetime
    ) -> Observation:
        """From a level index (0 = lowest) on a scale of ``scale_size`` levels."""
        return cls(student_id, target_id, index / max(1, scale_size - 1), at)


@dataclass(frozen=True)
class Thresholds:
    """Averages below ``support_below`` need support; from ``challenge_from`` up, challenge."""

    support_below: float = 0.5
    challenge_from: float = 0.8


def recent_scores(
    observations: Iterable[Observation], target_ids: Iterable[str] | None = None
) -> dict[str, float]:
    """Per student: the mean over chosen targets of the most recent level on each."""
    chosen = None if target_ids is None else set(target_ids)
    latest: dict[tuple[str, str], Observation] = {}
    for obs in observations:
        if chosen is not None and obs.target_id not in chosen:
            continue
        key = (obs.student_id, obs.target_id)
        kept = latest.get(key)
        if kept is None or obs.at > kept.at:
            latest[key] = obs
    sums: dict[str, list[float]] = {}
    for (student, _), obs in latest.items():
        entry = sums.setdefault(student, [0.0, 0.0])
        entry[0] += obs.level
        entry[1] += 1
    return {student: total / count for student, (total, count) in sums.items()}


def tier_of(score: float | None, flagged: bool, thresholds: Thresholds) -> Tier:
    """A student the teacher flagged always needs support; no data means on target."""
    if flagged or (score is not None and score < thresholds.support_below):
        return Tier.NEEDS_SUPPORT
    if score is not None and score >= thresholds.challenge_from:
        return Tier.READY_FOR_CHALLENGE
    return Tier.ON_TARGET
