"""A teacher takes her class's learning targets from the state's standards, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from station_rotation.core.errors import ImportError_
from station_rotation.server.payloads import checked_payload
from station_rotation.services.app import AppServices
from station_rotation.store.models import ChangeLog

PACKAGE = Path(__file__).resolve().parent.parent / "fixtures" / "case" / "grade6-math.json"


def test_standards_become_targets_with_their_ids(services: AppServices) -> None:
    """Code, statement, the standard's and the framework's GUIDs; after her own target."""
    section = services.classes.create_class(name="Math 6")
    services.targets.create(section.id, code="", statement="I can explain my thinking")
    package = services.standards.read_package(PACKAGE)
    result = services.standards.import_standards(
        section.id, package, package.pick(codes=["6.RP.A.1", "6.RP.A.3"])
    )
    assert str(result) == "2 added, 0 updated, 0 already there"
    targets = services.targets.list_for(section.id)
    assert [t.code for t in targets] == ["", "6.RP.A.1", "6.RP.A.3"]
    three = targets[2]
    assert three.standard_id == package.by_code("6.RP.A.3").identifier  # type: ignore[union-attr]
    assert three.framework_id == package.framework_id and three.scale == "mastery4"
    assert three.statement.startswith("Solve real-world ratio")


def test_reimporting_never_duplicates(services: AppServices) -> None:
    """The same standards again (even under another code choice) are recognised by GUID;
    the teacher's archive and scale stay."""
    section = services.classes.create_class(name="Math 6")
    package = services.standards.read_package(PACKAGE)
    services.standards.import_standards(section.id, package, package.pick(codes=["6.RP.A.1"]))
    first = services.targets.list_for(section.id)[0]
    services.targets.update(first.id, scale="points:3")
    services.targets.set_archived(first.id, True)
    again = services.standards.import_standards(section.id, package, package.pick(under="6.RP"))
    assert (len(again.added), len(again.unchanged)) == (2, 1)
    everything = services.targets.list_for(section.id, include_archived=True)
    assert len(everything) == 3
    kept = services.targets.get(first.id)
    assert kept.archived and kept.scale == "points:3"


def test_a_revised_statement_follows_the_framework(services: AppServices, tmp_path: Path) -> None:
    """The state revised 6.RP.A.1's wording: the target's statement follows, same record."""
    section = services.classes.create_class(name="Math 6")
    package = services.standards.read_package(PACKAGE)
    services.standards.import_standards(section.id, package, package.pick(codes=["6.RP.A.1"]))
    data = json.loads(PACKAGE.read_text())
    data["CFItems"][2]["fullStatement"] = "Use ratio words to describe how two amounts relate."
    revised_path = tmp_path / "revised.json"
    revised_path.write_text(json.dumps(data))
    revised = services.standards.read_package(revised_path)
    dry = services.standards.import_standards(
        section.id, revised, revised.pick(codes=["6.RP.A.1"]), dry_run=True
    )
    assert len(dry.updated) == 1
    assert services.targets.list_for(section.id)[0].statement.startswith("Describe how")
    services.standards.import_standards(section.id, revised, revised.pick(codes=["6.RP.A.1"]))
    (target,) = services.targets.list_for(section.id)
    assert target.statement == "Use ratio words to describe how two amounts relate."


def test_the_synced_payload_carries_the_standard(services: AppServices) -> None:
    """The outbox payload holds standard_id and framework_id, and the server accepts it."""
    section = services.classes.create_class(name="Math 6")
    package = services.standards.read_package(PACKAGE)
    services.standards.import_standards(section.id, package, package.pick(codes=["6.EE.A.1"]))
    with services.store.read() as session:
        row = session.exec(
            select(ChangeLog)
            .where(ChangeLog.entity == "learning_target")
            .order_by(col(ChangeLog.seq).desc())
        ).first()
    assert row is not None
    payload = json.loads(row.payload)
    assert payload["framework_id"] == package.framework_id
    stored, reason = checked_payload("learning_target", row.record_id, payload, 1)
    assert reason == "" and stored["standard_id"] == payload["standard_id"]
    legacy = {k: v for k, v in payload.items() if k not in ("standard_id", "framework_id")}
    stored, reason = checked_payload("learning_target", row.record_id, legacy, 1)
    assert reason == "" and stored["standard_id"] is None  # an older laptop's target


def test_nothing_chosen_is_refused(services: AppServices) -> None:
    """No standards chosen: a plain refusal, nothing written."""
    section = services.classes.create_class(name="Math 6")
    package = services.standards.read_package(PACKAGE)
    with pytest.raises(ImportError_, match="No standards were chosen"):
        services.standards.import_standards(section.id, package, [])
