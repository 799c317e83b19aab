"""A teacher (or IT) adds a class's learning targets from the state's CASE package."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_rotation.cli.main import main
from station_rotation.services.app import AppServices

PACKAGE = Path(__file__).resolve().parent.parent / "fixtures" / "case" / "grade6-math.json"


@pytest.fixture
def class_id(data_dir: Path) -> str:
    services = AppServices.open(data_dir)
    try:
        return services.classes.create_class(name="Math 6").id
    finally:
        services.close()


def _run(data_dir: Path, *argv: str) -> int:
    return main(["--data-dir", str(data_dir), "import-standards", "Math 6", str(PACKAGE), *argv])


def test_list_then_import_by_codes_then_again(
    class_id: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--list shows the codes; --codes adds two targets; the same command again adds none."""
    assert _run(data_dir, "--list") == 0
    assert "6.RP.A.3         Solve real-world ratio" in capsys.readouterr().out
    assert _run(data_dir, "--codes", "6.RP.A.1, 6.RP.A.3") == 0
    out = capsys.readouterr().out
    assert "  add 6.RP.A.1 Describe how" in out and "2 added, 0 updated, 0 already there" in out
    assert _run(data_dir, "--codes", "6.RP.A.1,6.RP.A.3") == 0
    assert "0 added, 0 updated, 2 already there" in capsys.readouterr().out
    services = AppServices.open(data_dir)
    try:
        assert [t.code for t in services.targets.list_for(class_id)] == ["6.RP.A.1", "6.RP.A.3"]
    finally:
        services.close()


def test_under_a_code_with_a_dry_run(
    class_id: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--under 6.RP --dry-run says the three standards it would add and writes nothing."""
    assert _run(data_dir, "--under", "6.RP", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would be 3 added" in out and "nothing was written" in out
    services = AppServices.open(data_dir)
    try:
        assert services.targets.list_for(class_id) == []
    finally:
        services.close()


def test_refusals_are_plain(
    class_id: str, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No choice, an unknown code, a file that is not CASE: exit 2 with what to do."""
    assert _run(data_dir) == 2
    assert "Choose the standards: --codes" in capsys.readouterr().err
    assert _run(data_dir, "--codes", "9.ZZ.1") == 2
    assert "no standard with the code 9.ZZ.1" in capsys.readouterr().err
    bad = tmp_path / "roster.json"
    bad.write_text('{"users": []}')
    argv = ["--data-dir", str(data_dir), "import-standards", class_id, str(bad), "--list"]
    assert main(argv) == 2
    assert "is not a CASE package" in capsys.readouterr().err
