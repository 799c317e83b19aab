"""The server's audit log: each admin action leaves exactly one row, without student data.

Results exports, roster loads, enrolments and revocations, on SQLite and PostgreSQL; a
failed action leaves no row, and an action whose row cannot be written does not happen.
"""

from __future__ import annotations

import csv
import getpass
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.ids import roster_id
from station_rotation.server import admin, audit, roster
from station_rotation.server.cli import main as server_cli
from station_rotation.server.exchange import next_seq
from station_rotation.server.tables import AuditEntry, Device, Record
from station_rotation.sync.wire import PROTOCOL_VERSION
from tests.live_server import LiveServer

STUDENTS = 8
NOTE = "Needs her inhaler before PE"


def _rows(server: LiveServer, action: str | None = None) -> list[AuditEntry]:
    return audit.entries(server.engine, action=action)


def _roster(tmp_path: Path) -> Path:
    return write_roster(tmp_path / "roster", students=STUDENTS, classes=2)


def _student_words(folder: Path) -> list[str]:
    """Every student's name, e-mail, identifier and record id in the roster."""
    words: list[str] = []
    with (folder / "users.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["role"] == "student":
                words += [row["givenName"], row["familyName"], row["email"], row["identifier"]]
                words.append(roster_id("student", row["sourcedId"]))
    assert len(words) == STUDENTS * 5
    return words


def _cli(server: LiveServer, *args: str) -> int:
    return server_cli(["--database-url", server.settings.database_url, *args])


def _enrol(server: LiveServer, code: str, device: str = "laptop-1") -> httpx.Response:
    body = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": device}
    return httpx.post(f"{server.url}/v1/enrol", json=body)


def _checks(server: LiveServer) -> None:
    """Two students' quick checks in class c0, with a note (as a laptop would push them)."""
    with Session(server.engine) as session:
        for i, sourced in enumerate(("s0", "s2")):
            payload = {
                "id": f"check-{i}",
                "student_id": roster_id("student", sourced),
                "class_id": roster_id("class", "c0"),
                "observed_at": "2026-09-02T10:00:00+00:00",
                "score": 2,
                "note": NOTE,
                "hlc": "0001-0000-laptop",
            }
            session.add(
                Record(
                    entity="quick_check",
                    id=f"check-{i}",
                    hlc="0001-0000-laptop",
                    payload=payload,
                    class_id=roster_id("class", "c0"),
                    server_seq=next_seq(session),
                )
            )
        session.commit()


def test_a_roster_load_leaves_one_row_counting_not_naming(
    server: LiveServer, tmp_path: Path
) -> None:
    folder = _roster(tmp_path)
    assert _cli(server, "load-roster", str(folder)) == 0
    [row] = _rows(server)
    assert (row.action, row.actor_kind, row.actor) == ("load-roster", "staff", getpass.getuser())
    assert row.students == STUDENTS
    assert row.records > STUDENTS  # classes, students, teachers, enrollments...
    scope: dict[str, Any] = row.scope
    assert scope["classes"] == ["c0", "c1"]
    assert len(scope["school_years"]) == 1
    assert scope["counts"]["classes"] == 2
    assert scope["counts"]["teacher_accounts_created"] == 2
    assert abs(audit.utc(row.at) - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_failed_roster_load_leaves_no_row_and_no_records(
    server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _roster(tmp_path)
    (folder / "classes.csv").unlink()
    assert _cli(server, "load-roster", str(folder)) == 2
    assert _rows(server) == []

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    folder = write_roster(tmp_path / "again", students=STUDENTS, classes=2)
    monkeypatch.setattr(roster, "_assign_people", broken)
    with pytest.raises(RuntimeError):
        roster.load_roster(server.engine, folder)
    assert _rows(server) == []
    with Session(server.engine) as session:
        assert session.exec(select(Record)).first() is None


def test_a_roster_load_whose_row_cannot_be_written_does_not_happen(
    server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row is in the load's transaction: no audit row, no load."""

    def refused(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit log unwritable")

    monkeypatch.setattr(audit, "record", refused)
    with pytest.raises(RuntimeError):
        roster.load_roster(server.engine, _roster(tmp_path))
    with Session(server.engine) as session:
        assert session.exec(select(Record)).first() is None


def test_an_export_leaves_one_row_with_its_filters_and_counts(
    server: LiveServer, tmp_path: Path
) -> None:
    assert _cli(server, "load-roster", str(_roster(tmp_path))) == 0
    _checks(server)
    out = tmp_path / "results.csv"
    assert _cli(server, "export-results", str(out), "--class", "c0", "--since", "2026-09-01") == 0
    [row] = _rows(server, "export-results")
    assert (row.actor_kind, row.actor) == ("staff", getpass.getuser())
    assert (row.records, row.students) == (2, 2)
    assert row.scope["classes"] == ["c0"]
    assert row.scope["since"] == "2026-09-01"
    assert row.scope["destination"] == str(out)
    assert row.scope["counts"] == {"checks": 2, "reflections": 0}


def test_a_refused_or_failed_export_leaves_no_row(server: LiveServer, tmp_path: Path) -> None:
    assert _cli(server, "load-roster", str(_roster(tmp_path))) == 0
    assert _cli(server, "export-results", str(tmp_path / "x.csv"), "--class", "nope") == 2
    assert _cli(server, "export-results", str(tmp_path)) == 2  # a folder: not written
    assert _cli(server, "export-results", str(tmp_path / "no" / "x.csv")) == 2
    assert _rows(server, "export-results") == []


def test_an_export_whose_row_cannot_be_written_leaves_no_file(
    server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from station_rotation.server.results import ResultsQuery, export_results

    def refused(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit log unwritable")

    monkeypatch.setattr(audit, "record_now", refused)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(RuntimeError):
        export_results(server.engine, str(folder / "results.csv"), ResultsQuery())
    assert list(folder.iterdir()) == []  # neither the file nor its part


def test_enrolment_and_revocation_each_leave_one_row(server: LiveServer) -> None:
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    assert _enrol(server, "WRONGCODE1").status_code == 400
    assert _rows(server) == []
    reply = _enrol(server, admin.issue_code(server.engine, teacher))
    assert reply.status_code == 200, reply.text
    [enrolled] = _rows(server, "enrol")
    assert (enrolled.actor_kind, enrolled.actor, enrolled.records) == ("teacher", teacher, 1)
    assert enrolled.scope["enrolment"] == reply.json()["device_id"]
    assert enrolled.scope["device"] == "laptop-1"

    assert admin.revoke_device(server.engine, "no-such-laptop") == 0
    assert _rows(server, "revoke-device") == []
    assert _cli(server, "revoke-device", "laptop-1") == 0
    [revoked] = _rows(server, "revoke-device")
    assert (revoked.actor_kind, revoked.actor, revoked.records) == (
        "staff",
        getpass.getuser(),
        1,
    )
    assert revoked.scope["enrolments"] == [reply.json()["device_id"]]
    assert revoked.scope["teachers"] == [teacher]
    assert len(_rows(server)) == 2


def test_an_enrolment_whose_row_cannot_be_written_does_not_enrol(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    code = admin.issue_code(server.engine, teacher)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("audit log unwritable")

    monkeypatch.setattr(audit, "record", refused)
    assert _enrol(server, code).status_code == 500
    monkeypatch.undo()
    with Session(server.engine) as session:
        assert session.exec(select(Device)).first() is None
    assert _enrol(server, code).status_code == 200  # the code was not used up


def test_the_audit_output_holds_no_student_data(
    server: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every roster student's name, e-mail, identifier and id: in none of the output."""
    folder = _roster(tmp_path)
    assert _cli(server, "load-roster", str(folder)) == 0
    _checks(server)
    assert _cli(server, "export-results", str(tmp_path / "r.csv")) == 0
    assert _cli(server, "export-results", "-", "--teacher", "t0") == 0
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    assert _enrol(server, admin.issue_code(server.engine, teacher)).status_code == 200
    assert admin.revoke_device(server.engine, "laptop-1") == 1
    capsys.readouterr()
    assert _cli(server, "audit") == 0
    text = capsys.readouterr().out
    assert _cli(server, "audit", "--csv") == 0
    table = capsys.readouterr().out
    assert len(text.splitlines()) == 5
    assert len(list(csv.reader(io.StringIO(table)))) == 6
    words = _student_words(folder)
    for output in (text, table):
        leaked = [word for word in words if word in output]
        assert leaked == []
        assert NOTE not in output
    # Nor in the table itself (as district IT would read it with SQL).
    with Session(server.engine) as session:
        stored = " ".join(repr(row.model_dump()) for row in session.exec(select(AuditEntry)))
    assert [word for word in words if word in stored] == []


def test_the_audit_command_filters_by_day_and_action(
    server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    long_ago = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    with Session(server.engine) as session:
        session.add(
            AuditEntry(
                at=long_ago,
                action="load-roster",
                actor_kind="staff",
                actor="it-admin",
                records=10,
                students=4,
                scope={"classes": ["c0"]},
            )
        )
        session.commit()
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    assert _enrol(server, admin.issue_code(server.engine, teacher)).status_code == 200
    capsys.readouterr()

    def listed(*args: str) -> list[str]:
        assert _cli(server, "audit", *args) == 0
        return capsys.readouterr().out.splitlines()

    everything = listed()
    assert len(everything) == 2
    assert everything[0].startswith("2026-01-05T09:30:00Z  load-roster  by staff it-admin")
    assert "10 records, 4 students" in everything[0]
    assert [line.split()[1] for line in listed("--since", "2026-01-06")] == ["enrol"]
    assert [line.split()[1] for line in listed("--since", "2026-01-05")] == [
        "load-roster",
        "enrol",
    ]
    assert [line.split()[1] for line in listed("--action", "load-roster")] == ["load-roster"]
    assert listed("--action", "revoke-device") == ["No audited actions match."]
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert listed("--since", tomorrow) == ["No audited actions match."]
    rows = list(csv.DictReader(io.StringIO("\n".join(listed("--csv", "--action", "enrol")))))
    assert [(r["action"], r["actor_kind"], r["actor"]) for r in rows] == [
        ("enrol", "teacher", teacher)
    ]
    with pytest.raises(SystemExit):
        server_cli(["audit", "--action", "delete-everything"])


def test_the_log_is_append_only(server: LiveServer) -> None:
    """No path in the app changes or removes a row: the ORM refuses both."""
    teacher = admin.create_teacher(server.engine, "Ms Rivera")
    assert _enrol(server, admin.issue_code(server.engine, teacher)).status_code == 200
    with Session(server.engine) as session:
        row = session.exec(select(AuditEntry)).one()
        row.actor = "someone else"
        session.add(row)
        with pytest.raises(audit.AuditAppendOnly):
            session.commit()
    with Session(server.engine) as session:
        session.delete(session.exec(select(AuditEntry)).one())
        with pytest.raises(audit.AuditAppendOnly):
            session.commit()
    with Session(server.engine) as session:
        assert session.exec(select(AuditEntry.actor).where(col(AuditEntry.id) > 0)).all() == [
            teacher
        ]
