"""What the quick checks say, shaped for the Insights page: heat map, timelines, trends.

Qt-free, so the page, the benchmarks and the tests share it. Each view is one SQL query
over the class (never one per cell), plus the small roster and target lists. Levels are
*normalised* to 0..1 along their target's scale (lowest level 0, highest 1), so targets
on different scales sit in one picture; the level's own words stay with every value.

"Latest level" is the newest check of a (student, target) that has a level, that no
other check supersedes and that is not deleted. An absence or an undone entry never
hides a level the teacher already knows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Select, and_, select, text
from sqlalchemy.orm import aliased
from sqlmodel import col

from station_rotation.core.moments import as_utc
from station_rotation.core.scales import Scale, parse_scale
from station_rotation.store.database import Store
from station_rotation.store.models import (
    Enrollment,
    LearningTarget,
    QuickCheck,
    Student,
    StudentNote,
)

if TYPE_CHECKING:
    from station_rotation.services.checks.export import ExportSummary

PairKey = tuple[str, str]  # (student id, target id)


@dataclass(frozen=True)
class TargetColumn:
    """A learning target as a column of the heat map."""

    id: str
    code: str
    statement: str
    scale: Scale

    @property
    def short(self) -> str:
        return self.code or self.statement[:12]


@dataclass(frozen=True)
class StudentRow:
    """A student as a row: the name the teacher reads and the needs-support flag."""

    id: str
    name: str
    needs_support: bool = False


@dataclass(frozen=True)
class Level:
    """A score placed on its scale: the value typed, its words and its place (0..1)."""

    score: int
    label: str
    position: int  # 0 = lowest level
    count: int  # levels on the scale
    observed_at: datetime  # UTC

    @property
    def normalised(self) -> float:
        return 1.0 if self.count <= 1 else self.position / (self.count - 1)


@dataclass(frozen=True)
class Heatmap:
    """Students × targets of one class, with each pair's latest level (if any)."""

    students: list[StudentRow]
    targets: list[TargetColumn]
    cells: dict[PairKey, Level]

    def cell(self, student_id: str, target_id: str) -> Level | None:
        return self.cells.get((student_id, target_id))

    def student_mean(self, student_id: str) -> float | None:
        """The student's mean normalised level over the targets checked so far."""
        values = [
            level.normalised
            for target in self.targets
            if (level := self.cells.get((student_id, target.id))) is not None
        ]
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class TimelinePoint:
    """One standing check of a student on a target: a level, or an absence."""

    observed_at: datetime  # UTC
    level: Level | None
    absent: bool
    note: str


@dataclass(frozen=True)
class Timeline:
    """A student's checks on one target, oldest first."""

    target: TargetColumn
    points: list[TimelinePoint]


@dataclass(frozen=True)
class GroupSummary:
    """How a set of students stands per target (mean level and level counts)."""

    name: str
    student_ids: tuple[str, ...]
    means: dict[str, float | None]  # target id -> mean normalised level
    counts: dict[str, list[int]] = field(default_factory=dict)  # target id -> per position

    @property
    def overall(self) -> float | None:
        values = [value for value in self.means.values() if value is not None]
        return sum(values) / len(values) if values else None


def place(scale: Scale, score: int, observed_at: datetime) -> Level | None:
    """A score on ``scale`` as a :class:`Level` (None when it is not on the scale)."""
    position = score - scale.first_value
    if not 0 <= position < len(scale.levels):
        return None
    return Level(score, scale.levels[position], position, len(scale.levels), as_utc(observed_at))


