"""A district export missing what OneRoster requires is refused whole, never half-read."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from benchmarks.oneroster_gen import Quirks, write_roster
from station_rotation.core.errors import ImportError_
from station_rotation.importing.oneroster import parse_oneroster
from station_rotation.importing.oneroster_spec import required_columns
from station_rotation.importing.source import RosterSource
from station_rotation.services.app import AppServices

FILES_1_1 = {
    "manifest.csv": "manifest.csv",
    "orgs.csv": "orgs.csv",
    "academicsessions.csv": "academicSessions.csv",
    "courses.csv": "courses.csv",
    "classes.csv": "classes.csv",
    "users.csv": "users.csv",
    "enrollments.csv": "enrollments.csv",
}


def edit_csv(path: Path, *, drop: str | None = None, blank: tuple[str, int] | None = None) -> None:
    """Drop the column ``drop``, or empty column ``blank[0]`` on data line ``blank[1]``."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    head = [h.casefold() for h in rows[0]]
    if drop is not None:
        index = head.index(drop.casefold())
        rows = [row[:index] + row[index + 1 :] for row in rows]
    if blank is not None:
        rows[blank[1]][head.index(blank[0].casefold())] = ""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _cases() -> list[tuple[str, str]]:
    return [
        (name, column.name)
        for name in FILES_1_1
        for column in required_columns(name, "1.1")
        if name != "manifest.csv"
    ]


@pytest.mark.parametrize(("filename", "column"), _cases())
def test_each_required_column_of_1_1(tmp_path: Path, filename: str, column: str) -> None:
    """Every column OneRoster 1.1 requires, left out of its file, refuses the export by name."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / FILES_1_1[filename], drop=column)
    with pytest.raises(ImportError_) as refused:
        parse_oneroster(RosterSource.open(folder))
    text = str(refused.value)
    assert text.startswith(f"{FILES_1_1[filename]}, line 1: the required column {column!r}")
    assert "Export the file again" in text


@pytest.mark.parametrize(("filename", "column"), _cases())
def test_each_required_value_of_1_1(tmp_path: Path, filename: str, column: str) -> None:
    """A required value left empty on one line refuses the export with the line and column."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / FILES_1_1[filename], blank=(column, 1))
    with pytest.raises(ImportError_, match=rf"line 2, column {column!r}: the value is empty"):
        parse_oneroster(RosterSource.open(folder))


def test_users_without_sourced_id_imports_nothing(tmp_path: Path) -> None:
    """The reported case: users.csv without sourcedId is refused and the data file is untouched
    (before, three students came in with made-up ids and no class memberships)."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / "users.csv", drop="sourcedId")
    services = AppServices.open(tmp_path / "data")
    try:
        with pytest.raises(ImportError_, match=r"users.csv, line 1: .*'sourcedId' is missing"):
            services.roster_import.import_roster(folder)
        assert services.classes.list_classes(include_archived=True) == []
    finally:
        services.close()


def test_a_student_without_a_family_name_is_refused(tmp_path: Path) -> None:
    """familyName is required for every user: the line and what to do are named."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / "users.csv", blank=("familyName", 3))
    with pytest.raises(ImportError_) as refused:
        parse_oneroster(RosterSource.open(folder))
    assert str(refused.value) == (
        "users.csv, line 4, column 'familyName': the value is empty, but OneRoster requires "
        "it in every line of users.csv. Nothing was imported; fill it in or export the "
        "roster again."
    )


def test_1_2_users_need_no_role_but_roles_csv_its_columns(tmp_path: Path) -> None:
    """1.2 moved the role to roles.csv: users.csv without it reads; roles.csv is checked."""
    folder = write_roster(tmp_path / "x", students=3, quirks=Quirks(version="1.2"))
    assert len(parse_oneroster(RosterSource.open(folder)).students) == 3
    edit_csv(folder / "roles.csv", drop="roleType")
    with pytest.raises(ImportError_, match=r"roles.csv, line 1: the required column 'roleType'"):
        parse_oneroster(RosterSource.open(folder))


def test_delta_files_need_status_and_date(tmp_path: Path) -> None:
    """In a delta file status and dateLastModified say what changed: required there only."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / "users.csv", blank=("status", 2))
    parse_oneroster(RosterSource.open(folder))  # bulk: an empty status is "active"
    manifest = (folder / "manifest.csv").read_text().replace("users,bulk", "users,delta")
    (folder / "manifest.csv").write_text(manifest)
    with pytest.raises(ImportError_, match=r"users.csv, line 3, column 'status'"):
        parse_oneroster(RosterSource.open(folder))


def test_a_file_the_manifest_declares_must_be_there(tmp_path: Path) -> None:
    """manifest.csv says orgs.csv is in the export but it is not: an incomplete export."""
    folder = write_roster(tmp_path / "x", students=3)
    with (folder / "manifest.csv").open("a") as manifest:
        manifest.write("file.orgs,bulk\r\n")
    (folder / "orgs.csv").unlink()
    with pytest.raises(ImportError_, match=r"manifest.csv says orgs.csv is in the export"):
        parse_oneroster(RosterSource.open(folder))


def test_the_manifest_needs_its_columns(tmp_path: Path) -> None:
    """A manifest without propertyName/value cannot say what the export is: refused."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / "manifest.csv", drop="value")
    with pytest.raises(ImportError_, match=r"manifest.csv, line 1: the required column 'value'"):
        parse_oneroster(RosterSource.open(folder))


def test_users_csv_chosen_alone_is_not_read_as_a_class_list(tmp_path: Path) -> None:
    """A teacher picks users.csv out of the export folder: refused, saying to pick the folder."""
    folder = write_roster(tmp_path / "x", students=3)
    edit_csv(folder / "users.csv", drop="sourcedId")
    services = AppServices.open(tmp_path / "data")
    try:
        for call in (services.roster_import.detect_format, services.roster_import.preview):
            with pytest.raises(ImportError_, match=r"one file of a OneRoster export"):
                call(folder / "users.csv")
    finally:
        services.close()
