"""The import plan: what applying a roster would add, change and archive in the store.

Pure comparison of a parsed :class:`Roster` with a snapshot of the store (plain data the
service reads in a few bulk queries), so the preview is exact and cheap. Records are
recognised by the district's ``sourcedId`` (else student id, else name), so a re-import
never duplicates. Archiving sets ``archived``; nothing is deleted, quick-check history stays.

A new record with a ``sourcedId`` gets the id the district server gives the same record
(:func:`roster_id`), so the teacher's import and the district's roster converge on one
record whichever reaches the server first; records without one get a random id.

A plain CSV is one class's whole list but not the district's: students of its classes it
does not list are named in ``ImportPlan.not_in_file`` and stay unless the teacher chooses
``archive_missing`` (then their class membership is archived, restorable on the Roster page).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from station_rotation.core.ids import RosterKind, new_id, roster_id
from station_rotation.core.words import counted
from station_rotation.importing.model import Roster, RosterClass, RosterStudent

Kind = Literal["class", "student", "enrollment", "teacher", "class_teacher"]
Action = Literal["add", "change", "archive", "remove"]  # remove: a class-teacher link only
CLASS_FIELDS = ("name", "subject", "grade", "period", "school_year", "source_id")
STUDENT_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "identifier",
    "email",
    "grade",
    "source_id",
)
TEACHER_FIELDS = ("given_name", "family_name", "email", "source_id")


@dataclass(frozen=True)
class Existing:
    """A record as the store holds it: id, clock stamp and the compared fields."""

    id: str
    hlc: str
    fields: dict[str, Any]

    @property
    def archived(self) -> bool:
        return bool(self.fields.get("archived"))


@dataclass(frozen=True)
class Snapshot:
    classes: list[Existing]
    students: list[Existing]
    enrollments: list[Existing]  # fields: class_id, student_id, archived
    teachers: list[Existing] = field(default_factory=list)
    class_teachers: list[Existing] = field(default_factory=list)  # fields: class_id, teacher_id


@dataclass(frozen=True)
class PlanItem:
    """One change: ``fields`` are the new values; ``before`` the old ones (changes only)."""

    kind: Kind
    action: Action
    record_id: str
    label: str
    fields: dict[str, Any]
    before: dict[str, Any] = field(default_factory=dict)
    expected_hlc: str = ""

    def describe(self) -> str:
        """``given_name: 'Sam' -> 'Samuel'; ...`` for a change; empty otherwise."""
        return "; ".join(
            f"{name}: {self.before.get(name)!r} -> {value!r}"
            for name, value in self.fields.items()
            if name in self.before
        )


@dataclass
class ImportPlan:
    source: str
    items: list[PlanItem]
    class_ids: list[str]  # the classes the roster is about, in file order
    # Plain CSV: active students of the file's classes whom it does not list (labels).
    not_in_file: list[str] = field(default_factory=list)
    archive_missing: bool = False  # ...and whether this plan archives them
    notes: list[str] = field(default_factory=list)  # how the file was read (Roster.notes)

    def count(self, action: Action, kind: Kind | None = None) -> int:
        return sum(1 for i in self.items if i.action == action and kind in (None, i.kind))

    @property
    def empty(self) -> bool:
        return not self.items

    def summary(self) -> str:
        counts: Counter[tuple[str, str]] = Counter((i.action, i.kind) for i in self.items)
        parts = []
        for action, verb in (
            ("add", "added"),
            ("change", "changed"),
            ("archive", "archived"),
            ("remove", "removed"),
        ):
            kinds = ", ".join(
                _plural(counts[(action, k)], k)
                for k in ("class", "student", "enrollment", "teacher", "class_teacher")
                if counts[(action, k)]
            )
            if kinds or action != "remove":
                parts.append(f"{verb}: {kinds or 'nothing'}")
        return f"{self.source}: " + "; ".join(parts)


def make_plan(roster: Roster, snapshot: Snapshot, *, archive_missing: bool = False) -> ImportPlan:
    """Compare ``roster`` with the store; ``archive_missing``: a plain CSV's absentees leave."""
    return _Planner(roster, snapshot, archive_missing).plan()


