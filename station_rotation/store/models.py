"""SQLModel tables of the local store.

Every synced table inherits :class:`SyncedRecord`: a device-made UUID key, the
hybrid-logical-clock stamp of its last edit and a tombstone flag (a delete is an edit
that sets ``deleted``; the row stays so the delete can sync). ``archived`` is a
teacher-facing state (a student who left) and is not a delete.

Following the SQLModel docs, table models only inherit from data models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from station_rotation.core.ids import new_id

JSON_DOCUMENT = {"info": {"json": True}}
"""``sa_column_kwargs`` of a text column holding a JSON object: ``check-db`` and the
outbox's reader parse it (``store/row_validation.py``)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class SyncedRecord(SQLModel):
    """Columns every synced record carries.

    ``defer_build``: pydantic builds a model's validator when it first validates, not
    when the app imports it; start-up defines ~20 models and uses few of them at once.
    """

    model_config = {"defer_build": True}

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    hlc: str = Field(default="", max_length=80)
    deleted: bool = Field(default=False)


# --- classes and people -------------------------------------------------------------


class ClassSection(SyncedRecord, table=True):
    """A class (OneRoster ``class``): one section the teacher teaches."""

    __tablename__ = "class_section"

    name: str = Field(max_length=200)
    subject: str = Field(default="", max_length=200)
    grade: str = Field(default="", max_length=50)
    period: str = Field(default="", max_length=50)
    school_year: str = Field(default="", max_length=50)
    source_id: str | None = Field(default=None, index=True, max_length=255)
    archived: bool = False


class Student(SyncedRecord, table=True):
    """A student; ``source_id`` is the district's OneRoster ``sourcedId`` when known."""

    given_name: str = Field(max_length=200)
    family_name: str = Field(default="", max_length=200)
    preferred_name: str = Field(default="", max_length=200)
    source_id: str | None = Field(default=None, index=True, max_length=255)
    identifier: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    grade: str = Field(default="", max_length=50)
    # Private to the teacher: never shown on the projector.
    support_notes: str = Field(default="")
    iep: bool = False
    ell: bool = False
    archived: bool = False

    @property
    def display_name(self) -> str:
        """Preferred (or given) name and family name, as the teacher reads it."""
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def first_name(self) -> str:
        """What the projector may show when first names are allowed."""
        return self.preferred_name or self.given_name


class Teacher(SyncedRecord, table=True):
    """A teacher of a class, as the district roster names them."""

    given_name: str = Field(default="", max_length=200)
    family_name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    source_id: str | None = Field(default=None, index=True, max_length=255)


class Enrollment(SyncedRecord, table=True):
    """A person's membership of a class; archived when they leave (history stays)."""

    __table_args__ = (UniqueConstraint("class_id", "student_id", name="uq_enrollment"),)

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    student_id: str = Field(foreign_key="student.id", index=True, max_length=36)
    source_id: str | None = Field(default=None, index=True, max_length=255)
    archived: bool = False


class ClassTeacher(SyncedRecord, table=True):
    """Which teacher teaches which class (OneRoster teacher enrollments)."""

    __tablename__ = "class_teacher"
    __table_args__ = (UniqueConstraint("class_id", "teacher_id", name="uq_class_teacher"),)

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    teacher_id: str = Field(foreign_key="teacher.id", index=True, max_length=36)
    source_id: str | None = Field(default=None, max_length=255)


# --- the room -----------------------------------------------------------------------


class Station(SyncedRecord, table=True):
    """A station of a class's room; ``position`` orders them."""

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    name: str = Field(max_length=120)
    kind: str = Field(default="independent", max_length=40)
    capacity: int = Field(default=8)
    default_minutes: int = Field(default=15)
    instructions: str = Field(default="")
    content_url: str = Field(default="", max_length=2000)
    position: int = Field(default=0)
    archived: bool = False


class LearningTarget(SyncedRecord, table=True):
    """What a quick check measures: a code, an "I can..." statement and a scale.

    A target taken from a state's standards (a CASE framework) keeps the standard's
    GUID (``CFItem.identifier``) and its framework's (``CFDocument.identifier``), so a
    re-import recognises it and reports can be aligned with the standard; ``code`` holds
    the standard's human code (``6.RP.A.3``). Both are None for a target the teacher wrote.
    """

    __tablename__ = "learning_target"

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    code: str = Field(default="", max_length=80)
    statement: str = Field(max_length=1000)
    scale: str = Field(default="mastery4", max_length=400)
    position: int = Field(default=0)
    archived: bool = False
    standard_id: str | None = Field(default=None, max_length=255)
    framework_id: str | None = Field(default=None, max_length=255)


