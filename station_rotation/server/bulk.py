"""Insert many rows at once: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

A push of 500 changes writes 1,000 rows; PostgreSQL's ``COPY`` takes them in one
stream without parsing a statement per row, which is what brings a year of quick checks
close to a raw bulk load (docs/benchmarks.md, "Sync push").
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json
from sqlalchemy import (
    JSON,
    Connection,
    Table,
    Text,
    bindparam,
    cast,
    func,
    insert,
    literal_column,
    true,
    tuple_,
)
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session


def array_literal(values: Sequence[str]) -> str:
    """``values`` as one PostgreSQL array literal, the value of an :func:`among` parameter.

    psycopg dumps a list parameter element by element in Python (a tenth of a push's
    server time for its four arrays of 2,000); one string, quoted here, costs little.
    """
    quoted = ",".join(['"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values])
    return "{" + quoted + "}"


def _array(name: str) -> Any:
    """The bound parameter ``name`` as a PostgreSQL ``text[]`` (its value an array literal)."""
    return cast(bindparam(name, type_=Text), ARRAY(Text))


def lookup(selected: Sequence[Any], key: Any, name: str, dialect: str, *where: Any) -> Any:
    """``select(*selected)`` of the rows whose ``key`` is among the values bound to ``name``.

    Built once; :func:`listed` gives the parameter. ``where``: further conditions.

    On PostgreSQL each value is looked up on its own (``unnest``, then a ``LATERAL``
    subquery fenced with ``OFFSET 0``), so the plan is an index probe per value whatever
    the planner knows of the table. Written as ``IN (SELECT unnest(..))`` or ``= ANY(..)``
    the plan psycopg prepared and PostgreSQL cached while the table was small (on a new
    server) read the whole table for every push as it grew; as ``= ANY`` a large batch
    was tested row by row against all its values. Elsewhere an expanding ``IN``.
    """
    if dialect != "postgresql":
        return sa_select(*selected).where(key.in_(bindparam(name, expanding=True)), *where)
    wanted = func.unnest(_array(name)).table_valued("value").render_derived(name="wanted")
    return probed(selected, [key], [wanted.c.value], wanted, where)


def probed(
    selected: Sequence[Any], keys: Sequence[Any], values: Sequence[Any], source: Any, where: Any
) -> Any:
    """``selected`` of the rows whose ``keys`` equal ``values`` of each row of ``source``.

    A ``LATERAL`` subquery per row of ``source``; ``OFFSET 0`` keeps the planner from
    folding it into a join it could run as a hash join over the whole table.
    """
    found = (
        sa_select(*selected)
        .where(*(key == value for key, value in zip(keys, values, strict=True)), *where)
        .offset(literal_column("0"))
        .lateral("found")
    )
    return sa_select(*found.c).select_from(source).join(found, true())


def listed(values: Sequence[str], dialect: str) -> Any:
    """The value of a :func:`lookup` parameter holding ``values``."""
    return array_literal(values) if dialect == "postgresql" else list(values)


def by_keys(table: Any, columns: Sequence[Any], name: str, dialect: str) -> Any:
    """The rows of ``table`` whose ``columns`` equal one of the keys bound to ``name``.

    Built once; :func:`keyed` gives its parameters. On PostgreSQL the keys arrive as one
    array per column and each key is looked up on its own, as in :func:`lookup`.
    """
    if dialect != "postgresql":
        return sa_select(table).where(tuple_(*columns).in_(bindparam(name, expanding=True)))
    names = [f"k{i}" for i in range(len(columns))]
    arrays = [_array(f"{name}_{i}") for i in range(len(columns))]
    wanted = func.unnest(*arrays).table_valued(*names).render_derived(name="wanted")
    return probed(list(table.columns), columns, [wanted.c[n] for n in names], wanted, ())


def keyed(keys: Sequence[tuple[str, ...]], width: int, name: str, dialect: str) -> dict[str, Any]:
    """The parameters of a :func:`by_keys` statement for ``keys`` (distinct, ``width`` long)."""
    if dialect != "postgresql":
        return {name: list(keys)}
    return {f"{name}_{i}": array_literal([key[i] for key in keys]) for i in range(width)}


_RAW_STATEMENTS: dict[
    tuple[int, str], tuple[Any, str, dict[str, Any], frozenset[str], frozenset[str]]
] = {}


def _raw_statement(
    statement: Any, dialect: Any
) -> tuple[str, dict[str, Any], frozenset[str], frozenset[str]]:
    """``statement`` as psycopg SQL, its constant parameters, the names it needs and the
    names it takes.

    Only for statements built once (module constants): the cache holds them by identity.
    """
    key = (id(statement), dialect.name)
    found = _RAW_STATEMENTS.get(key)
    if found is None or found[0] is not statement:
        compiled = statement.compile(dialect=dialect)
        sql = str(compiled)
        if "POSTCOMPILE" in sql or compiled.escaped_bind_names:
            raise ValueError("a statement read through psycopg needs plain parameters")
        constants = {k: v for k, v in compiled.params.items() if v is not None}
        needed = frozenset(k for k, v in compiled.params.items() if v is None)
        found = (statement, sql, constants, needed, frozenset(compiled.params))
        _RAW_STATEMENTS[key] = found
    return found[1], found[2], found[3], found[4]


@contextmanager
def _database_errors(connection: Any, statement: str) -> Iterator[None]:
    """psycopg's errors raised as SQLAlchemy's, as if the statement had run through it.

    A unique key taken twice stays an ``IntegrityError`` (the push answers 409); a dropped
    connection is invalidated (the pool discards it; the app answers a retryable 503).
    """
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        raw: Any = connection.connection.dbapi_connection
        broken = raw is None or bool(raw.broken) or bool(raw.closed)
        if broken:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            statement,
            None,
            exc,
            psycopg.Error,
            connection_invalidated=broken,
            dialect=connection.dialect,
        ) from exc


def _raw_run(run: Statement, dialect: Any) -> tuple[str, dict[str, Any]]:
    """The psycopg SQL and complete values of ``run``.

    A value it needs missing is an error, and so is a value it does not take: compiled
    without its values, an ``INSERT`` leaves out the columns its ``values()`` do not name,
    and their values would be dropped without a word.
    """
    statement, values = run
    sql, constants, needed, taken = _raw_statement(statement, dialect)
    if not needed <= values.keys():
        raise ValueError(f"no value for {sorted(needed - values.keys())}")
    if not values.keys() <= taken:
        raise ValueError(f"the statement takes no {sorted(values.keys() - taken)}")
    return sql, {**constants, **values}


Reading = Session | Connection
"""Where statements run: an ORM session, or (the app's pulls and digests) a connection."""


def connection_of(source: Reading) -> Connection:
    """The connection ``source`` runs on (a session's, begun if it was not)."""
    return source.connection() if isinstance(source, Session) else source


def read_together(source: Reading, *reads: Statement) -> list[list[Any]]:
    """The rows of each (statement, values) of ``reads``, as tuples, in one round trip.

    For statements built once (module constants). On PostgreSQL they go to psycopg as
    one pipeline, compiled once: through SQLAlchemy each lookup costs a round trip (and a
    wait for the GIL on the way back) and more per-statement work than psycopg's.
    Elsewhere they run one by one through the session (or connection).
    """
    connection = connection_of(source)
    if connection.dialect.name != "postgresql":
        return [list(source.execute(statement, values)) for statement, values in reads]
    raw: Any = connection.connection.dbapi_connection
    cursors: list[Any] = []
    prepared = [_raw_run(read, connection.dialect) for read in reads]
    with _database_errors(connection, prepared[0][0]):
        try:
            with raw.pipeline() if len(reads) > 1 else nullcontext():
                for sql, values in prepared:
                    cursors.append(raw.cursor())
                    cursors[-1].execute(sql, values)
            return [cursor.fetchall() for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()


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
    columns = [c.name for c in table.columns]
    json_at = [i for i, name in enumerate(columns) if name in as_json]
    names = ", ".join(f'"{name}"' for name in columns)
    raw: Any = connection.connection.dbapi_connection
    if len(rows) <= FEW_ROWS:
        _insert_few(connection, Rows(table, rows, frozenset(encoded)))
        return
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    with (
        _database_errors(connection, statement),
        raw.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            values = [row[name] for name in columns]
            for i in json_at:
                values[i] = to_json(values[i]).decode()
            copy.write_row(values)


FEW_ROWS = 100
"""Up to this many rows go as one ``INSERT`` of a JSON array; more go through ``COPY``.

``COPY`` takes a round trip to start and one to finish, and psycopg writes it row by
row: for a laptop's usual push (a few dozen rows) one ``INSERT ... SELECT FROM
json_to_recordset(...)`` is cheaper on both sides: the rows are encoded in Rust as one
parameter, and the statement's text never changes, so it is parsed and planned once
(prepared). For a full batch ``COPY`` is.
"""


@dataclass(frozen=True)
class Rows:
    """Rows bound for one table (dicts with every column of it).

    ``encoded``: JSON columns whose values are JSON text already (written as they are).
    """

    table: Table
    rows: Sequence[dict[str, Any]]
    encoded: frozenset[str] = frozenset()


Statement = tuple[Any, dict[str, Any]]
"""A statement built once (a module constant) and the values of one run of it."""


_FEW_STATEMENTS: dict[tuple[Any, ...], str] = {}


def _few_statement(rows: Rows, numbered: str = "", counter: str = "") -> str:
    """The ``INSERT ... SELECT FROM json_to_recordset`` of ``rows`` (built once per shape).

    ``numbered``: a column whose values are 1..n, offset by ``n`` numbers taken in the same
    statement from the one-row table ``counter`` (see :func:`insert_numbered`).
    """
    key = (rows.table.name, rows.encoded, numbered, counter)
    statement = _FEW_STATEMENTS.get(key)
    if statement is not None:
        return statement
    dialect: Any = postgresql.dialect()  # type: ignore[no-untyped-call]
    columns = rows.table.columns
    names = ", ".join(f'"{c.name}"' for c in columns)
    picked = ", ".join(
        f'r."{c.name}"::json'
        if c.name in rows.encoded
        else f'taken.value - %(n)s + r."{c.name}"'
        if c.name == numbered
        else f'r."{c.name}"'
        for c in columns
    )
    fields = ", ".join(
        f'"{c.name}" ' + ("text" if c.name in rows.encoded else c.type.compile(dialect=dialect))
        for c in columns
    )
    source = f"json_to_recordset(%(rows)s::json) AS r({fields})"
    taken = (
        f'WITH taken AS (UPDATE "{counter}" SET value = value + %(n)s WHERE id = 1 '
        "RETURNING value) "
    )
    statement = (
        f'{taken if numbered else ""}INSERT INTO "{rows.table.name}" ({names}) '
        f"SELECT {picked} FROM {'taken, ' if numbered else ''}{source}"
    )
    _FEW_STATEMENTS[key] = statement
    return statement


def _insert_few(
    connection: Any,
    rows: Rows,
    numbered: str = "",
    counter: str = "",
    also: Rows | None = None,
    first: Sequence[Statement] = (),
) -> None:
    """:func:`insert_rows` of a few rows on PostgreSQL: one statement, one parameter a table.

    ``also`` (rows of another table) and the ``first`` statements are written first, in
    that order, sent with it as one pipeline (one round trip): the counter's lock, taken
    by a ``numbered`` insert, stays the last lock the transaction takes (see
    :func:`insert_numbered`).
    """
    raw: Any = connection.connection.dbapi_connection
    steps: list[tuple[str, dict[str, Any]]] = []
    if also is not None:
        steps.append((_few_statement(also), {"rows": to_json(list(also.rows)).decode()}))
    steps.extend(_raw_run(statement, connection.dialect) for statement in first)
    values = {"rows": to_json(list(rows.rows)).decode(), "n": len(rows.rows)}
    steps.append((_few_statement(rows, numbered, counter), values))
    with (
        _database_errors(connection, steps[-1][0]),
        raw.cursor() as cursor,
        raw.pipeline() if len(steps) > 1 else nullcontext(),
    ):
        for sql, step_values in steps:
            cursor.execute(sql, step_values)


def insert_numbered(
    session: Session,
    rows: Rows,
    column: str,
    counter: Table,
    also: Rows | None = None,
    first: Sequence[Statement] = (),
) -> bool:
    """Take ``len(rows.rows)`` numbers from ``counter`` and insert the rows, in one statement.

    Each row's ``column`` holds its place, 1..n; it is stored as the ``counter``'s value
    before plus that place. ``counter`` is a one-row table (``id`` 1, ``value``), as
    ``SeqCounter``; its row lock is held from this statement to the commit. ``also``
    (rows of another table) and the ``first`` statements are written first, in the same
    round trip: a push's received changes, its new classes' scopes and its device's last
    number go with its records (a round trip costs the server more than its rows). False
    (nothing done) unless on PostgreSQL with at most ``FEW_ROWS`` rows in each table: the
    caller then writes in steps.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql" or not rows.rows or len(rows.rows) > FEW_ROWS:
        return False
    if also is not None and len(also.rows) > FEW_ROWS:
        return False
    _insert_few(connection, rows, column, counter.name, also if also and also.rows else None, first)
    return True