class InsightService:
    """Read-only views of a class's quick checks for the Insights page."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def export_checks(self, path: Path, *, class_ids: Sequence[str] = ()) -> ExportSummary:
        """Every quick check and reflection of ``class_ids`` (all classes if none) as a
        spreadsheet-ready CSV at ``path`` (``checks/export.py``)."""
        from station_rotation.services.checks.export import export_checks

        return export_checks(self._store, path, class_ids=class_ids)

    # --- the lists the views hang on ------------------------------------------------

    def targets(self, class_id: str) -> list[TargetColumn]:
        """The class's active learning targets in the teacher's order."""
        with self._store.read() as session:
            rows = session.execute(
                select(
                    col(LearningTarget.id),
                    col(LearningTarget.code),
                    col(LearningTarget.statement),
                    col(LearningTarget.scale),
                )
                .where(
                    col(LearningTarget.class_id) == class_id,
                    col(LearningTarget.deleted).is_(False),
                    col(LearningTarget.archived).is_(False),
                )
                .order_by(col(LearningTarget.position))
            ).all()
        return [TargetColumn(r.id, r.code, r.statement, _scale(r.scale)) for r in rows]

    def students(self, class_id: str) -> list[StudentRow]:
        """Active students of the class, by family then first name, with their flag."""
        flagged = _flag_query(class_id)
        with self._store.read() as session:
            rows = session.execute(
                select(
                    col(Student.id),
                    col(Student.given_name),
                    col(Student.preferred_name),
                    col(Student.family_name),
                    col(Student.id).in_(flagged).label("flagged"),
                )
                .join(Enrollment, col(Enrollment.student_id) == col(Student.id))
                .where(
                    col(Enrollment.class_id) == class_id,
                    col(Enrollment.deleted).is_(False),
                    col(Enrollment.archived).is_(False),
                    col(Student.deleted).is_(False),
                    col(Student.archived).is_(False),
                )
            ).all()
        ordered = sorted(
            rows,
            key=lambda r: (r.family_name.casefold(), (r.preferred_name or r.given_name).casefold()),
        )
        return [
            StudentRow(
                r.id,
                f"{r.preferred_name or r.given_name} {r.family_name}".strip(),
                bool(r.flagged),
            )
            for r in ordered
        ]

    # --- the views ------------------------------------------------------------------

    def heatmap(self, class_id: str) -> Heatmap:
        """Every student's latest level on every target, in one query for the cells."""
        targets = self.targets(class_id)
        students = self.students(class_id)
        scales = {t.id: t.scale for t in targets}
        with self._store.read() as session:
            rows = session.execute(_LATEST_LEVELS, {"class_id": class_id}).all()
        cells: dict[PairKey, Level] = {}
        for student_id, target_id, score, observed_at in rows:
            scale = scales.get(target_id)
            level = place(scale, score, _parse_stamp(observed_at)) if scale else None
            if level is not None:
                cells[(student_id, target_id)] = level
        return Heatmap(students, targets, cells)

    def timelines(self, class_id: str, student_id: str) -> list[Timeline]:
        """One student's standing checks per target, oldest first (one query)."""
        targets = self.targets(class_id)
        query = (
            _standing(class_id)
            .where(col(QuickCheck.student_id) == student_id)
            .where(col(QuickCheck.score).is_not(None) | col(QuickCheck.absent))
            .order_by(col(QuickCheck.observed_at), col(QuickCheck.hlc))
        )
        with self._store.read() as session:
            rows = session.execute(query).all()
        by_target: dict[str, list[TimelinePoint]] = defaultdict(list)
        scales = {t.id: t.scale for t in targets}
        for row in rows:
            scale = scales.get(row.target_id)
            if scale is None:
                continue
            level = None if row.absent else place(scale, row.score, row.observed_at)
            if level is None and not row.absent:
                continue
            by_target[row.target_id].append(
                TimelinePoint(as_utc(row.observed_at), level, bool(row.absent), row.note)
            )
        return [Timeline(t, by_target.get(t.id, [])) for t in targets]

    def sparklines(self, class_id: str, *, last_days: int | None = None) -> dict[str, list[float]]:
        """Per student, the daily mean normalised level over all targets, oldest day first.

        One query: SQLite normalises each level by its target's scale (passed in as a
        small VALUES table) and averages per student and local day, so Python only
        reads one row per student-day. Days are the laptop's local days (its current
        UTC offset); a day with no levelled check leaves no point. ``last_days`` keeps
        that many most recent days.
        """
        targets = self.targets(class_id)
        if not targets:
            return {}
        params: dict[str, object] = {"class_id": class_id, "shift": _local_shift()}
        values = []
        for index, target in enumerate(targets):
            values.append(f"(:t{index}, :f{index}, :n{index})")
            params[f"t{index}"] = target.id
            params[f"f{index}"] = target.scale.first_value
            params[f"n{index}"] = len(target.scale.levels)
        query = text(_DAILY_MEANS.replace("{scales}", ", ".join(values)))
        series: dict[str, list[float]] = defaultdict(list)
        with self._store.read() as session:
            for student_id, mean in session.execute(query, params).all():
                series[student_id].append(mean)
        if last_days:
            return {sid: points[-last_days:] for sid, points in series.items()}
        return dict(series)


