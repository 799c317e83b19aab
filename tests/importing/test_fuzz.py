"""Whatever bytes a roster file holds, the import is clean or refused, never half-written."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.errors import ImportError_
from station_rotation.importing.oneroster_spec import CHECKED_FILES, required_columns
from station_rotation.services.app import AppServices

HEADERS = ["sourcedId", "givenName", "familyName", "role", "status", "Given Name", "ext_x", ""]
# The plain exports' headers and values: whole names, roles, summary rows, no header row.
HEADERS += ["LastFirst", "Student", "Type", "Nombre", "Child ID", "1001", "a@b.org"]
HEADERS += ["enabledUser", "username", "orgSourcedIds"]
SPELLED = {"academicsessions.csv": "academicSessions.csv"}
WORDS = ["student", "teacher", "Points Possible", "Class Average", "-", '"Lopez, Ana"', "1001"]
CELLS = st.one_of(
    st.text(alphabet=st.sampled_from('ab,;"\n\r\t\\é'), max_size=8), st.sampled_from(WORDS)
)


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[AppServices, Path]]:
    root = Path(tempfile.mkdtemp())
    services = AppServices.open(root / "data")
    base = write_roster(root / "base", students=5, classes=1)
    services.roster_import.import_roster(base)
    yield services, base
    services.close()
    shutil.rmtree(root)


def _dump(services: AppServices) -> list[str]:
    db = sqlite3.connect(services.store.db_path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def _import_or_refuse(services: AppServices, path: Path) -> None:
    before = _dump(services)
    try:
        services.roster_import.import_roster(path)
    except ImportError_ as exc:
        assert str(exc)
        assert _dump(services) == before, "a refused import changed the data file"


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode()


users_files = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda head, body: _csv([head, *body]),
        st.lists(st.sampled_from(HEADERS), min_size=0, max_size=6),
        st.lists(st.lists(CELLS, max_size=6), max_size=5),
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(users=users_files, enrollments=st.one_of(st.none(), users_files))
def test_mangled_oneroster_files(
    world: tuple[AppServices, Path], users: bytes, enrollments: bytes | None
) -> None:
    """Random bytes, broken quotes, missing columns or random headers in users/enrollments."""
    services, base = world
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(base, Path(tmp) / "x"))
        (folder / "users.csv").write_bytes(users)
        if enrollments is not None:
            (folder / "enrollments.csv").write_bytes(enrollments)
        _import_or_refuse(services, folder)


@settings(max_examples=40, deadline=None)
@given(data=users_files)
def test_mangled_plain_csv(world: tuple[AppServices, Path], data: bytes) -> None:
    """A plain CSV of anything either imports or is refused with the data file untouched."""
    services, _ = world
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "class.csv"
        path.write_bytes(data)
        _import_or_refuse(services, path)


def _broken(data: st.DataObject, base: Path, folder: Path) -> tuple[str, str]:
    """Drop a required column of a file, or empty it on one line; (file, column) broken."""
    names = [n for n in CHECKED_FILES if n != "roles.csv" and n != "manifest.csv"]
    name = SPELLED.get(n := data.draw(st.sampled_from(names)), n)
    column = data.draw(st.sampled_from(required_columns(n, "1.1"))).name
    rows = list(csv.reader(io.StringIO((base / name).read_text(encoding="utf-8"))))
    index = [h.casefold() for h in rows[0]].index(column.casefold())
    if data.draw(st.booleans()) or len(rows) < 2:
        rows = [row[:index] + row[index + 1 :] for row in rows]
    else:
        rows[data.draw(st.integers(1, len(rows) - 1))][index] = data.draw(
            st.sampled_from(["", " "])
        )
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (folder / name).write_text(buffer.getvalue(), encoding="utf-8")
    return name, column


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_missing_required_column_or_value_is_refused_whole(
    world: tuple[AppServices, Path], data: st.DataObject
) -> None:
    """Any required column left out, or any required value left empty, in any file the
    import reads: always refused (never imported in part), naming the file and column."""
    services, base = world
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(base, Path(tmp) / "x"))
        name, column = _broken(data, base, folder)
        before = _dump(services)
        with pytest.raises(ImportError_) as refused:
            services.roster_import.import_roster(folder)
        assert _dump(services) == before, "a refused import changed the data file"
        assert str(refused.value).startswith(name) and repr(column) in str(refused.value)
