"""Stories: a teacher saves, dates, copies and keeps plans as templates; every change syncs."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlmodel import col, select

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.core.events import Changes
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ChangeLog, RotationPlan
from station_rotation.store.plan_body import PlanBody, PlanStop

TUESDAY = date(2026, 11, 17)


def test_a_new_plan_uses_the_class_stations_and_four_balanced_groups(
    services: AppServices,
) -> None:
    """Defaults: 4 groups of 7 from 28 students, every path visits all 4 stations once."""
    section = create_sample_class(services)
    stations = [s.id for s in services.stations.list_for(section.id)]

    plan = services.plans.create(section.id, "Ratios day 1", TUESDAY)

    body = plan.body
    assert plan.name == "Ratios day 1" and plan.lesson_date == TUESDAY
    assert [len(g.student_ids) for g in body.groups] == [7, 7, 7, 7]
    assert body.member_ids() == {e.student.id for e in services.roster.roster(section.id)}
    assert [g.name for g in body.groups] == ["Blue", "Orange", "Green", "Yellow"]
    for group in body.groups:
        assert sorted(stop.station_id for stop in group.path) == sorted(stations)
    assert body.groups[0].path[0].station_id == stations[0]  # the teacher table first
    assert body.pace.round_minutes == 15
    assert body.start == time(9, 0) and body.end == time(10, 10)
    assert services.plans.get(plan.id).body == body


def test_saving_refuses_students_and_stations_of_another_class(services: AppServices) -> None:
    """A student or station that is not the class's is refused with a plain message."""
    section = create_sample_class(services)
    other = services.classes.create_class(name="Science 7")
    stranger = services.roster.add_student(other.id, given_name="Zed")
    lab = services.stations.create(other.id, name="Lab bench")
    plan = services.plans.create(section.id, "Monday")

    body = plan.body.model_copy(deep=True)
    body.groups[0].student_ids.append(stranger.id)
    with pytest.raises(ValidationError, match="Group Blue has a student who is not in this class"):
        services.plans.save(plan.id, body)

    body = plan.body.model_copy(deep=True)
    body.groups[1].path.append(PlanStop(station_id=lab.id))
    with pytest.raises(ValidationError, match="Group Orange names a station this class does not"):
        services.plans.save(plan.id, body)

    body = plan.body.model_copy(deep=True)
    moved = body.groups[0].student_ids[0]
    body.groups[1].student_ids.append(moved)
    with pytest.raises(ValidationError, match=r"is in two groups \(Blue and Orange\)"):
        services.plans.save(plan.id, body)

    body = plan.body.model_copy(deep=True)
    body.groups[0].colour = "blue"
    with pytest.raises(ValidationError, match="Colour: use a colour like #0072B2"):
        services.plans.save(plan.id, body)
    assert services.plans.get(plan.id).body == plan.body  # nothing was written


def test_saving_a_plan_queues_it_for_sync_and_tells_the_screens(services: AppServices) -> None:
    """Each save writes a rotation_plan outbox row and publishes a change."""
    section = create_sample_class(services)
    plan = services.plans.create(section.id, "Monday")
    heard: list[Changes] = []
    services.bus.subscribe(heard.append)

    body = plan.body.model_copy(deep=True)
    body.fast_finisher = "Read your library book."
    body.pace.round_minutes = 12
    services.plans.save(plan.id, body)

    with services.store.read() as session:
        rows = session.exec(
            select(ChangeLog)
            .where(ChangeLog.entity == "rotation_plan", ChangeLog.record_id == plan.id)
            .order_by(col(ChangeLog.seq))
        ).all()
    assert [row.op for row in rows] == ["upsert", "upsert"]
    assert "Read your library book." in rows[-1].payload
    assert any(c.touches("rotation_plan") for c in heard)
    again = services.plans.get(plan.id)
    assert again.body.fast_finisher == "Read your library book."
    assert again.body.pace.round_minutes == 12


def test_same_as_last_tuesday_keeps_groups_and_paths_but_nobody_is_absent(
    services: AppServices,
) -> None:
    """A copy keeps groups, paths and pace, clears absences; a student who left drops out."""
    section = create_sample_class(services)
    tuesday = services.plans.create(section.id, "Tuesday", TUESDAY)
    body = tuesday.body
    absent = body.groups[0].student_ids[0]
    services.plans.set_absent(tuesday.id, absent, True)
    leaver = body.groups[1].student_ids[0]
    services.roster.set_archived(section.id, leaver, True)
    newcomer = services.roster.add_student(section.id, given_name="Noor", family_name="Aziz")

    copy = services.plans.copy(tuesday.id, lesson_date=date(2026, 11, 24))

    assert copy.name == "Tuesday (copy)" and copy.lesson_date == date(2026, 11, 24)
    assert copy.body.absent_ids == []
    assert absent in copy.body.groups[0].student_ids
    assert leaver not in copy.body.member_ids()
    assert newcomer.id in copy.body.groups[1].student_ids  # the group with room
    assert [g.path for g in copy.body.groups] == [g.path for g in body.groups]
    assert services.plans.get(tuesday.id).body.absent_ids == [absent]  # original untouched