class _Planner:
    def __init__(self, roster: Roster, snapshot: Snapshot, archive_missing: bool = False) -> None:
        self.roster = roster
        self.snap = snapshot
        self.archive_missing = archive_missing
        self.not_in_file: list[str] = []
        self.items: list[PlanItem] = []
        self.class_ids: dict[str, str] = {}  # roster class key -> record id
        self.student_ids: dict[str, str] = {}
        self._seen_enrollments: set[tuple[str, str]] = set()
        self._enrollment_label: Callable[[str, str], str] = lambda _c, _s: ""
        # Record id -> sourcedId of the classes, students and teachers (stored and added).
        self._source_ids: dict[str, str] = {
            e.id: str(e.fields["source_id"])
            for e in (*snapshot.classes, *snapshot.students, *snapshot.teachers)
            if e.fields.get("source_id")
        }

    def plan(self) -> ImportPlan:
        self._classes()
        self._students()
        self._enrollments()
        self._teachers()
        if self.roster.bulk and not self.roster.partial and self.roster.into_class_id is None:
            self._archive_missing()
        elif self.roster.whole_classes:
            self._missing_from_classes()
        ordered = [self.class_ids[k] for k in self.roster.classes if k in self.class_ids]
        return ImportPlan(
            self.roster.source,
            self.items,
            ordered,
            not_in_file=self.not_in_file,
            archive_missing=self.archive_missing and bool(self.not_in_file),
            notes=list(self.roster.notes),
        )

    # --- classes and students -----------------------------------------------------

    def _classes(self) -> None:
        by_id = {c.id: c for c in self.snap.classes}
        by_source = {c.fields["source_id"]: c for c in self.snap.classes if c.fields["source_id"]}
        by_name = {
            c.fields["name"].casefold(): c for c in self.snap.classes if not c.fields["source_id"]
        }
        for key, rc in self.roster.classes.items():
            if self.roster.into_class_id is not None:
                found = by_id.get(self.roster.into_class_id)
                if found is None:
                    from station_rotation.core.errors import ImportError_

                    raise ImportError_(
                        f"There is no class {self.roster.into_class_id!r} to import into. "
                        "List the classes with `station-rotation classes`."
                    )
                self.class_ids[key] = found.id
                continue
            found = by_source.get(rc.source_id) if rc.source_id else by_name.get(rc.name.casefold())
            record_id = self._merge(
                "class", found, _class_fields(rc), rc.active, rc.name, rc.source_id
            )
            if record_id:
                self.class_ids[key] = record_id

    def _students(self) -> None:
        index: dict[str, Existing] = {}
        for s in self.snap.students:
            f = s.fields
            index.setdefault(f"name:{f['given_name'].casefold()}|{f['family_name'].casefold()}", s)
            if f["identifier"]:
                index.setdefault(f"id:{f['identifier']}", s)
        for s in self.snap.students:
            if s.fields["source_id"]:
                index[s.fields["source_id"]] = s
        for key, rs in self.roster.students.items():
            found = index.get(key)
            label = f"{rs.given_name} {rs.family_name}".strip()
            record_id = self._merge(
                "student", found, _student_fields(rs), rs.active, label, rs.source_id
            )
            if record_id:
                self.student_ids[key] = record_id

    def _merge(
        self,
        kind: Kind,
        found: Existing | None,
        fields: dict[str, Any],
        active: bool,
        label: str,
        source_id: str | None = None,
    ) -> str | None:
        """Add, change, archive or leave one class or student; its record id (None: skip)."""
        if found is None:
            if not active:
                return None  # tobedeleted and never imported: nothing to do
            record_id = roster_id(kind, source_id) if source_id else new_id()
            if source_id:
                self._source_ids[record_id] = source_id
            self.items.append(PlanItem(kind, "add", record_id, label, fields))
            return record_id
        if not active:
            self._archive(kind, found, label)
            return found.id
        # A value the file leaves empty keeps what the teacher has.
        new = {k: v for k, v in fields.items() if v and found.fields.get(k) != v}
        if found.archived and kind == "student":
            new["archived"] = False  # came back
        if new:
            before = {k: found.fields.get(k) for k in new}
            self.items.append(PlanItem(kind, "change", found.id, label, new, before, found.hlc))
        return found.id

    def _archive(self, kind: Kind, found: Existing, label: str) -> None:
        if not found.archived:
            self.items.append(
                PlanItem(
                    kind,
                    "archive",
                    found.id,
                    label,
                    {"archived": True},
                    {"archived": False},
                    found.hlc,
                )
            )

    # --- teachers -----------------------------------------------------------------

    def _teachers(self) -> None:
        """The classes' teachers and who teaches which class; a bulk file drops old links."""
        by_source = {t.fields["source_id"]: t for t in self.snap.teachers if t.fields["source_id"]}
        teacher_ids: dict[str, str] = {}
        for key, rt in self.roster.teachers.items():
            fields = {name: getattr(rt, name) for name in TEACHER_FIELDS}
            label = f"{rt.given_name} {rt.family_name}".strip() or key
            record_id = self._merge("teacher", by_source.get(key), fields, True, label, key)
            if record_id:
                teacher_ids[key] = record_id
        names = {t.id: _teacher_label(t.fields) for t in self.snap.teachers}
        names.update({i.record_id: i.label for i in self.items if i.kind == "teacher"})
        classes = {c.id: c.fields["name"] for c in self.snap.classes}
        classes.update({i.record_id: i.label for i in self.items if i.kind == "class"})
        existing = {
            (e.fields["class_id"], e.fields["teacher_id"]): e for e in self.snap.class_teachers
        }
        seen: set[tuple[str, str]] = set()
        for link in self.roster.class_teachers:
            class_id = self.class_ids.get(link.class_key)
            teacher_id = teacher_ids.get(link.teacher_key)
            if class_id is None or teacher_id is None or (class_id, teacher_id) in seen:
                continue
            seen.add((class_id, teacher_id))
            label = f"{names.get(teacher_id, '')} teaches {classes.get(class_id, '')}"
            found = existing.get((class_id, teacher_id))
            if found is None and link.active:
                fields = {
                    "class_id": class_id,
                    "teacher_id": teacher_id,
                    "source_id": f"{link.class_key}/{link.teacher_key}",
                }
                link_id = self._link_id("class_teacher", class_id, teacher_id)
                self.items.append(PlanItem("class_teacher", "add", link_id, label, fields))
            elif found is not None and not link.active:
                self._remove_link(found, label)
        if self.roster.bulk and not self.roster.partial and self.roster.into_class_id is None:
            scope = set(self.class_ids.values())
            for pair, found in existing.items():
                if pair[0] in scope and pair not in seen:
                    self._remove_link(
                        found, f"{names.get(pair[1], '')} taught {classes.get(pair[0], '')}"
                    )

    def _link_id(self, kind: RosterKind, parent_id: str, member_id: str) -> str:
        """An enrollment's or class–teacher link's id: the district's when both ends are.

        Both ends must carry the ids derived from their ``sourcedId``s: a link between a
        district class and a student imported before ids were derived (a random id) is
        not the district's record, so it gets a random id of its own.
        """
        parent = self._source_ids.get(parent_id)
        member = self._source_ids.get(member_id)
        member_kind: RosterKind = "teacher" if kind == "class_teacher" else "student"
        if (
            parent
            and member
            and parent_id == roster_id("class", parent)
            and member_id == roster_id(member_kind, member)
        ):
            return roster_id(kind, parent, member)
        return new_id()

    def _remove_link(self, found: Existing, label: str) -> None:
        """A teacher no longer teaches a class: the link is tombstoned (it holds no history)."""
        self.items.append(PlanItem("class_teacher", "remove", found.id, label, {}, {}, found.hlc))

    # --- enrollments --------------------------------------------------------------

    def _enrollments(self) -> None:
        existing = {
            (e.fields["class_id"], e.fields["student_id"]): e for e in self.snap.enrollments
        }
        names = {s.id: _label(s.fields) for s in self.snap.students}
        names.update({i.record_id: i.label for i in self.items if i.kind == "student"})
        classes = {c.id: c.fields["name"] for c in self.snap.classes}
        classes.update({i.record_id: i.label for i in self.items if i.kind == "class"})
        self._enrollment_label = lambda c, s: f"{names.get(s, '')} in {classes.get(c, '')}"
        seen: set[tuple[str, str]] = set()
        for re_ in self.roster.enrollments:
            class_id = self.class_ids.get(re_.class_key)
            student_id = self.student_ids.get(re_.student_key)
            if class_id is None or student_id is None or (class_id, student_id) in seen:
                continue
            seen.add((class_id, student_id))
            label = self._enrollment_label(class_id, student_id)
            found = existing.get((class_id, student_id))
            if found is None:
                if re_.active:
                    self.items.append(
                        PlanItem(
                            "enrollment",
                            "add",
                            self._link_id("enrollment", class_id, student_id),
                            label,
                            {
                                "class_id": class_id,
                                "student_id": student_id,
                                "source_id": re_.source_id,
                            },
                        )
                    )
            elif not re_.active:
                self._archive("enrollment", found, label)
            elif found.archived:
                self.items.append(
                    PlanItem(
                        "enrollment",
                        "change",
                        found.id,
                        label,
                        {"archived": False},
                        {"archived": True},
                        found.hlc,
                    )
                )
        self._seen_enrollments = seen

    def _archive_missing(self) -> None:
        """A bulk file is the whole roster: district records it no longer lists have left."""
        in_file_classes = set(self.roster.classes)
        for c in self.snap.classes:
            if c.fields["source_id"] and c.fields["source_id"] not in in_file_classes:
                self._archive("class", c, c.fields["name"])
        in_file_students = set(self.roster.students)
        district_students = set()
        for s in self.snap.students:
            if s.fields["source_id"]:
                district_students.add(s.id)
                if s.fields["source_id"] not in in_file_students:
                    self._archive("student", s, _label(s.fields))
        scope = set(self.class_ids.values())
        for e in self.snap.enrollments:
            pair = (e.fields["class_id"], e.fields["student_id"])
            if (
                pair[0] in scope
                and pair[1] in district_students
                and pair not in self._seen_enrollments
            ):
                self._archive("enrollment", e, self._enrollment_label(*pair))

    def _missing_from_classes(self) -> None:
        """Active students of the file's classes it does not list: named, archived on request."""
        students = {s.id: s for s in self.snap.students}
        scope = set(self.class_ids.values())
        missing: list[tuple[str, Existing]] = []
        for e in self.snap.enrollments:
            pair = (e.fields["class_id"], e.fields["student_id"])
            student = students.get(pair[1])
            if (
                pair[0] in scope
                and pair not in self._seen_enrollments
                and not e.archived
                and student is not None
                and not student.archived
            ):
                missing.append((self._enrollment_label(*pair), e))
        missing.sort(key=lambda m: m[0].casefold())
        several = len(scope) > 1  # then say which class each one is missing from
        self.not_in_file = [
            label if several else _label(students[e.fields["student_id"]].fields)
            for label, e in missing
        ]
        if self.archive_missing:
            for label, e in missing:
                self._archive("enrollment", e, label)


def _plural(count: int, kind: str) -> str:
    noun = "class teacher" if kind == "class_teacher" else kind
    return counted(count, noun, "classes" if kind == "class" else "")


def _teacher_label(fields: dict[str, Any]) -> str:
    return _label(fields) or str(fields["source_id"])


def _label(fields: dict[str, Any]) -> str:
    return f"{fields['given_name']} {fields['family_name']}".strip()


def _class_fields(rc: RosterClass) -> dict[str, Any]:
    return {name: getattr(rc, name) for name in CLASS_FIELDS}


def _student_fields(rs: RosterStudent) -> dict[str, Any]:
    return {name: getattr(rs, name) for name in STUDENT_FIELDS}
