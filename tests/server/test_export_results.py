"""District staff pull the year's results out of the server as a CSV for Excel.

The data comes the real way: a district roster loaded on the server, two teachers'
laptops recording checks and syncing them up.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

# The laptop helpers of the sync tests (that folder is on the path only when collected).
sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

from laptops import Laptop
from sqlmodel import Session, select

from benchmarks.oneroster_gen import write_roster
from station_rotation.server.cli import main as server_cli
from station_rotation.server.results import HEADER, ResultsQuery, snapshot, write_results
from station_rotation.server.tables import Record, ServerTeacher
from station_rotation.store.models import QuickCheck
from tests.live_server import LiveServer

BOM = b"\xef\xbb\xbf"


@dataclass
class District:
    """What the two teachers recorded (ids of the checks the tests look for)."""

    server: LiveServer
    original: str
    correction: str
    absent: str
    tombstoned: str
    points: str
    reflection: str
    slip: str
    undo: str


@pytest.fixture
def district(server: LiveServer, tmp_path: Path) -> Iterator[District]:
    """Classes c0 (Pat Teacher0) and c1 (Pat Teacher1); Zoë (s0) is in both."""
    folder = write_roster(tmp_path / "roster", students=4, classes=2, renamed={"s0": "Zoë"})
    with (folder / "enrollments.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(
            ["es0c1", "active", "c1", "org1", "s0", "student", "FALSE"]
        )
    users = (folder / "users.csv").read_text(encoding="utf-8")
    users = users.replace("teach1,Pat,Teacher1,,", "teach1,Pat,Teacher1,,pat1@lincoln.example")
    (folder / "users.csv").write_text(users, encoding="utf-8")
    url = server.settings.database_url
    assert server_cli(["--database-url", url, "load-roster", str(folder)]) == 0
    made: list[Laptop] = []
    try:
        first = Laptop(server, tmp_path / "t0").enrol(_account(server, "t0"))
        made.append(first)
        second = Laptop(server, tmp_path / "t1").enrol(_account(server, "t1"))
        made.append(second)
        first.sync()
        second.sync()

        [c0] = first.services.classes.list_classes()
        pupils = {e.student.source_id: e.student for e in first.services.roster.roster(c0.id)}
        zoe, chloe = pupils["s0"], pupils["s2"]
        fractions = first.services.targets.create(
            c0.id,
            code="M6.NF.1",
            statement="I can add fractions",
            scale="custom:Not yet|Almost|Got it",
        )
        checks = first.services.quick_checks
        original = checks.record(
            class_id=c0.id, student_id=zoe.id, target_id=fractions.id, score=2,
            note="=half of 10", observed_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        )  # fmt: skip
        absent = checks.record(
            class_id=c0.id, student_id=chloe.id, target_id=fractions.id, absent=True,
            observed_at=datetime(2026, 3, 3, 23, 59, 59, tzinfo=UTC),
        )  # fmt: skip
        first.sync()  # the original goes up before its correction: both are on the server
        correction = checks.correct(original.id, score=3, note="Got it after the mini-lesson")
        # Only a check the server never kept can become a tombstone there (checks are
        # append-only facts: a delete of a kept one changes nothing on the server).
        mistake = QuickCheck(
            class_id=c0.id, student_id=chloe.id, target_id=fractions.id, score=1,
            observed_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
        )  # fmt: skip
        with first.store.write() as tx:
            tx.delete(mistake)
        first.sync()

        [c1] = second.services.classes.list_classes()
        zoe_there = next(
            e.student for e in second.services.roster.roster(c1.id) if e.student.id == zoe.id
        )
        ratios = second.services.targets.create(
            c1.id, statement="I can use ratios", scale="points:10"
        )
        points = second.services.quick_checks.record(
            class_id=c1.id, student_id=zoe_there.id, target_id=ratios.id, score=7,
            observed_at=datetime(2026, 3, 4, 8, 0, tzinfo=UTC),
        )  # fmt: skip
        reflection = second.services.quick_checks.record_reflection(
            class_id=c1.id, student_id=zoe.id, confidence=3, words="Ça va, «ratios» 😊",
            target_id=ratios.id,
        )  # fmt: skip
        slip = second.services.quick_checks.record(
            class_id=c1.id, student_id=zoe.id, target_id=ratios.id, score=5,
            observed_at=datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
        )  # fmt: skip
        undo = second.services.quick_checks.withdraw(slip.id)  # typed by mistake, taken back
        second.sync()
        with Session(server.engine) as session:
            tombstone = session.get(Record, ("quick_check", mistake.id))
            assert tombstone is not None and tombstone.deleted
        yield District(
            server,
            original.id,
            correction.id,
            absent.id,
            mistake.id,
            points.id,
            reflection.id,
            slip.id,
            undo.id,
        )
    finally:
        for laptop in made:
            laptop.close()


def _account(server: LiveServer, source_id: str) -> str:
    with Session(server.engine) as session:
        return (
            session.exec(select(ServerTeacher).where(ServerTeacher.source_id == source_id)).one().id
        )


def _export(district: District, tmp_path: Path, *args: str) -> dict[str, dict[str, str]]:
    """Run the command; the file's rows by id (and check the file is what Excel wants)."""
    out = tmp_path / "export" / "results.csv"
    out.parent.mkdir(exist_ok=True)
    url = district.server.settings.database_url
    assert server_cli(["--database-url", url, "export-results", str(out), *args]) == 0
    raw = out.read_bytes()
    assert raw.startswith(BOM)
    assert [p.name for p in out.parent.iterdir()] == ["results.csv"]  # no temp file left
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADER if rows else True
    return {row["id"]: row for row in rows}


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_the_district_exports_current_results_with_names_scales_and_teachers(
    district: District, tmp_path: Path
) -> None:
    """Current values only: the corrected check and the tombstone are left out; the
    rest carries the roster's names and sourcedIds, the scale's labels, the teacher."""
    rows = _export(district, tmp_path)
    assert set(rows) == {
        district.correction,
        district.absent,
        district.points,
        district.reflection,
    }
    fixed = rows[district.correction]
    assert fixed["record"] == "quick check"
    assert (fixed["class"], fixed["class_sourced_id"]) == ("Math 6 - 1", "c0")
    assert (fixed["student"], fixed["student_sourced_id"]) == ("Zoë Adams", "s0")
    assert fixed["student_identifier"] == "ID00000"
    assert (fixed["target_code"], fixed["target_statement"]) == ("M6.NF.1", "I can add fractions")
    assert fixed["scale"] == "Custom: Not yet / Almost / Got it"
    assert (fixed["level_value"], fixed["level_label"]) == ("3", "Got it")
    assert fixed["note"] == "Got it after the mini-lesson"
    assert (fixed["teacher"], fixed["teacher_sourced_id"]) == ("Pat Teacher0", "t0")
    assert (fixed["superseded"], fixed["supersedes"]) == ("", district.original)

    absent = rows[district.absent]
    assert (absent["absent"], absent["level_value"], absent["level_label"]) == ("yes", "", "")
    assert (absent["date_utc"], absent["observed_at_utc"]) == ("2026-03-03", "2026-03-03T23:59:59Z")
    assert absent["student"] == "Chloé Adams"

    points = rows[district.points]  # the same student in her other class, other teacher
    assert (points["class_sourced_id"], points["student_sourced_id"]) == ("c1", "s0")
    assert (points["scale"], points["level_value"], points["level_label"]) == (
        "Points 0-10",
        "7",
        "",
    )
    assert points["teacher"] == "Pat Teacher1"

    thought = rows[district.reflection]
    assert (thought["record"], thought["confidence"]) == ("reflection", "3")
    assert thought["note"] == "Ça va, «ratios» 😊"
    assert (thought["student"], thought["class"]) == ("Zoë Adams", "Math 6 - 2")


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_filters_and_all_versions(district: District, tmp_path: Path) -> None:
    """By teacher (any of her names for it), class, days, kind; and the full history."""
    everything = _export(district, tmp_path, "--all-versions")
    assert set(everything) == {
        district.original,
        district.correction,
        district.absent,
        district.points,
        district.reflection,
        district.slip,
        district.undo,
    }
    assert everything[district.slip]["superseded_by"] == district.undo
    assert everything[district.undo]["level_value"] == everything[district.undo]["absent"] == ""
    old = everything[district.original]
    assert (old["superseded"], old["superseded_by"]) == ("yes", district.correction)
    assert (old["level_value"], old["level_label"]) == ("2", "Almost")
    assert old["note"] == "'=half of 10"  # never run as a formula

    theirs = {district.points, district.reflection}
    assert set(_export(district, tmp_path, "--teacher", "t1")) == theirs
    assert set(_export(district, tmp_path, "--teacher", "PAT1@Lincoln.example")) == theirs
    assert set(_export(district, tmp_path, "--teacher", _account(district.server, "t1"))) == theirs
    assert set(_export(district, tmp_path, "--class", "c1")) == theirs
    class_id = _export(district, tmp_path, "--class", "c0")
    assert set(class_id) == {district.correction, district.absent}
    assert set(_export(district, tmp_path, "--class", "c0", "--class", "c1")) == {
        district.correction,
        district.absent,
        *theirs,
    }
    # Days are UTC days, both ends included.
    assert set(
        _export(
            district, tmp_path, "--since", "2026-03-03", "--until", "2026-03-04", "--all-versions"
        )
    ) == {district.absent, district.points}
    assert set(_export(district, tmp_path, "--until", "2026-03-02", "--all-versions")) == {
        district.original
    }
    assert set(_export(district, tmp_path, "--only", "reflections")) == {district.reflection}
    assert district.reflection not in _export(district, tmp_path, "--only", "checks")


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_mistakes_are_refused_plainly_and_leave_the_old_file(
    district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 with a message naming the problem; a previous export stays as it was."""
    url = district.server.settings.database_url
    out = tmp_path / "results.csv"
    out.write_text("last week's export")

    def run(*args: str) -> tuple[int, str]:
        code = server_cli(["--database-url", url, "export-results", *args])
        return code, capsys.readouterr().err

    code, err = run(str(out), "--teacher", "nobody")
    assert code == 2 and "No teacher 'nobody'" in err
    code, err = run(str(out), "--class", "c0", "--class", "c9")
    assert code == 2 and "No class 'c9'" in err
    code, err = run(str(out), "--since", "2026-04-01", "--until", "2026-03-01")
    assert code == 2 and "--since is after --until" in err
    assert out.read_text() == "last week's export"

    code, err = run(str(tmp_path / "no such folder" / "results.csv"))
    assert code == 2 and "Could not write" in err and "no such folder" in err
    code, err = run(str(tmp_path))
    assert code == 2 and "is a folder" in err
    with pytest.raises(SystemExit):
        run(str(out), "--since", "March 3rd")
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".results-")) == []


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_dash_writes_to_standard_output_without_a_bom(
    district: District, capsys: pytest.CaptureFixture[str]
) -> None:
    """For piping into other tools: the rows on stdout, the count on stderr."""
    url = district.server.settings.database_url
    assert server_cli(["--database-url", url, "export-results", "-", "--class", "c1"]) == 0
    captured = capsys.readouterr()
    assert not captured.out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(captured.out, newline="")))
    assert {row["id"] for row in rows} == {district.points, district.reflection}
    assert "Wrote 1 quick checks and 1 reflections to standard output." in captured.err


@pytest.mark.parametrize("server", ["sqlite", "postgresql"], indirect=True)
def test_a_long_export_reads_one_snapshot_and_never_holds_up_laptops(
    district: District, tmp_path: Path
) -> None:
    """A laptop syncs in the middle of an export: its push goes through at once (the
    export takes no write lock) and the export keeps the picture it started with."""
    server = district.server
    laptop = Laptop(server, tmp_path / "late").enrol(_account(server, "t1"))
    try:
        laptop.sync()
        [c1] = laptop.services.classes.list_classes()
        student = laptop.services.roster.roster(c1.id)[0].student
        [target] = laptop.services.targets.list_for(c1.id)
        with snapshot(server.engine) as conn:
            before = io.StringIO(newline="")
            assert write_results(conn, before, ResultsQuery()) == (3, 1)
            new = laptop.services.quick_checks.record(
                class_id=c1.id, student_id=student.id, target_id=target.id, score=4
            )
            started = time.monotonic()
            assert laptop.sync().pushed == 1
            assert time.monotonic() - started < 10  # a held lock would make it wait 30 s
            again = io.StringIO(newline="")
            assert write_results(conn, again, ResultsQuery()) == (3, 1)
            assert again.getvalue() == before.getvalue()
    finally:
        laptop.close()
    assert new.id in _export(district, tmp_path)
