"""An outbox row that cannot be read is kept aside, and its place in the sequence kept.

A disk error or a bad copy can leave an outbox (``change_log``) row whose text is not
UTF-8 or whose payload is not a JSON document. Read as the push reads it, such a row
stops the read of every row after it, so nothing would be sent. Sent as it is, it would
break the whole request. Left out, it would leave a gap in the laptop's numbers, which
the district server refuses (it cannot tell a gap from a lost change).

So when the outbox's reader (``remote_apply.pending``, for network and USB sync alike)
meets such a row, :func:`set_aside` copies each of its columns' bytes into
``damaged_change`` (never decoded, never dropped) and turns the outbox row, in the same
transaction, into a **stand-in**: the same number, its change id when readable, entity
:data:`STAND_IN_ENTITY`, an empty payload. The stand-in goes up like any change; the
server answers it ``rejected`` (``DAMAGED_ON_LAPTOP``, or "does not know records of type
…" from an older server) and, as for every rejected change, acknowledges its number, so
the changes after it are taken and the row is never sent again, as itself or as new.
"""

from __future__ import annotations

import uuid
from json import loads
from typing import Any

from sqlalchemy import func, select, update

from station_rotation.core.hlc import HlcStamp
from station_rotation.store.database import Store
from station_rotation.store.models import ChangeLog, DamagedChange, utc_now
from station_rotation.store.outbox import STAND_IN_ENTITY
from station_rotation.store.row_validation import column_check, read_text

_LOG: Any = ChangeLog.__table__  # type: ignore[attr-defined]
_COLUMNS = [column.name for column in _LOG.columns]
_CHECKS = [column_check(column) for column in _LOG.columns]
_LIMITS = {"change_id": 36, "entity": 60, "record_id": 36, "hlc": 80}
"""The wire's length limits (``sync/wire.py: Change``): a longer value breaks the push."""
_NAMESPACE = uuid.UUID("6f1d3a52-2a4e-4c0e-9a57-0e6b0d5c2a21")


def entry_problem(values: dict[str, Any]) -> str:
    """Why an outbox row (column name → value as a checking read returns it) cannot be
    sent as the change it was, or ``""``.

    The columns' own checks (text, numbers, JSON documents: ``row_validation.py``), then what
    the push needs besides (:func:`unsendable`).
    """
    for check in _CHECKS:
        problem = check.problem(values[check.name])
        if problem:
            return f"its {check.name} {problem}"
    return "" if not unsendable(*(values[name] for name in _SENT)) else _wire_problem(values)


_SENT = ("change_id", "entity", "record_id", "op", "hlc", "payload", "payload_version", "before")


def unsendable(
    change_id: Any,
    entity: Any,
    record_id: Any,
    op: Any,
    hlc: Any,
    payload: Any,
    payload_version: Any,
    before: Any,
) -> bool:
    """The row, as a read with ``sqlite3``'s own decoding returns it, cannot go up as the
    change it was: a payload or ``before`` that is not a JSON object, a value the wire
    refuses (``sync/wire.py: Change``), a stamp that does not decode. Run on every row of
    every pushed batch, so it is written for speed (a few µs a row); the words for IT
    come from :func:`entry_problem`."""
    try:
        if type(loads(payload)) is not dict:
            return True
        if before is not None and type(loads(before)) is not dict:
            return True
        HlcStamp.decode(hlc)
    except (ValueError, TypeError, AttributeError):
        return True
    return not (
        type(change_id) is str
        and 0 < len(change_id) <= 36
        and type(entity) is str
        and 0 < len(entity) <= 60
        and type(record_id) is str
        and 0 < len(record_id) <= 36
        and len(hlc) <= 80
        and op in _OPS
        and type(payload_version) is int
        and 0 < payload_version <= 1000
    )


_OPS = frozenset({"upsert", "delete"})


def _wire_problem(values: dict[str, Any]) -> str:
    """What :func:`unsendable` found, in words (the columns' own checks passed)."""
    for name, limit in _LIMITS.items():
        value = values[name]
        if not isinstance(value, str) or not 1 <= len(value) <= limit:
            return f"its {name} is not a value sync can send"
    if values["op"] not in _OPS:
        return "its op is not a value sync can send"
    if values["payload_version"] not in range(1, 1001):
        return "its payload_version is not a value sync can send"
    try:
        HlcStamp.decode(values["hlc"])
    except ValueError:
        return "its hlc is not a time stamp"
    return "it cannot be sent"


def set_aside(store: Store, after: int, limit: int) -> int:
    """Keep aside every damaged row among the ``limit`` outbox rows after ``after``; return
    how many. Idempotent: a stand-in is a sound row, and a row is copied once."""
    found = 0
    with store.write() as tx:
        raw_conn: Any = tx.session.connection().connection.driver_connection
        listed = ", ".join(f'"{name}"' for name in _COLUMNS)
        query = f"SELECT {listed} FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?"
        factory = raw_conn.text_factory
        raw_conn.text_factory = read_text
        try:
            rows = [
                dict(zip(_COLUMNS, row, strict=True))
                for row in raw_conn.execute(query, (after, limit))
            ]
        finally:
            raw_conn.text_factory = factory
        for values in rows:
            problem = entry_problem(values)
            if not problem:
                continue
            seq = int(values["seq"])
            casts = ", ".join(f'CAST("{name}" AS BLOB)' for name in _COLUMNS if name != "seq")
            raw = raw_conn.execute(
                f"SELECT {casts} FROM change_log WHERE seq = ?", (seq,)
            ).fetchone()
            copied = dict(zip([n for n in _COLUMNS if n != "seq"], raw, strict=True))
            tx.session.add(DamagedChange(seq=seq, problem=problem, **copied))
            tx.session.execute(
                update(_LOG)
                .where(_LOG.c.seq == seq)
                .values(_stand_in(store.device_id, seq, values))
            )
            found += 1
    return found


def _stand_in(device_id: str, seq: int, values: dict[str, Any]) -> dict[str, Any]:
    """The stand-in's columns: what of the row is readable, made-up values for the rest
    (a change id derived from the laptop and the number, a stamp at time zero)."""

    def readable(name: str, limit: int) -> str | None:
        value = values[name]
        return value if isinstance(value, str) and 1 <= len(value) <= limit else None

    hlc = readable("hlc", 80)
    try:
        HlcStamp.decode(hlc or "")
    except ValueError:
        hlc = HlcStamp(0, 0, device_id).encode()
    return {
        "change_id": readable("change_id", 36) or str(uuid.uuid5(_NAMESPACE, f"{device_id}:{seq}")),
        "entity": STAND_IN_ENTITY,
        "record_id": readable("record_id", 36) or "unknown",
        "op": "upsert",
        "hlc": hlc,
        "payload": "{}",
        "payload_version": 1,
        "created_at": utc_now(),
        "before": None,
    }


def damaged_count(store: Store) -> int:
    """How many outbox rows this laptop keeps aside as damaged."""
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(DamagedChange)).scalar_one())


def damaged_warnings(store: Store) -> list[str]:
    """What the teacher reads while damaged changes are kept aside (network and USB sync)."""
    count = damaged_count(store)
    if not count:
        return []
    changes = "1 change" if count == 1 else f"{count} changes"
    was, it = ("was", "it is") if count == 1 else ("were", "they are")
    return [
        f"{changes} on this laptop {'is' if count == 1 else 'are'} damaged and {was} not "
        f"sent; {it} kept aside on this laptop. Everything else synced. Tell your "
        "district's IT: the data file may be on a failing disk, so keep a copy of it "
        "(station-rotation check-db shows which change)."
    ]
