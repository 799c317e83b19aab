"""Insert many rows at once: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

A push of 500 changes writes 1,000 rows; PostgreSQL's ``COPY`` takes them in one
stream without parsing a statement per row, which is what brings a year of quick checks
close to a raw bulk load (docs/benchmarks.md, "Sync push").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, String, Table, and_, any_, bindparam, func, insert, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select


def among(session: Session, column: Any, values: Sequence[str]) -> Any:
    """``column IN values``; on PostgreSQL one array parameter (``= ANY``), not one per value."""
    if session.connection().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
    return column.in_(list(values))


def by_keys(
    session: Session, model: Any, columns: Sequence[Any], keys: Sequence[tuple[str, ...]]
) -> Any:
    """``select(model)`` of the rows whose ``columns`` equal one of ``keys`` (distinct tuples).

    On PostgreSQL the keys arrive as arrays joined through ``unnest``: written as
    ``a = ANY(..) AND b = ANY(..)`` the planner, with statistics not yet caught up with a
    table growing by thousands of rows per push, scanned every row of one entity and
    tested each against the whole array (2.3 s per batch at 50,000 records); the join
    stays on the primary key index (or hashes) whatever the statistics say.
    """
    if session.connection().dialect.name != "postgresql":
        return select(model).where(tuple_(*columns).in_(list(keys)))
    arrays = [
        func.unnest(bindparam(None, [key[i] for key in keys], type_=ARRAY(String))).label(f"k{i}")
        for i in range(len(columns))
    ]
    wanted = select(*arrays).subquery()
    return select(model).join(
        wanted, and_(*(column == wanted.c[f"k{i}"] for i, column in enumerate(columns)))
    )


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with every column of ``table``) in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    import psycopg

    columns = [c.name for c in table.columns]
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    raw: Any = connection.connection.dbapi_connection
    try:
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n in as_json else row[n] for n in columns])
    except psycopg.errors.IntegrityError as exc:
        raise IntegrityError(f"COPY {table.name}", None, exc) from exc