# --- local bookkeeping (not synced) -------------------------------------------------


class ChangeLog(SQLModel, table=True):
    """The outbox: one row per change to a synced record, written in the same transaction.

    ``seq`` is the per-device sequence number the server uses to spot gaps; ``change_id``
    makes a re-sent change idempotent. The payload is the full record as JSON, tagged with
    its type and version so an outbox written by an old version still syncs.
    """

    __tablename__ = "change_log"

    seq: int | None = Field(default=None, primary_key=True)
    change_id: str = Field(default_factory=new_id, unique=True, max_length=36)
    entity: str = Field(max_length=60)
    record_id: str = Field(max_length=36, index=True)
    op: str = Field(max_length=10)  # "upsert" or "delete"
    hlc: str = Field(max_length=80)
    payload: str = Field(sa_column_kwargs=JSON_DOCUMENT)
    payload_version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utc_now)
    before: str | None = Field(default=None, sa_column_kwargs=JSON_DOCUMENT)
    """The fields this edit changed and their values before it, as a JSON object; None for
    a new record or a fact (every field). The push names the fields (the server merges
    field by field) and a pull merges a local edit not yet sent with the server's version."""


class DeviceState(SQLModel, table=True):
    """Small key/value facts about this device (its id, the last HLC stamp)."""

    __tablename__ = "device_state"

    key: str = Field(primary_key=True, max_length=60)
    value: str


# --- rotation runs (local: the live clock of this laptop) ----------------------------


class RotationRun(SQLModel, table=True):
    """One live run of a rotation; its clock is rebuilt from its events after a crash.

    ``spec`` is the run's timing (round and transition seconds) as JSON; the anchor
    columns fix the start of the run's time line (see core/rotation/timesource.py).
    """

    __tablename__ = "rotation_run"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    title: str = Field(default="", max_length=200)
    spec: str = Field(sa_column_kwargs=JSON_DOCUMENT)
    anchor_wall: float
    anchor_mono: float
    anchor_boot: str = Field(default="", max_length=80)
    finished: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utc_now)


class RotationEvent(SQLModel, table=True):
    """A command given to a run, or a change made to it, durable the moment it is
    acknowledged."""

    __tablename__ = "rotation_event"

    seq: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="rotation_run.id", index=True, max_length=36)
    kind: str = Field(max_length=20)
    at: float  # seconds since the run's anchor
    seconds: float = 0.0
    created_at: datetime = Field(default_factory=utc_now)
    # The id a remote (the companion's phone) made for the command: a resend is found by it.
    request_id: str | None = Field(default=None, unique=True, index=True, max_length=36)
    # A change made during the run (kind "change": core/rotation/changes.py): what changed,
    # in words, and the run's lineup after it, as a JSON object. None for a clock command.
    detail: str | None = Field(default=None, sa_column_kwargs=JSON_DOCUMENT)


# --- observations (synced, append-only facts) ----------------------------------------


class QuickCheckData(SyncedRecord):
    """One formative observation: a student's level on a learning target, at a moment.

    Append-only: a correction is a new row whose ``supersedes`` names the row it
    replaces, so history stays and sync never has to merge two edits of one fact.
    ``score`` is the level's value on the target's scale; None when ``absent``.
    The hot path builds this plain data model (cheap) and inserts it into the table.
    """

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    student_id: str = Field(foreign_key="student.id", index=True, max_length=36)
    target_id: str = Field(foreign_key="learning_target.id", index=True, max_length=36)
    score: int | None = None
    absent: bool = False
    note: str = Field(default="")
    station_id: str | None = Field(default=None, max_length=36)
    run_id: str | None = Field(default=None, max_length=36)
    supersedes: str | None = Field(default=None, index=True, max_length=36)
    observed_at: datetime = Field(default_factory=utc_now, index=True)


class QuickCheck(QuickCheckData, table=True):
    __tablename__ = "quick_check"


class ReflectionData(SyncedRecord):
    """A student's own rating of their confidence, and a few words (student ownership)."""

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    student_id: str = Field(foreign_key="student.id", index=True, max_length=36)
    target_id: str | None = Field(default=None, foreign_key="learning_target.id", max_length=36)
    confidence: int  # 1 (not yet) .. 4 (I could teach it)
    words: str = Field(default="")
    observed_at: datetime = Field(default_factory=utc_now, index=True)


class Reflection(ReflectionData, table=True):
    pass


# --- plans and private notes (synced, teacher-edited: merged by HLC) ----------------


