"""A teacher sets up a class through the service API (what the GUI and CLI call)."""

from __future__ import annotations

import pytest

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class


def test_sample_class_is_realistic(services: AppServices) -> None:
    """About 28 students, 4 stations (one teacher-led) and a few learning targets."""
    section = create_sample_class(services)
    assert len(services.roster.roster(section.id)) == 28
    stations = services.stations.list_for(section.id)
    assert [s.kind for s in stations].count("teacher-led") == 1
    assert len(stations) == 4
    assert len(services.targets.list_for(section.id)) >= 3


def test_archive_and_restore_a_student_keeps_them(services: AppServices) -> None:
    """An archived student leaves the active roster but can be restored with their data."""
    section = services.classes.create_class(name="Math 6")
    ana = services.roster.add_student(
        section.id,
        given_name="Ana",
        family_name="Lopez",
        support_notes="IEP: extended time",
        iep=True,
    )
    services.roster.set_archived(section.id, ana.id, True)
    assert services.roster.roster(section.id) == []
    archived = services.roster.roster(section.id, include_archived=True)
    assert [e.student.id for e in archived] == [ana.id] and archived[0].archived
    services.roster.set_archived(section.id, ana.id, False)
    restored = services.roster.roster(section.id)[0].student
    assert restored.support_notes == "IEP: extended time" and restored.iep


def test_search_finds_preferred_and_family_names(services: AppServices) -> None:
    section = services.classes.create_class(name="Math 6")
    services.roster.add_student(
        section.id, given_name="Alexander", preferred_name="Sasha", family_name="Petrov"
    )
    services.roster.add_student(section.id, given_name="Maria", family_name="Sanchez")
    assert [e.student.given_name for e in services.roster.roster(section.id, search="sasha")] == [
        "Alexander"
    ]
    assert len(services.roster.roster(section.id, search="  SANCH ")) == 1


def test_reorder_stations_renumbers_positions(services: AppServices) -> None:
    """Moving the last station to the top gives 0..n-1 positions in the new order."""
    section = services.classes.create_class(name="Math 6")
    for name in ("A", "B", "C", "D"):
        services.stations.create(section.id, name=name)
    d = services.stations.list_for(section.id)[-1]
    services.stations.move(d.id, 0)
    stations = services.stations.list_for(section.id)
    assert [s.name for s in stations] == ["D", "A", "B", "C"]
    assert [s.position for s in stations] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Name: cannot be empty"),
        ({"name": "Lab", "capacity": 0}, "Capacity"),
        ({"name": "Lab", "content_url": "ftp://x"}, "http"),
        ({"name": "Lab", "kind": "gym"}, "Kind"),
    ],
)
def test_invalid_station_gets_a_plain_message(
    services: AppServices, fields: dict[str, object], message: str
) -> None:
    section = services.classes.create_class(name="Math 6")
    with pytest.raises(ValidationError, match=message):
        services.stations.create(section.id, **fields)
    assert services.stations.list_for(section.id) == []


def test_targets_default_to_mastery_scale_and_validate_custom(services: AppServices) -> None:
    section = services.classes.create_class(name="Math 6")
    target = services.targets.create(section.id, code="6.RP.1", statement="I can use ratios.")
    assert target.scale == "mastery4"
    custom = services.targets.create(section.id, statement="I can explain", scale="custom:No|Yes")
    assert custom.scale == "custom:No|Yes"
    with pytest.raises(ValidationError, match="custom scale"):
        services.targets.create(section.id, statement="x", scale="custom:Only")


def test_missing_records_say_so(services: AppServices) -> None:
    with pytest.raises(NotFoundError):
        services.roster.add_student("nope", given_name="Ana")
    with pytest.raises(NotFoundError):
        services.stations.move("nope", 0)


def test_student_counts_leave_out_archived_students(services: AppServices) -> None:
    """The class list counts only the students still on each roster, in one query."""
    math = services.classes.create_class(name="Math 6")
    art = services.classes.create_class(name="Art")
    ana = services.roster.add_student(math.id, given_name="Ana")
    services.roster.add_student(math.id, given_name="Bo")
    services.roster.set_archived(math.id, ana.id, True)
    counts = services.classes.active_student_counts()
    assert counts.get(math.id) == 1
    assert counts.get(art.id, 0) == 0
