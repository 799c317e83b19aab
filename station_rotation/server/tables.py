"""The server's tables, on a registry of their own.

``ServerTable`` uses a separate SQLAlchemy registry (hence a separate ``MetaData``): the
laptop's ``SQLModel.metadata`` (checked against the laptop's migrations) must never see
these tables, even when both packages are imported in one process.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    UniqueConstraint,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from station_rotation.core.ids import new_id


def utc_now() -> datetime:
    return datetime.now(UTC)


class ServerTable(SQLModel, registry=registry()):
    """Base of every server table (its own metadata)."""


SERVER_METADATA = ServerTable.metadata


class ServerTeacher(ServerTable, table=True):
    __tablename__ = "teacher"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    email: str = Field(default="", max_length=320, index=True)
    source_id: str | None = Field(default=None, index=True, max_length=255)
    """The district roster's ``sourcedId`` for this teacher, once a roster named them."""
    created_at: datetime = Field(default_factory=utc_now)


class Device(ServerTable, table=True):
    """An enrolled laptop; ``device_id`` is the laptop's own id (its HLC device id)."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    teacher_id: str = Field(foreign_key="teacher.id", index=True, max_length=36)
    device_id: str = Field(index=True, max_length=36)
    name: str = Field(default="", max_length=200)
    token_hash: str = Field(unique=True, max_length=64)
    revoked: bool = False
    last_seq: int | None = Field(default=None, sa_type=BigInteger)
    """Highest device sequence accepted; None until the first push sets the baseline."""
    created_at: datetime = Field(default_factory=utc_now)


class EnrolmentCode(ServerTable, table=True):
    __tablename__ = "enrolment_code"

    code_hash: str = Field(primary_key=True, max_length=64)
    teacher_id: str = Field(foreign_key="teacher.id", index=True, max_length=36)
    expires_at: datetime
    used: bool = False


class ClassScope(ServerTable, table=True):
    """Which teacher may read and write which class (district roster or created by them)."""

    __tablename__ = "class_scope"

    teacher_id: str = Field(foreign_key="teacher.id", primary_key=True, max_length=36)
    class_id: str = Field(primary_key=True, max_length=36)
    source: str = Field(default="roster", max_length=20)  # "roster" or "created"


class ReceivedChange(ServerTable, table=True):
    """The raw payload of every change that took a place in a device's sequence."""

    __tablename__ = "received_change"
    __table_args__ = (UniqueConstraint("device_id", "device_seq", name="uq_received_seq"),)

    change_id: str = Field(primary_key=True, max_length=36)
    # No index of its own: ``uq_received_seq`` leads with it (migration 0005).
    device_id: str = Field(foreign_key="device.id", max_length=36)
    device_seq: int = Field(sa_type=BigInteger)
    entity: str = Field(max_length=60)
    record_id: str = Field(max_length=36)
    raw: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=12)
    reason: str = Field(default="")
    received_at: datetime = Field(default_factory=utc_now)


class RefusedPush(ServerTable, table=True):
    """Changes refused at the protocol level (gap, cloned file): kept, never applied."""

    __tablename__ = "refused_push"

    id: int | None = Field(default=None, primary_key=True)
    device_id: str = Field(index=True, max_length=36)
    raw: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    reason: str
    received_at: datetime = Field(default_factory=utc_now)


class Record(ServerTable, table=True):
    """The merged current state of one synced record.

    A record with a class belongs to the class (its teachers read it); one without
    belongs to the teacher who owns it: never both (the scope reads rely on it).
    """

    __table_args__ = (
        CheckConstraint(
            "class_id IS NULL OR owner_teacher_id IS NULL", name="ck_record_class_or_owner"
        ),
    )

    entity: str = Field(primary_key=True, max_length=60)
    id: str = Field(primary_key=True, max_length=36)
    hlc: str = Field(max_length=80)
    payload: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    payload_version: int = 1
    deleted: bool = False
    class_id: str | None = Field(default=None, index=True, max_length=36)
    owner_teacher_id: str | None = Field(default=None, index=True, max_length=36)
    server_seq: int = Field(index=True, unique=True, sa_type=BigInteger)
    overwrote_hlc: str = Field(default="", max_length=80)
    """The stamp of a concurrent edit (one the pusher never saw) this version replaced."""
    district: bool = False
    """Loaded from the district roster: its roster fields are the district's (server wins)."""
    field_hlcs: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    """Each field's last stamp (per-field merges); None: every field carries ``hlc``."""


class SeqCounter(ServerTable, table=True):
    """One row: the last server sequence number handed out.

    A plain serial column hands out numbers at insert time, so a transaction that
    commits late can publish a number *below* a cursor a client already passed: that
    row would never be pulled. Incrementing this one row inside the applying
    transaction takes its row lock until commit, so numbers are handed out in commit
    order on PostgreSQL (and SQLite serialises writers anyway). The cost, pushes
    serialising on one row, is fine at district scale.
    """

    __tablename__ = "seq_counter"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_type=BigInteger)


class PersonScope(ServerTable, table=True):
    """Which teacher may read which district person (a rostered student or teacher).

    People have no class of their own; the roster load gives each teacher the people
    enrolled in her classes (recomputed on every load).
    """

    __tablename__ = "person_scope"

    teacher_id: str = Field(primary_key=True, max_length=36)
    record_id: str = Field(primary_key=True, max_length=36, index=True)


class EnrolFailure(ServerTable, table=True):
    """One wrong enrolment code: the client that sent it and when (``enrol_limit.py``).

    In the database, not in a process's memory, so the limit holds across the server's
    processes. Rows older than the limit's window are deleted as new ones come.
    """

    __tablename__ = "enrol_failure"
    __table_args__ = (Index("ix_enrol_failure_client", "client", "failed_at_ms"),)

    id: int | None = Field(default=None, primary_key=True)
    client: str = Field(max_length=100)
    failed_at_ms: int = Field(sa_type=BigInteger)
    """Unix time in milliseconds: one unambiguous clock on SQLite and PostgreSQL."""


class AuditEntry(ServerTable, table=True):
    """One district admin action: who did what, when, over which classes, how many.

    Never student data: class ids, teacher account ids and counts only (``audit.py``).
    Append-only: the app has no path that updates or deletes a row (``audit.py`` refuses
    one through the ORM).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), Index("ix_audit_log_action", "action"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(
        default_factory=utc_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    """When, in UTC."""
    action: str = Field(max_length=30)
    actor_kind: str = Field(max_length=20)
    """``staff`` (the account running the admin command) or ``teacher`` (an enrolment)."""
    actor: str = Field(max_length=200)
    """The operating-system user of a staff command, or the teacher account's id."""
    records: int = Field(default=0, sa_type=BigInteger)
    """How many records the action wrote or read (exported rows, changed records...)."""
    students: int | None = Field(default=None, sa_type=BigInteger)
    """How many distinct students it touched, where that has a meaning."""
    scope: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    """What it applied to: class ids, filters, the enrolment... (no student ids)."""
