"""The teacher exports quick checks and reflections to a CSV a spreadsheet opens cleanly."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station_rotation.core.errors import ValidationError
from station_rotation.services.app import AppServices
from station_rotation.services.checks.export import HEADER, export_checks
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ClassSection


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    return create_sample_class(services, students=3)


def _read(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_checks_and_reflections_with_names_levels_and_corrections(
    services: AppServices, sample: ClassSection, tmp_path: Path
) -> None:
    """Each fact is one row; a corrected check says which row replaced it."""
    student = services.roster.roster(sample.id)[0].student
    services.roster.update_student(student.id, given_name="Zoë", preferred_name="")
    target = services.targets.list_for(sample.id)[0]
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    first = services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, score=2,
        note='Said "half of 10, so 5", then stalled', observed_at=moment,
    )  # fmt: skip
    fixed = services.quick_checks.correct(first.id, score=3)
    services.quick_checks.record(
        class_id=sample.id, student_id=student.id, target_id=target.id, absent=True
    )
    services.quick_checks.record_reflection(
        class_id=sample.id, student_id=student.id, confidence=3, words="=SUM(A1) ratios are ok",
        target_id=target.id,
    )  # fmt: skip
    path = tmp_path / "checks.csv"
    summary = export_checks(services.store, path, class_ids=[sample.id])
    assert (summary.checks, summary.reflections) == (3, 1)
    rows = _read(path)
    assert list(rows[0]) == list(HEADER)
    old, new, absent, reflection = rows
    assert old["student"] == f"Zoë {student.family_name}" and old["target_code"] == target.code
    assert old["target_statement"] == target.statement
    assert (old["level_value"], old["level_label"]) == ("2", "2 Developing")
    assert old["note"] == 'Said "half of 10, so 5", then stalled'
    assert (old["superseded"], old["superseded_by"]) == ("yes", fixed.id)
    assert old["observed_at"] == moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert old["date"] == moment.astimezone().strftime("%Y-%m-%d")
    assert (new["superseded"], new["supersedes"], new["level_label"]) == (
        "",
        first.id,
        "3 Proficient",
    )
    assert (absent["absent"], absent["level_value"]) == ("yes", "")
    assert reflection["record"] == "reflection" and reflection["confidence"] == "3"
    assert reflection["note"] == "'=SUM(A1) ratios are ok"  # never run as a formula
    assert b"\r\n" in path.read_bytes()


def test_only_the_chosen_class_and_a_folder_is_refused(
    services: AppServices, sample: ClassSection, tmp_path: Path
) -> None:
    """Another class's checks stay out; a folder as the target is refused plainly."""
    other = create_sample_class(services, students=1)
    for section in (sample, other):
        services.quick_checks.record(
            class_id=section.id,
            student_id=services.roster.roster(section.id)[0].student.id,
            target_id=services.targets.list_for(section.id)[0].id,
            score=4,
        )
    assert export_checks(services.store, tmp_path / "a.csv", class_ids=[other.id]).checks == 1
    assert export_checks(services.store, tmp_path / "b.csv").checks == 2
    with pytest.raises(ValidationError, match="folder"):
        export_checks(services.store, tmp_path)
