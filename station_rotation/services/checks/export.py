"""Quick checks and reflections as a CSV file a spreadsheet opens cleanly.

UTF-8 with a byte-order mark (so Excel reads accented names right), the csv module's
Excel dialect (commas, CRLF, quotes where needed), dates and times in the laptop's
local time written as ``YYYY-MM-DD`` and ``YYYY-MM-DD HH:MM:SS`` (both Excel and
LibreOffice recognise them). Every fact is exported, corrections included: a superseded
row says so and names the row that replaced it, so the history can be read back.
Text a student or teacher typed that starts like a formula is prefixed with ``'``,
so opening the file never runs it.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO, cast

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Mapped, aliased
from sqlmodel import col

from station_rotation.core.errors import StoreError, ValidationError
from station_rotation.core.moments import as_utc
from station_rotation.core.spreadsheet import ScaleLabels, safe_text, student_name
from station_rotation.store.database import Store
from station_rotation.store.models import (
    ClassSection,
    LearningTarget,
    QuickCheck,
    Reflection,
    Student,
)

HEADER = (
    "record",
    "date",
    "observed_at",
    "class",
    "student",
    "student_identifier",
    "target_code",
    "target_statement",
    "level_value",
    "level_label",
    "absent",
    "confidence",
    "note",
    "superseded",
    "superseded_by",
    "supersedes",
    "id",
)


@dataclass(frozen=True)
class ExportSummary:
    """What a CSV export wrote."""

    path: Path
    checks: int
    reflections: int


def write_checks_csv(
    store: Store, out: TextIO, *, class_ids: Sequence[str] = ()
) -> tuple[int, int]:
    """Write the header and every check and reflection (of ``class_ids``, else all).

    ``out`` must be opened with ``newline=""``; returns (checks, reflections) written.
    """
    writer = csv.writer(out, dialect="excel")
    writer.writerow(HEADER)
    checks = 0
    for row in _check_rows(store, class_ids):
        writer.writerow(row)
        checks += 1
    reflections = 0
    for row in _reflection_rows(store, class_ids):
        writer.writerow(row)
        reflections += 1
    return checks, reflections


def export_checks(store: Store, path: Path, *, class_ids: Sequence[str] = ()) -> ExportSummary:
    """Write the CSV to ``path`` (replaced whole, never left half-written)."""
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; choose a file name ending in .csv.")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            checks, reflections = write_checks_csv(store, out, class_ids=class_ids)
        os.replace(temp, path)
    except OSError as exc:
        raise StoreError(
            f"Could not write {path} ({exc.strerror or exc}). Choose another folder or "
            "close the file if a spreadsheet has it open."
        ) from exc
    return ExportSummary(path, checks, reflections)


def local_date(moment: datetime) -> str:
    return as_utc(moment).astimezone().strftime("%Y-%m-%d")


def local_stamp(moment: datetime) -> str:
    return as_utc(moment).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _check_rows(store: Store, class_ids: Sequence[str]) -> Iterable[list[str]]:
    newer = aliased(QuickCheck)
    query = (
        select(
            QuickCheck,
            col(ClassSection.name),
            col(Student.given_name),
            col(Student.preferred_name),
            col(Student.family_name),
            col(Student.identifier),
            col(LearningTarget.code),
            col(LearningTarget.statement),
            col(LearningTarget.scale),
            cast("ColumnElement[str]", newer.id).label("superseded_by"),
        )
        .join(ClassSection, col(ClassSection.id) == col(QuickCheck.class_id))
        .join(Student, col(Student.id) == col(QuickCheck.student_id))
        .join(LearningTarget, col(LearningTarget.id) == col(QuickCheck.target_id))
        .outerjoin(
            newer,
            (col(newer.supersedes) == col(QuickCheck.id)) & col(newer.deleted).is_(False),
        )
        .where(col(QuickCheck.deleted).is_(False), _in_classes(col(QuickCheck.class_id), class_ids))
        .order_by(col(ClassSection.name), col(QuickCheck.observed_at), col(QuickCheck.hlc))
    )
    scales = ScaleLabels()
    with store.read() as session:
        for (
            check,
            class_name,
            given,
            preferred,
            family,
            ident,
            code,
            statement,
            spec,
            by,
        ) in session.execute(query):
            level_value, level_label = "", ""
            if check.score is not None:
                level_value = str(check.score)
                level_label = scales.label(spec, check.score)
            yield [
                "quick check",
                local_date(check.observed_at),
                local_stamp(check.observed_at),
                safe_text(class_name),
                safe_text(student_name(given, preferred, family)),
                safe_text(ident),
                safe_text(code),
                safe_text(statement),
                level_value,
                safe_text(level_label),
                "yes" if check.absent else "",
                "",
                safe_text(check.note),
                "yes" if by else "",
                by or "",
                check.supersedes or "",
                check.id,
            ]


def _reflection_rows(store: Store, class_ids: Sequence[str]) -> Iterable[list[str]]:
    query = (
        select(
            Reflection,
            col(ClassSection.name),
            col(Student.given_name),
            col(Student.preferred_name),
            col(Student.family_name),
            col(Student.identifier),
            col(LearningTarget.code),
            col(LearningTarget.statement),
        )
        .join(ClassSection, col(ClassSection.id) == col(Reflection.class_id))
        .join(Student, col(Student.id) == col(Reflection.student_id))
        .outerjoin(LearningTarget, col(LearningTarget.id) == col(Reflection.target_id))
        .where(col(Reflection.deleted).is_(False), _in_classes(col(Reflection.class_id), class_ids))
        .order_by(col(ClassSection.name), col(Reflection.observed_at))
    )
    with store.read() as session:
        for (
            reflection,
            class_name,
            given,
            preferred,
            family,
            ident,
            code,
            statement,
        ) in session.execute(query):
            yield [
                "reflection",
                local_date(reflection.observed_at),
                local_stamp(reflection.observed_at),
                safe_text(class_name),
                safe_text(student_name(given, preferred, family)),
                safe_text(ident),
                safe_text(code or ""),
                safe_text(statement or ""),
                "",
                "",
                "",
                str(reflection.confidence),
                safe_text(reflection.words),
                "",
                "",
                "",
                reflection.id,
            ]


def _in_classes(
    column: ColumnElement[str] | Mapped[str], class_ids: Sequence[str]
) -> ColumnElement[bool]:
    return column.in_(class_ids) if class_ids else true()