class RotationPlan(SyncedRecord, table=True):
    """A named, dated rotation plan (or a template) of one class.

    The plan's content (groups, members, paths, pace, absences, settings) is one JSON
    document in ``body``, owned and versioned by ``services/plans``: a plan is edited as a
    whole, so it merges as a whole (HLC last writer wins, with a conflict record).
    """

    __tablename__ = "rotation_plan"

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    name: str = Field(max_length=200)
    lesson_date: date | None = Field(default=None, index=True)
    is_template: bool = False
    body: str = Field(default="{}", sa_column_kwargs=JSON_DOCUMENT)
    body_version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    archived: bool = False


class StudentNote(SyncedRecord, table=True):
    """Private to the teacher: a support, an intervention or a comment about a student.

    ``kind`` is "needs_support" (an active one flags the student for grouping),
    "support", "intervention" or "comment". Never shown on the projector.
    """

    __tablename__ = "student_note"

    class_id: str = Field(foreign_key="class_section.id", index=True, max_length=36)
    student_id: str = Field(foreign_key="student.id", index=True, max_length=36)
    kind: str = Field(default="comment", max_length=30)
    text: str = Field(default="")
    active: bool = True
    created_at: datetime = Field(default_factory=utc_now)
    ended_at: datetime | None = None


# --- sync bookkeeping (local, not synced) --------------------------------------------


class SyncConflict(SQLModel, table=True):
    """A concurrent edit that the HLC merge overwrote, kept so the teacher can see both."""

    __tablename__ = "sync_conflict"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    entity: str = Field(max_length=60)
    record_id: str = Field(index=True, max_length=36)
    kept_payload: str = Field(sa_column_kwargs=JSON_DOCUMENT)
    kept_hlc: str = Field(max_length=80)
    lost_payload: str = Field(sa_column_kwargs=JSON_DOCUMENT)
    lost_hlc: str = Field(max_length=80)
    detected_at: datetime = Field(default_factory=utc_now)
    dismissed: bool = Field(default=False, index=True)


class DamagedChange(SQLModel, table=True):
    """An outbox row that could not be read (a disk error, a bad copy), kept aside raw.

    Each ``change_log`` column as its stored bytes (``CAST(... AS BLOB)``), never
    decoded, so nothing of it is lost; the outbox row itself became a stand-in that
    keeps the row's place in the laptop's sequence (``sync/outbox_damage.py``). Never
    sent, never dropped: the district's IT decides what to do with it.
    """

    __tablename__ = "damaged_change"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True)
    change_id: bytes | None = None
    entity: bytes | None = None
    record_id: bytes | None = None
    op: bytes | None = None
    hlc: bytes | None = None
    payload: bytes | None = None
    payload_version: bytes | None = None
    created_at: bytes | None = None
    before: bytes | None = None
    problem: str
    """What was wrong with it, in words (``check-db``'s words)."""
    found_at: datetime = Field(default_factory=utc_now)


# --- the registry of synced record types ------------------------------------------------


@dataclass(frozen=True)
class SyncedType:
    """One synced record type: the name it syncs under, its model and the teacher's word.

    ``entity`` is the table's name, on the laptop, on the wire and on the server.
    ``word`` names one record in messages ("This station could not be stored").
    ``append_only``: facts only ever added (a correction is a new fact), so they never
    conflict.
    """

    entity: str
    model: type[SyncedRecord]
    word: str
    append_only: bool = False


SYNCED_TYPES: dict[str, SyncedType] = {
    synced.entity: synced
    for synced in (
        SyncedType("class_section", ClassSection, "class"),
        SyncedType("student", Student, "student"),
        SyncedType("teacher", Teacher, "teacher"),
        SyncedType("enrollment", Enrollment, "class membership"),
        SyncedType("class_teacher", ClassTeacher, "class's teacher"),
        SyncedType("station", Station, "station"),
        SyncedType("learning_target", LearningTarget, "learning target"),
        SyncedType("quick_check", QuickCheck, "quick check", append_only=True),
        SyncedType("reflection", Reflection, "reflection", append_only=True),
        SyncedType("rotation_plan", RotationPlan, "plan"),
        SyncedType("student_note", StudentNote, "note"),
    )
}
"""Every synced record type, parents before children (the order a pull applies them in).

The one registry the store, the sync engine, the district server and the Sync page's
words read: a new synced type is added here.
"""

SYNCED_TABLES: dict[str, type[SyncedRecord]] = {
    entity: synced.model for entity, synced in SYNCED_TYPES.items()
}
"""Each synced type's model by entity name (:data:`SYNCED_TYPES`, in its order)."""
