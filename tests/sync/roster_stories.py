"""Shared steps of the roster convergence stories (issue 6): the district's export, a
teacher's class part of it, her quick checks, an import as laptops did before ids were
derived, and the check that every roster record exists once."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from sqlmodel import Session, select

from benchmarks.oneroster_gen import write_roster
from station_rotation.core.ids import RosterKind, new_id, roster_id
from station_rotation.server.tables import Record
from station_rotation.services.app import AppServices
from station_rotation.services.roster.imports import ImportOptions
from tests.live_server import LiveServer

HER_CLASS = ImportOptions(classes=frozenset({"c0"}))
"""Her class's part of the district export (students s0, s2, s4; teacher t0)."""


def district_roster(tmp_path: Path) -> Path:
    """Two classes of three students; teacher t0's e-mail matches Ms Rivera's account."""
    folder = write_roster(tmp_path / "roster", students=6, classes=2)
    users = folder / "users.csv"
    with users.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    email = rows[0].index("email")
    for row in rows[1:]:
        if row[0] == "t0":
            row[email] = "rivera@lincoln.example"
    with users.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    return folder


def import_with_random_ids(
    services: AppServices, folder: Path, options: ImportOptions = HER_CLASS
) -> None:
    """The import as it was before ids were derived: every new record gets a random id."""
    plan = services.roster_import.preview(folder, options)
    fresh = {i.record_id: new_id() for i in plan.items if i.action == "add"}
    items = [
        replace(
            item,
            record_id=fresh.get(item.record_id, item.record_id),
            fields={
                k: fresh.get(v, v) if isinstance(v, str) else v for k, v in item.fields.items()
            },
        )
        for item in plan.items
    ]
    class_ids = [fresh.get(c, c) for c in plan.class_ids]
    services.roster_import.apply(replace(plan, items=items, class_ids=class_ids))


def check_everyone(services: AppServices) -> list[str]:
    """She sets up a target and records a quick check for each student of her class."""
    [section] = services.classes.list_classes()
    target = services.targets.create(section.id, statement="I can add fractions")
    checks = []
    for entry in services.roster.roster(section.id):
        check = services.quick_checks.record(
            class_id=section.id, student_id=entry.student.id, target_id=target.id, score=3
        )
        checks.append(check.id)
    return checks


def server_records(server: LiveServer, entity: str) -> list[Record]:
    with Session(server.engine) as session:
        return list(session.exec(select(Record).where(Record.entity == entity)))


def live(snapshot: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in snapshot.items() if not v.get("deleted")}


def assert_one_record_each(server: LiveServer, laptop: Any) -> None:
    """Each roster class and person of her class exists once, on the laptop and the server,
    under the id the district derives from its sourcedId."""
    mine = laptop.snapshot()
    record: dict[str, Any] | Record
    for entity, kind in (("class_section", "class"), ("student", "student")):
        local = live(mine[entity])
        sources = sorted(str(r["source_id"]) for r in local.values())
        assert len(sources) == len(set(sources)), f"{entity} twice on the laptop: {sources}"
        for record_id, record in local.items():
            assert record_id == roster_id(cast(RosterKind, kind), str(record["source_id"]))
        on_server: dict[str, list[str]] = {}
        for record in server_records(server, entity):
            if not record.deleted:
                on_server.setdefault(str(record.payload.get("source_id")), []).append(record.id)
        assert all(len(ids) == 1 for ids in on_server.values()), on_server
    assert sorted(str(s["source_id"]) for s in live(mine["student"]).values()) == [
        "s0",
        "s2",
        "s4",
    ]
    assert len(live(mine["teacher"])) == 1
    assert len(live(mine["enrollment"])) == 3
    assert len(live(mine["class_teacher"])) == 1
