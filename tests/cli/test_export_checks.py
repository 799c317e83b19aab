"""A teacher (or an admin's script) exports the checks from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from station_rotation.cli.main import main
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class


def test_export_checks_writes_the_csv(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """export-checks writes every check of the class and says how many."""
    services = AppServices.open(data_dir)
    section = create_sample_class(services, students=2)
    for entry in services.roster.roster(section.id):
        services.quick_checks.record(
            class_id=section.id,
            student_id=entry.student.id,
            target_id=services.targets.list_for(section.id)[0].id,
            score=3,
        )
    services.close()
    out = tmp_path / "checks.csv"
    assert (
        main(["--data-dir", str(data_dir), "export-checks", str(out), "--class", section.id]) == 0
    )
    assert "Wrote 2 quick checks and 0 reflections" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["level_label"] for row in rows] == ["3 Proficient", "3 Proficient"]


def test_an_unknown_class_exits_2(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped class id is refused with the usual exit code and a sentence."""
    assert main(["--data-dir", str(data_dir), "export-checks", str(tmp_path / "x.csv"),
                 "--class", "nope"]) == 2  # fmt: skip
    assert "no longer exists" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