def group_summaries(
    heatmap: Heatmap, groups: Iterable[tuple[str, Sequence[str]]]
) -> list[GroupSummary]:
    """Summarise the heat map for named sets of students (no further query)."""
    summaries = []
    for name, student_ids in groups:
        means: dict[str, float | None] = {}
        counts: dict[str, list[int]] = {}
        for target in heatmap.targets:
            levels = [
                level for sid in student_ids if (level := heatmap.cell(sid, target.id)) is not None
            ]
            tally = [0] * len(target.scale.levels)
            for level in levels:
                tally[level.position] += 1
            counts[target.id] = tally
            means[target.id] = (
                sum(level.normalised for level in levels) / len(levels) if levels else None
            )
        summaries.append(GroupSummary(name, tuple(student_ids), means, counts))
    return summaries


def _standing(class_id: str) -> Select[str, str, int | None, bool, str, datetime]:
    """The columns the views read, of the class's checks that no live check supersedes."""
    newer = aliased(QuickCheck)
    superseded = (
        select(col(newer.id))
        .where(and_(col(newer.supersedes) == col(QuickCheck.id), col(newer.deleted).is_(False)))
        .exists()
    )
    return (
        select(
            col(QuickCheck.student_id),
            col(QuickCheck.target_id),
            col(QuickCheck.score),
            col(QuickCheck.absent),
            col(QuickCheck.note),
            col(QuickCheck.observed_at),
        )
        .where(col(QuickCheck.class_id) == class_id, col(QuickCheck.deleted).is_(False))
        .where(~superseded)
    )


# SQLite returns the other columns from the row holding max() (a documented extension):
# the newest levelled, unsuperseded check per pair, without a window function's sort.
_LATEST_LEVELS = text(
    """
    SELECT q.student_id, q.target_id, q.score, max(q.observed_at)
    FROM quick_check AS q
    WHERE q.class_id = :class_id AND q.deleted = 0 AND q.score IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM quick_check AS n WHERE n.supersedes = q.id AND n.deleted = 0)
    GROUP BY q.student_id, q.target_id
    """
)
# {scales} becomes "(:t0, :f0, :n0), ..." : target id, first value, number of levels.
_DAILY_MEANS = """
    WITH scale(target_id, first_value, levels) AS (VALUES {scales})
    SELECT q.student_id,
           avg(CASE WHEN s.levels <= 1 THEN 1.0
                    ELSE (q.score - s.first_value) * 1.0 / (s.levels - 1) END)
    FROM quick_check AS q JOIN scale AS s ON s.target_id = q.target_id
    WHERE q.class_id = :class_id AND q.deleted = 0 AND q.score IS NOT NULL
      AND q.score >= s.first_value AND q.score < s.first_value + s.levels
      AND NOT EXISTS (
        SELECT 1 FROM quick_check AS n WHERE n.supersedes = q.id AND n.deleted = 0)
    GROUP BY q.student_id, date(q.observed_at, :shift)
    ORDER BY q.student_id, date(q.observed_at, :shift)
"""


def _local_shift() -> str:
    """The laptop's current UTC offset as an SQLite date modifier ("+60 minutes")."""
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    return f"{int(offset.total_seconds() // 60):+d} minutes"


def _parse_stamp(value: str | datetime) -> datetime:
    """A stored timestamp (SQLAlchemy writes ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _flag_query(class_id: str) -> Select[str]:
    return select(col(StudentNote.student_id)).where(
        col(StudentNote.class_id) == class_id,
        col(StudentNote.kind) == "needs_support",
        col(StudentNote.active).is_(True),
        col(StudentNote.deleted).is_(False),
    )


def _scale(spec: str) -> Scale:
    return parse_scale(spec)
