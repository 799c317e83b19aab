"""Each student's latest standing quick check per target, read for grouping, levelled 0..1.

A year of checks is tens of thousands of rows; grouping needs one per student and
target. Two queries keep the read small:

1. the checks of the last four weeks before the class's newest check (a range of the
   ``observed_at`` index) give the latest check of every pair checked recently: a
   pair with any check in that window has its latest check there;
2. only the pairs still missing (a target from an earlier unit, a student back from a
   long absence) are looked up in the older checks, narrowed to those students and
   targets through their indexes.

Within a query SQLite picks the latest row per pair itself: with a bare ``MAX()`` in a
``GROUP BY`` it takes the other columns from the row holding the maximum (a documented
SQLite guarantee; the local store is SQLite). ``observed_at`` is fixed-width text, so
"observed_at hlc" orders by time, then by stamp, as ``quick_checks.latest_standing``
does. Superseded checks (corrected ones) and absent marks never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, bindparam, select, text
from sqlmodel import Session

from station_rotation.core.scheduling.tiers import Observation
from station_rotation.core.spreadsheet import ScaleLabels
from station_rotation.store.models import LearningTarget

RECENT = timedelta(days=28)
_STORED = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DATETIME in SQLite

# "+q.class_id" keeps SQLite from using the class index, so the other terms' indexes
# (observed_at, student, target) narrow the rows read. Without statistics SQLite would
# rather walk a whole index than the recent range, so the recent query names its index.
_LATEST = """
SELECT q.student_id, q.target_id, q.score, q.observed_at,
       MAX(q.observed_at || ' ' || q.hlc)
FROM quick_check AS q {index}
WHERE +q.class_id = :class_id AND q.deleted = 0 AND q.absent = 0 AND q.score IS NOT NULL
  AND {where}
  AND q.id NOT IN (
    SELECT s.supersedes FROM quick_check AS s WHERE s.supersedes > '' AND s.deleted = 0
  )
GROUP BY q.student_id, q.target_id
"""
_NEWEST = """
SELECT q.observed_at FROM quick_check AS q
WHERE +q.class_id = :class_id AND q.deleted = 0
ORDER BY q.observed_at DESC LIMIT 1
"""

Row = tuple[str, str, int, Any, str]


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _latest(
    session: Session, class_id: str, where: str, *, index: str = "", **values: Any
) -> list[Row]:
    query = text(_LATEST.format(where=where, index=index))
    lists: list[BindParameter[Any]] = [
        bindparam(name, expanding=True) for name, v in values.items() if isinstance(v, list)
    ]
    if lists:
        query = query.bindparams(*lists)
    rows = session.execute(query, {"class_id": class_id, **values}).all()
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def latest_rows(
    session: Session, class_id: str, student_ids: Iterable[str], target_ids: Sequence[str]
) -> list[Row]:
    """(student, target, score, observed_at, key) of the latest standing check per pair."""
    newest = session.execute(text(_NEWEST), {"class_id": class_id}).scalar()
    if newest is None or not target_ids:
        return []
    cutoff = (_moment(newest) - RECENT).strftime(_STORED)
    recent = _latest(
        session,
        class_id,
        "q.observed_at >= :cutoff AND q.target_id IN :targets",
        index="INDEXED BY ix_quick_check_observed_at",
        cutoff=cutoff,
        targets=list(target_ids),
    )
    found = {(row[0], row[1]) for row in recent}
    missing = {(s, t) for s in student_ids for t in target_ids} - found
    if not missing:
        return recent
    older = _latest(
        session,
        class_id,
        "q.observed_at < :cutoff AND q.student_id IN :students AND q.target_id IN :targets",
        cutoff=cutoff,
        students=sorted({s for s, _ in missing}),
        targets=sorted({t for _, t in missing}),
    )
    return recent + [row for row in older if (row[0], row[1]) in missing]


def observations(
    session: Session, class_id: str, student_ids: Iterable[str], target_ids: Sequence[str]
) -> list[Observation]:
    """The students' latest standing checks on the chosen targets (all when none), 0..1."""
    parsed = ScaleLabels()  # targets share a few scales: each parsed once
    scales = {
        tid: parsed.scale(spec)
        for tid, spec in session.execute(
            select(LearningTarget.id, LearningTarget.scale).where(  # type: ignore[call-overload]
                LearningTarget.class_id == class_id
            )
        ).all()
    }
    chosen = [t for t in target_ids if t in scales] if target_ids else list(scales)
    out = []
    for student, target, score, at, _key in latest_rows(
        session, class_id, list(student_ids), chosen
    ):
        scale = scales.get(target)
        if scale is None:
            continue
        index = score - scale.first_value
        if 0 <= index < len(scale.levels):
            out.append(Observation.on_scale(student, target, index, len(scale.levels), _moment(at)))
    return out
