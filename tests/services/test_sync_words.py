"""The Sync page's words cover every synced record type."""

from __future__ import annotations

from station_rotation.services.app import AppServices
from station_rotation.services.sync.words import FIELD_LABELS, plan_summary
from station_rotation.store.models import SYNCED_TYPES
from station_rotation.store.plan_body import PlanStop, dump_body


def test_the_sync_page_can_name_the_fields_of_every_synced_type() -> None:
    """A new synced type without field labels would show its conflicts with no fields."""
    assert set(FIELD_LABELS) == set(SYNCED_TYPES)
    for entity, labels in FIELD_LABELS.items():
        fields = set(SYNCED_TYPES[entity].model.model_fields)
        assert set(labels) <= fields, (entity, set(labels) - fields)


def test_a_plan_reads_in_a_line_and_an_unreadable_one_says_so(services: AppServices) -> None:
    """A plan's version shows its groups, their stations and the pace; a damaged one says so."""
    section = services.classes.create_class(name="6B Maths")
    corner = services.stations.create(section.id, name="Reading corner")
    services.roster.add_student(section.id, given_name="Ada", family_name="Lovelace")
    body = services.plans.default_body(section.id)
    body.groups = body.groups[:1]
    body.groups[0].path = [PlanStop(station_id=corner.id)]
    with services.store.read() as session:
        line = plan_summary(session, dump_body(body))
        damaged = plan_summary(session, '{"groups": [{"path": []}]}')
    size = len(body.groups[0].student_ids)
    assert line == f"{body.groups[0].name} ({size}): Reading corner; 15-minute rounds"
    assert damaged == "(a plan this version cannot read)"
