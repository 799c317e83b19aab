"""The sync protocol's messages, shared by the laptop and the district server.

Plain pydantic models (no Qt, no database) so both sides validate the same shapes and
the server's OpenAPI document is the contract. See docs/sync.md for the protocol.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

PROTOCOL_VERSION = 2
"""The protocol this version speaks (2: a change names the fields it changed, ``Change.before``)."""

ACCEPTED_PROTOCOLS = frozenset({PROTOCOL_VERSION - 1, PROTOCOL_VERSION})
"""The server accepts the current and the previous protocol; older ones are refused."""

MAX_PUSH_BATCH = 2000
MAX_REQUEST_BYTES = 8 * 1024**2
"""The largest request body a district server takes by default (a 413 beyond it). A
laptop's push of 2,000 quick checks is about 1 MB; the laptop splits a batch of long
notes or reflections to fit, and halves it again if a server set lower answers 413."""
MAX_SEQ = 2**62  # fits a signed 64-bit column on every database
MAX_PULL_PAGE = 2000

Op = Literal["upsert", "delete"]
ResultStatus = Literal["applied", "duplicate", "rejected", "superseded"]
"""``superseded``: kept, but a concurrent edit from another device with a later stamp
stays the record's state (the device records a conflict showing both)."""


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _number_only(value: object) -> object:
    """No boolean nor text passes for a number (``false`` is no cursor, ``"1"`` no version)."""
    if isinstance(value, bool | str | bytes):
        raise ValueError("Input should be a valid integer")
    return value


TEXT = r"^[^\x00]*$"
"""The pattern of every text a client sends outside a payload: no NUL, which no database
column takes (a payload's NUL is the payload check's: ``server/payloads.py``)."""

NUMBER_ONLY = BeforeValidator(_number_only)
"""A client's integer as the OpenAPI document's ``integer`` means it: a JSON number with
no fraction (``54.0`` is 54, as JSON Schema reads it), never a boolean or a string.
Written after a field's bounds (``Annotated[int, Field(ge=...), NUMBER_ONLY]``), so the
schema shows them as ``minimum``/``maximum``."""

Protocol = Annotated[
    int,
    Field(
        description="The sync protocol the client speaks; one the server does not is a 426.",
        json_schema_extra={"enum": sorted(ACCEPTED_PROTOCOLS)},
    ),
    NUMBER_ONLY,
]


class Change(WireModel):
    """One change to one record, as the device's outbox holds it."""

    change_id: str = Field(min_length=1, max_length=36, pattern=TEXT)
    device_seq: Annotated[int, Field(ge=1, le=MAX_SEQ), NUMBER_ONLY]
    entity: str = Field(min_length=1, max_length=60, pattern=TEXT)
    record_id: str = Field(min_length=1, max_length=36, pattern=TEXT)
    op: Op
    hlc: str = Field(min_length=1, max_length=80, pattern=TEXT)
    payload: dict[str, Any]
    payload_type: str = Field(min_length=1, max_length=60, pattern=TEXT)
    payload_version: Annotated[int, Field(ge=1, le=1000), NUMBER_ONLY] = 1
    before: dict[Annotated[str, Field(min_length=1, max_length=60)], Any] | None = Field(
        default=None, max_length=200
    )
    """The fields this edit changed, with the values it changed them from: the server
    merges field by field, and a value the edit replaced without having seen it is a
    conflict. None: any field may have changed (a new record, a fact, protocol 1)."""


class PushRequest(WireModel):
    """A batch of outbox changes.

    ``seen_cursor`` is the device's pull cursor: a stored version with a higher server
    sequence was never seen by the device, so overwriting it is a concurrent edit.
    """

    protocol: Protocol
    changes: list[Change] = Field(max_length=MAX_PUSH_BATCH)
    seen_cursor: Annotated[int, Field(ge=0, le=MAX_SEQ), NUMBER_ONLY] | None = None


class ChangeResult(WireModel):
    """What the server did with one change; ``reason`` is plain words when rejected."""

    change_id: str
    device_seq: int
    status: ResultStatus
    reason: str = ""
    kept_hlc: str = ""
    """For ``superseded``: the stamp of the version the server keeps..."""
    kept_payload: dict[str, Any] | None = None
    """...and that version, so the device can show both sides of the conflict."""


class PushResponse(WireModel):
    """Results per change; the device may drop its outbox up to ``acked_through_seq``.

    A change the server refuses at the protocol level (a gap in the device's sequence, a
    change id seen under another sequence) is not acknowledged: ``refused`` says why and
    the device keeps its outbox intact.
    """

    results: list[ChangeResult]
    acked_through_seq: int
    refused: str = ""
    server_time: datetime


class PullRequest(WireModel):
    """A page after ``cursor``; with ``entity`` only that table (a digest re-pull)."""

    protocol: Protocol
    cursor: Annotated[int, Field(ge=0, le=MAX_SEQ), NUMBER_ONLY] = 0
    limit: Annotated[int, Field(ge=1, le=MAX_PULL_PAGE), NUMBER_ONLY] = 500
    entity: str | None = Field(default=None, min_length=1, max_length=60, pattern=TEXT)


class ServerChange(WireModel):
    """The current state of one record in the teacher's scope, at a server sequence."""

    server_seq: int
    entity: str
    record_id: str
    op: Op
    hlc: str
    payload: dict[str, Any]
    payload_version: int
    overwrote_hlc: str = ""
    """The stamp of a concurrent edit this version replaced (its device keeps a conflict)."""


class PullPage(WireModel):
    changes: list[ServerChange]
    next_cursor: int
    has_more: bool
    server_time: datetime


class DigestRequest(WireModel):
    protocol: Protocol


class TableDigest(WireModel):
    """How many records of one table the teacher's scope holds, and a hash of them all.

    ``digest`` is the SHA-256 of each record's canonical JSON (``record_json``) in id
    order, so a laptop computes the same value from its own rows.
    """

    entity: str
    count: int
    digest: str


class DigestResponse(WireModel):
    tables: list[TableDigest]
    server_time: datetime


def record_json(payload: dict[str, Any], hlc: str) -> str:
    """One record as the digest hashes it: its fields and stamp, keys sorted, compact."""
    return json.dumps({**payload, "hlc": hlc}, sort_keys=True, separators=(",", ":"))


def table_digest(entity: str, rows: Iterable[tuple[str, str]]) -> TableDigest:
    """The digest of ``(record_id, record_json)`` pairs (any order)."""
    hasher = hashlib.sha256()
    count = 0
    for record_id, body in sorted(rows):
        hasher.update(record_id.encode())
        hasher.update(b"\0")
        hasher.update(body.encode())
        hasher.update(b"\n")
        count += 1
    return TableDigest(entity=entity, count=count, digest=hasher.hexdigest())


class EnrolRequest(WireModel):
    protocol: Protocol
    code: str = Field(min_length=1, max_length=64, pattern=TEXT)
    device_id: str = Field(min_length=1, max_length=36, pattern=TEXT)
    device_name: str = Field(default="", max_length=200, pattern=TEXT)


class EnrolResponse(WireModel):
    token: str
    teacher_id: str
    device_id: str
    server_time: datetime


class ErrorBody(WireModel):
    """Every refusal carries a message a teacher can read."""

    detail: str
