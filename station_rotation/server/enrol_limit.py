"""Wrong enrolment codes, counted per client in the database, so every process sees them.

Codes are short enough to guess, so a client may send only so many wrong ones a minute
(``ServerSettings.enrol_failures_per_minute``). An attempt holds its client's lock until
its transaction ends, so a crowd of requests sent at once from one address is counted
one by one: on SQLite every transaction takes the write lock (``database.py``); on
PostgreSQL a transaction-level advisory lock keyed by the client.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from station_rotation.server.tables import EnrolFailure

WINDOW_MS = 60_000
_LOCKS = 0x5352_454E  # this app's advisory lock space ("SREN"), apart from any other's
_FAILURES: Any = EnrolFailure.__table__  # type: ignore[attr-defined]


def client_key(host: str) -> str:
    """The client as stored: a proxy may pass on any text as its address."""
    return host[:100]


def hold(db: Connection, client: str) -> None:
    """Make other attempts from ``client`` wait until this transaction ends.

    SQLite: nothing more to do, the transaction began with the write lock taken.
    """
    if db.dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(client.encode()).digest()[:4], "big", signed=True)
    db.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": _LOCKS, "key": key})


def blocked(db: Connection, client: str, per_minute: int, now_ms: int) -> bool:
    """Whether ``client`` sent ``per_minute`` wrong codes in the minute before ``now_ms``."""
    count = db.execute(
        select(func.count())
        .select_from(_FAILURES)
        .where(_FAILURES.c.client == client, _FAILURES.c.failed_at_ms > now_ms - WINDOW_MS)
    ).scalar_one()
    return int(count) >= per_minute


def record(db: Connection, client: str, now_ms: int) -> None:
    """One more wrong code from ``client``; failures past the window go (all clients')."""
    db.execute(delete(_FAILURES).where(_FAILURES.c.failed_at_ms <= now_ms - WINDOW_MS))
    db.execute(insert(_FAILURES).values(client=client, failed_at_ms=now_ms))
