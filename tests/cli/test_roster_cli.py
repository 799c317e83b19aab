"""District IT lists a class's students from the command line, private fields left out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from benchmarks.oneroster_gen import write_roster
from station_rotation.cli.main import main
from station_rotation.services.app import AppServices


@pytest.fixture
def imported(tmp_path: Path, data_dir: Path) -> dict[str, str]:
    """Two district classes of 3 students each; Ava (s0) has an IEP and a support note."""
    services = AppServices.open(data_dir)
    try:
        summary = services.roster_import.import_roster(
            write_roster(tmp_path / "export", students=6, classes=2)
        )
        first = summary.class_ids[0]
        ava = next(e for e in services.roster.roster(first) if e.student.source_id == "s0")
        services.roster.update_student(
            ava.student.id, iep=True, support_notes="Reads with\na ruler"
        )
        return {"first": first, "ava": ava.student.id}
    finally:
        services.close()


def _run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "roster", *argv])


def test_by_name_lists_students_without_private_fields(
    imported: dict[str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """By the class's name (any case): name, student id, grade, ids; no IEP, ELL or notes."""
    assert _run(data_dir, "math 6 - 1") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Math 6 - 1 ({imported['first']}): 3 students"
    assert lines[1].split() == ["name", "student", "id", "grade", "sourcedId", "id", "status"]
    assert "Ava Adams" in out and "ID00000" in out and "s0" in out
    assert "IEP" not in out.upper() and "ruler" not in out and "yes" not in out


def test_csv_output_for_scripts(
    imported: dict[str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--csv: a header and one row per student with every non-private column."""
    assert _run(data_dir, imported["first"], "--csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3
    assert set(rows[0]) == {
        "name", "given_name", "family_name", "preferred_name", "identifier", "grade",
        "email", "source_id", "id", "status",
    }  # fmt: skip
    ava = next(r for r in rows if r["source_id"] == "s0")
    assert ava["id"] == imported["ava"] and ava["grade"] == "06" and ava["status"] == "active"


def test_private_columns_only_when_asked(
    imported: dict[str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--supports adds IEP/ELL, --notes the support notes (on one line)."""
    assert _run(data_dir, imported["first"], "--csv", "--supports") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert "support_notes" not in rows[0]
    assert next(r for r in rows if r["source_id"] == "s0")["iep"] == "yes"
    assert _run(data_dir, imported["first"], "--csv", "--notes") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert "iep" not in rows[0]
    assert next(r for r in rows if r["source_id"] == "s0")["support_notes"] == (
        "Reads with a ruler"
    )


def test_by_district_sourced_id_and_archived_students(
    imported: dict[str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The class's sourcedId works too; an archived student shows only with --all."""
    services = AppServices.open(data_dir)
    try:
        services.roster.set_archived(imported["first"], imported["ava"], True)
    finally:
        services.close()
    assert _run(data_dir, "c0") == 0
    assert "Ava" not in capsys.readouterr().out
    assert _run(data_dir, "c0", "--all") == 0
    out = capsys.readouterr().out
    assert "Ava Adams" in out and "archived" in out


def test_unknown_and_ambiguous_classes_are_plain_errors(
    imported: dict[str, str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name no class has, or one two classes share, exits 2 with what to do."""
    assert _run(data_dir, "Science") == 2
    err = capsys.readouterr().err
    assert "There is no class 'Science'" in err and "station-rotation classes" in err
    services = AppServices.open(data_dir)
    try:
        services.classes.create_class(name="Math 6 - 1", period="7")
    finally:
        services.close()
    assert _run(data_dir, "Math 6 - 1") == 2
    err = capsys.readouterr().err
    assert "2 classes are named 'Math 6 - 1'" in err and imported["first"] in err
    assert "Give the class's id" in err


def test_an_empty_class(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A class with no students says so; --csv prints the header only."""
    services = AppServices.open(data_dir)
    try:
        section = services.classes.create_class(name="Art")
    finally:
        services.close()
    assert _run(data_dir, "Art") == 0
    assert capsys.readouterr().out == f"Art ({section.id}): 0 students\n"
    assert _run(data_dir, "Art", "--csv") == 0
    assert capsys.readouterr().out.startswith("name,given_name,")
