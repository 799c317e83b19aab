"""An admin imports a district export from the command line, and sees clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.oneroster_gen import write_roster
from station_rotation.cli.main import main


def test_dry_run_then_import(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--dry-run prints the plan and writes nothing; the real run imports it once."""
    folder = write_roster(tmp_path / "export", students=8, classes=2)
    base = ["--data-dir", str(data_dir), "import-roster", str(folder)]
    assert main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "added: 2 classes, 8 students, 8 enrollments, 2 teachers, 2 class teachers" in out
    assert "nothing was written" in out
    assert main(["--data-dir", str(data_dir), "classes"]) == 0
    assert capsys.readouterr().out == ""
    assert main(base) == 0
    assert "Imported: 22 added, 0 changed, 0 archived." in capsys.readouterr().out
    assert main(base) == 0
    assert "added: nothing; changed: nothing; archived: nothing" in capsys.readouterr().out


def test_plain_csv_with_a_manual_mapping(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--map tells the importer which column holds the given name when it cannot guess."""
    path = tmp_path / "period3.csv"
    path.write_text("Pupil;Last\nRobert;Ng\nAna;Lopez\n", encoding="cp1252")
    argv = ["--data-dir", str(data_dir), "import-roster", str(path), "--map", "given_name=Pupil"]
    assert main([*argv, "--map", "family_name=Last"]) == 0
    assert "2 students" in capsys.readouterr().out
    main(["--data-dir", str(data_dir), "classes"])
    assert "period3  2 students" in capsys.readouterr().out


def test_bad_input_exits_2_with_the_line(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken quote is refused with exit code 2 and a message naming file and line."""
    path = tmp_path / "bad.csv"
    path.write_text('First,Last\nAna,Lopez\n"Rob,Ng\n')
    assert main(["--data-dir", str(data_dir), "import-roster", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv, line 3" in err and "quote" in err


def test_plain_csv_leaves_out_a_student_kept_unless_archive_missing(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spreadsheet without Ana names her and keeps her; --archive-missing archives her."""
    path = tmp_path / "period3.csv"
    path.write_text("Student ID,First Name,Surname\n1,Robert,Ng\n2,Ana,Lopez\n")
    base = ["--data-dir", str(data_dir), "import-roster", str(path)]
    assert main(base) == 0
    path.write_text("Student ID,First Name,Surname\n1,Robert,Ng\n")
    capsys.readouterr()

    assert main(base) == 0
    out = capsys.readouterr().out
    assert "1 student is not in this file (kept; --archive-missing archives them): Ana Lopez" in out
    assert "Imported: 0 added, 0 changed, 0 archived." in out
    main(["--data-dir", str(data_dir), "classes"])
    assert "period3  2 students" in capsys.readouterr().out

    assert main([*base, "--archive-missing", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "(to be archived, restorable on the Roster page): Ana Lopez" in out
    assert "archived: 1 enrollment" in out and "nothing was written" in out
    assert main([*base, "--archive-missing"]) == 0
    assert "Imported: 0 added, 0 changed, 1 archived." in capsys.readouterr().out
    main(["--data-dir", str(data_dir), "classes"])
    assert "period3  1 students" in capsys.readouterr().out
