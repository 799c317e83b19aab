"""Insert many rows at once: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

A push of 500 changes writes 1,000 rows; PostgreSQL's ``COPY`` takes them in one
stream without parsing a statement per row, which is what brings a year of quick checks
close to a raw bulk load (docs/benchmarks.md, "Sync push").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from pydantic_core import to_json
from sqlalchemy import JSON, Table, Text, and_, bindparam, cast, func, insert, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select


def text_array(values: Sequence[str]) -> Any:
    """A PostgreSQL ``text[]`` of ``values``, sent as one array literal string.

    psycopg dumps a list parameter element by element in Python (a tenth of a push's
    server time for its four arrays of 2,000); one string, quoted here, costs little.
    """
    quoted = ",".join(['"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values])
    return cast(bindparam(None, "{" + quoted + "}", type_=Text), ARRAY(Text))


def among(session: Session, column: Any, values: Sequence[str]) -> Any:
    """``column IN values``; on PostgreSQL one array parameter, not one per value.

    Written ``IN (SELECT unnest(array))``: a semi-join that probes the column's index
    (or hashes the array). As ``= ANY(array)`` the planner, while the table was still
    small, scanned it and tested each row against the 2,000 values one by one (240 ms
    per batch for the first pushes of a year of quick checks).
    """
    if session.connection().dialect.name == "postgresql":
        return column.in_(select(func.unnest(text_array(values))))
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
        func.unnest(text_array([key[i] for key in keys])).label(f"k{i}")
        for i in range(len(columns))
    ]
    wanted = select(*arrays).subquery()
    return select(model).join(
        wanted, and_(*(column == wanted.c[f"k{i}"] for i, column in enumerate(columns)))
    )


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    encoded: Collection[str] = (),
) -> None:
    """Insert ``rows`` (dicts with every column of ``table``) in the session's transaction.

    A JSON column holds a Python value, or, for the columns named in ``encoded``, JSON
    text already encoded (written as it is).
    """
    if not rows:
        return
    connection = session.connection()
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)} - set(encoded)
    if connection.dialect.name != "postgresql":
        if encoded:
            rows = [{**row, **{n: json.loads(row[n]) for n in encoded}} for row in rows]
        session.execute(insert(table), list(rows))
        return
    import psycopg

    columns = [c.name for c in table.columns]
    json_at = [i for i, name in enumerate(columns) if name in as_json]
    names = ", ".join(f'"{name}"' for name in columns)
    raw: Any = connection.connection.dbapi_connection
    try:
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                values = [row[name] for name in columns]
                for i in json_at:
                    values[i] = to_json(values[i]).decode()
                copy.write_row(values)
    except psycopg.errors.IntegrityError as exc:
        raise IntegrityError(f"COPY {table.name}", None, exc) from exc
