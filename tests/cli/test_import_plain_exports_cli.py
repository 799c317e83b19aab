"""District IT imports other systems' plain exports from the command line, no mapping needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_rotation.cli.main import main
from tests.plain_exports import EXPORTS, PLAIN, Export


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.file)
def test_a_plain_export_imports_as_it_should(
    export: Export, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The dry run says how the file was read; the import brings in exactly its students."""
    base = ["--data-dir", str(data_dir), "import-roster", str(export.path)]
    assert main([*base, "--dry-run", "-v"]) == 0
    out = capsys.readouterr().out
    for note in export.notes:
        assert note in out
    added = [line[len("  add student ") :] for line in out.splitlines() if "add student" in line]
    assert added == export.students
    assert main(base) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "classes"]) == 0
    classes = [line.split()[1:] for line in capsys.readouterr().out.splitlines()]
    assert [c[-2:] for c in classes] == [[str(len(export.students)), "students"]] * len(classes)
    assert all(c[0] not in {"-", "—"} for c in classes)


def test_a_gradebook_with_dashes_makes_no_class_named_dash(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A gradebook writes "-" for "no section": the students go in one class named after it."""
    path = PLAIN / "gradebook_totals.csv"
    assert main(["--data-dir", str(data_dir), "import-roster", str(path)]) == 0
    capsys.readouterr()
    main(["--data-dir", str(data_dir), "classes"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].split()[1:] == ["gradebook_totals", "2", "students"]


def test_a_file_of_teachers_only_is_refused(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export of staff only is refused, saying why and what to export instead."""
    path = tmp_path / "staff.csv"
    path.write_text("Role,First Name,Last Name\nteacher,Priya,Raman\nstaff,Dale,Hurst\n")
    assert main(["--data-dir", str(data_dir), "import-roster", str(path)]) == 2
    err = capsys.readouterr().err
    assert "only people whose 'Role' is not student" in err and "Export the students" in err
