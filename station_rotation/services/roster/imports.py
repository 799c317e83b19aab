"""Import a class roster (OneRoster or plain CSV): preview the plan, then apply it whole.

``preview`` parses the file and compares it with the store (three bulk reads, no query
per row); ``apply`` writes the whole plan in ONE write transaction through ``tx.put``, so
every change reaches the sync outbox and any failure leaves the file untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlmodel import Session, col, select

from station_rotation.core.errors import ImportError_
from station_rotation.importing.model import Roster
from station_rotation.importing.oneroster import (
    looks_like_oneroster,
    parse_oneroster,
    refuse_part_of_export,
)
from station_rotation.importing.plain_csv import (
    ColumnMapping,
    auto_mapping,
    parse_plain_csv,
    understand,
    with_overrides,
)
from station_rotation.importing.preview import (
    CLASS_FIELDS,
    STUDENT_FIELDS,
    TEACHER_FIELDS,
    Existing,
    ImportPlan,
    PlanItem,
    Snapshot,
    make_plan,
)
from station_rotation.importing.source import RosterSource
from station_rotation.importing.table import Table, read_table
from station_rotation.store.database import Store, WriteTransaction
from station_rotation.store.models import (
    ClassSection,
    ClassTeacher,
    Enrollment,
    Student,
    SyncedRecord,
    Teacher,
)

Format = Literal["auto", "oneroster", "csv"]
_MODELS: dict[str, type[SyncedRecord]] = {
    "class": ClassSection,
    "student": Student,
    "enrollment": Enrollment,
    "teacher": Teacher,
    "class_teacher": ClassTeacher,
}
_CHUNK = 500  # ids per IN (...) lookup, under SQLite's variable limit


@dataclass(frozen=True)
class ImportOptions:
    format: Format = "auto"
    classes: frozenset[str] = frozenset()  # OneRoster class sourcedIds to take (all if empty)
    mapping: Mapping[str, str] = field(default_factory=dict)  # plain CSV: field -> header
    into_class_id: str | None = None  # plain CSV: the existing class to import into
    # Plain CSV: archive (never delete) the class's students the file does not list.
    archive_missing: bool = False


@dataclass(frozen=True)
class CsvPreview:
    """A plain CSV's headers, a few rows, and the guessed mapping (the GUI's mapping step).

    ``notes``: what was recognised (the layout, no header row) before any column is chosen.
    """

    headers: list[str]
    samples: list[list[str]]
    mapping: ColumnMapping
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportSummary:
    added: int
    changed: int
    archived: int
    class_ids: list[str]
    removed: int = 0  # class-teacher links a bulk roster no longer lists

    def __str__(self) -> str:
        text = f"{self.added} added, {self.changed} changed, {self.archived} archived"
        return text + (f", {self.removed} removed" if self.removed else "")


class RosterImportService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading ------------------------------------------------------------------

    def detect_format(self, path: Path) -> Format:
        """``oneroster`` for a OneRoster folder or zip, ``csv`` for a single plain CSV."""
        source = RosterSource.open(path)
        if looks_like_oneroster(source):
            return "oneroster"
        refuse_part_of_export(source)
        return "csv"

    def inspect_csv(self, path: Path, samples: int = 3) -> CsvPreview:
        read = understand(_single_table(RosterSource.open(path)))
        table = read.table
        rows = [[r.values.get(k, "") for k in table.keys] for r in table.rows[:samples]]
        return CsvPreview(table.headers, rows, auto_mapping(table.headers, read), read.notes)

    def parse(self, path: Path, options: ImportOptions = ImportOptions()) -> Roster:
        source = RosterSource.open(path)
        fmt = options.format
        if fmt == "auto":
            fmt = "oneroster" if looks_like_oneroster(source) else "csv"
            if fmt == "csv":
                refuse_part_of_export(source)
        if fmt == "oneroster":
            roster = parse_oneroster(source)
            if options.classes:
                roster = roster.only_classes(set(options.classes))
            return roster
        read = understand(_single_table(source))
        table = read.table
        mapping = with_overrides(auto_mapping(table.headers, read), options.mapping, table.headers)
        return parse_plain_csv(
            table, mapping, into_class_id=options.into_class_id, notes=read.notes
        )

    def preview(self, path: Path, options: ImportOptions = ImportOptions()) -> ImportPlan:
        """What importing ``path`` would add, change and archive; writes nothing."""
        roster = self.parse(path, options)
        with self._store.read() as session:
            snapshot = _snapshot(session)
        return make_plan(roster, snapshot, archive_missing=options.archive_missing)

    # --- writing ------------------------------------------------------------------

    def apply(self, plan: ImportPlan) -> ImportSummary:
        """Write the whole plan in one transaction; refuse if the records moved meanwhile."""
        if not plan.empty:  # nothing to change: do not even take the write lock
            with self._store.write() as tx:
                _apply(tx, plan.items)
        return ImportSummary(
            added=plan.count("add"),
            changed=plan.count("change"),
            archived=plan.count("archive"),
            class_ids=plan.class_ids,
            removed=plan.count("remove"),
        )

    def import_roster(self, path: Path, options: ImportOptions = ImportOptions()) -> ImportSummary:
        return self.apply(self.preview(path, options))


def _single_table(source: RosterSource) -> Table:
    if len(source.files) != 1:
        raise ImportError_(
            f"{source.name} holds {len(source.files)} CSV files but no OneRoster manifest.csv; "
            "choose a single roster CSV, or a OneRoster export."
        )
    ((name, data),) = source.files.items()
    return read_table(data, name)


def _snapshot(session: Session) -> Snapshot:
    classes = [
        Existing(c.id, c.hlc, {**{f: getattr(c, f) for f in CLASS_FIELDS}, "archived": c.archived})
        for c in session.exec(select(ClassSection).where(col(ClassSection.deleted).is_(False)))
    ]
    students = [
        Existing(
            s.id, s.hlc, {**{f: getattr(s, f) for f in STUDENT_FIELDS}, "archived": s.archived}
        )
        for s in session.exec(select(Student).where(col(Student.deleted).is_(False)))
    ]
    enrollments = [
        Existing(
            e.id,
            e.hlc,
            {"class_id": e.class_id, "student_id": e.student_id, "archived": e.archived},
        )
        for e in session.exec(select(Enrollment).where(col(Enrollment.deleted).is_(False)))
    ]
    teachers = [
        Existing(t.id, t.hlc, {f: getattr(t, f) for f in TEACHER_FIELDS})
        for t in session.exec(select(Teacher).where(col(Teacher.deleted).is_(False)))
    ]
    links = [
        Existing(link.id, link.hlc, {"class_id": link.class_id, "teacher_id": link.teacher_id})
        for link in session.exec(select(ClassTeacher).where(col(ClassTeacher.deleted).is_(False)))
    ]
    return Snapshot(classes, students, enrollments, teachers, links)


def _apply(tx: WriteTransaction, items: list[PlanItem]) -> None:
    for kind in ("class", "student", "enrollment", "teacher", "class_teacher"):  # parents first
        model = _MODELS[kind]
        mine = [i for i in items if i.kind == kind]
        loaded = _load(tx.session, model, (i.record_id for i in mine))
        records: list[SyncedRecord] = []
        for item in mine:
            if item.action == "add":
                record: SyncedRecord = model(id=item.record_id, **item.fields)
                gone = loaded.get(item.record_id)
                if gone is not None:
                    # The district's id of a record deleted here before: it comes back
                    # (the snapshot skips tombstones, so only a tombstone can be found).
                    for name, value in item.fields.items():
                        setattr(gone, name, value)
                    gone.deleted = False
                    record = gone
            else:
                found = loaded.get(item.record_id)
                if found is None or found.hlc != item.expected_hlc:
                    raise ImportError_(
                        f"{item.label or 'A record'} was changed while the import was being "
                        "previewed; nothing was imported. Preview the import again."
                    )
                if item.action == "remove":
                    tx.delete(found)
                    continue
                record = found
                for name, value in item.fields.items():
                    setattr(record, name, value)
            records.append(record)
        tx.put_many(records)


def _load(session: Session, model: type[SyncedRecord], ids: Iterable[str]) -> dict[str, Any]:
    wanted = list(ids)
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for record in session.exec(select(model).where(col(model.id).in_(chunk))):
            found[record.id] = record
    return found