def test_templates_list_apart_and_seed_new_plans(services: AppServices) -> None:
    """A template is listed with templates only and a plan made from it has its groups."""
    section = create_sample_class(services)
    monday = services.plans.create(section.id, "Monday", date(2026, 11, 16))
    tuesday = services.plans.create(section.id, "Tuesday", TUESDAY)
    undated = services.plans.create(section.id, "Someday")
    template = services.plans.save_as_template(tuesday.id, name="Four corners")

    assert template.is_template and template.lesson_date is None
    lessons = services.plans.list_plans(section.id, templates=False)
    assert [p.name for p in lessons] == ["Tuesday", "Monday", "Someday"]
    assert [p.name for p in services.plans.list_plans(section.id, templates=True)] == [
        "Four corners"
    ]
    assert len(services.plans.list_plans(section.id)) == 4

    friday = services.plans.create(
        section.id, "Friday", date(2026, 11, 20), from_template=template.id
    )
    assert [g.student_ids for g in friday.body.groups] == [
        g.student_ids for g in tuesday.body.groups
    ]
    assert not friday.is_template
    assert undated.id in {p.id for p in lessons}
    assert monday.id in {p.id for p in lessons}


def test_rename_archive_and_delete(services: AppServices) -> None:
    """Archived plans leave the list; a deleted one is a synced tombstone."""
    section = create_sample_class(services)
    plan = services.plans.create(section.id, "Draft")
    kept = services.plans.create(section.id, "Kept")

    assert services.plans.rename(kept.id, "  Fractions  ").name == "Fractions"
    with pytest.raises(ValidationError, match="Name: cannot be empty"):
        services.plans.rename(kept.id, "  ")
    services.plans.archive(kept.id)
    assert [p.name for p in services.plans.list_plans(section.id)] == ["Draft"]
    listed = services.plans.list_plans(section.id, include_archived=True)
    assert [(p.name, p.archived) for p in listed] == [("Fractions", True), ("Draft", False)]

    services.plans.delete(plan.id)
    with pytest.raises(NotFoundError):
        services.plans.get(plan.id)
    with services.store.read() as session:
        row = session.get(RotationPlan, plan.id)
        last = session.exec(
            select(ChangeLog).where(ChangeLog.record_id == plan.id).order_by(col(ChangeLog.seq))
        ).all()[-1]
    assert row is not None and row.deleted
    assert last.op == "delete" and last.entity == "rotation_plan"


def test_a_plan_document_round_trips_through_json() -> None:
    """The stored body parses back to the same document (and an own path leaves its group)."""
    body = PlanBody.model_validate(
        {
            "groups": [
                {"id": "g1", "name": "Blue", "colour": "#0072B2", "student_ids": ["a", "b"]}
            ],
            "own_paths": [{"student_id": "b", "path": [{"station_id": "s1"}]}],
        }
    )
    assert body.groups[0].student_ids == ["a"]
    assert PlanBody.model_validate_json(body.model_dump_json()) == body


def test_a_plan_from_a_newer_app_is_refused_not_rewritten(services: AppServices) -> None:
    """A body_version this app does not know is refused with a message; the row stays."""
    section = create_sample_class(services)
    plan = services.plans.create(section.id, "Synced from a newer laptop")
    with services.store.write() as tx:
        row = tx.session.get(RotationPlan, plan.id)
        assert row is not None
        row.body_version = 99
        tx.put(row)

    with pytest.raises(ValidationError, match="newer version of Station Rotation"):
        services.plans.get(plan.id)
    with pytest.raises(ValidationError, match="newer version"):
        services.plans.set_absent(plan.id, plan.body.groups[0].student_ids[0], True)
    with pytest.raises(ValidationError, match="newer version"):
        services.plans.save(plan.id, plan.body)
    with services.store.read() as session:
        kept = session.get(RotationPlan, plan.id)
    assert kept is not None and kept.body_version == 99
    assert [p.name for p in services.plans.list_plans(section.id)] == [plan.name]
