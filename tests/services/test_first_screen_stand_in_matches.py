"""The window's first screen reads the same answers from the quick reader as from the
services, on data folders built the way teachers build them (through the services)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station_rotation.core.rotation.clock import RunSpec
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.first_screen import FirstScreen
from station_rotation.services.first_screen_stand_in import FirstScreenStandIn

CLASS_FIELDS = ("id", "name", "subject", "grade", "period", "school_year", "source_id", "archived")
STUDENT_FIELDS = (
    "id",
    "given_name",
    "family_name",
    "preferred_name",
    "source_id",
    "identifier",
    "email",
    "grade",
    "support_notes",
    "iep",
    "ell",
    "archived",
    "display_name",
    "first_name",
)
ENROLLMENT_FIELDS = ("id", "class_id", "student_id", "archived")
SEARCHES = ("", "a", "LEE", "an", "zed", " ")


def _pick(record: object, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in names)


def first_screen_answers(services: FirstScreen) -> dict[str, Any]:
    """Every answer the first screen can ask for, on every class of the file."""
    answers: dict[str, Any] = {}
    every = services.classes.list_classes(include_archived=True)
    for archived in (False, True):
        classes = services.classes.list_classes(include_archived=archived)
        answers[f"classes {archived}"] = [_pick(c, CLASS_FIELDS) for c in classes]
    answers["counts"] = services.classes.active_student_counts()
    for section in every:
        answers[f"teachers {section.id}"] = services.classes.teachers_of(section.id)
        answers[f"left going {section.id}"] = services.rotation.running_run(section.id) is not None
        for archived in (False, True):
            for search in SEARCHES:
                roster = services.roster.roster(
                    section.id, include_archived=archived, search=search
                )
                answers[f"roster {section.id} {archived} {search!r}"] = [
                    (
                        _pick(e.student, STUDENT_FIELDS),
                        _pick(e.enrollment, ENROLLMENT_FIELDS),
                        e.archived,
                    )
                    for e in roster
                ]
    return answers


def assert_same_answers(data_dir: Path) -> dict[str, Any]:
    """The early services (before they load) answer as the services do on ``data_dir``."""
    real = AppServices.open(data_dir)
    try:
        expected = first_screen_answers(real)
    finally:
        real.close()
    early = FirstScreenStandIn.open(data_dir)
    assert early is not None
    try:
        quick = first_screen_answers(early)
        left_going = any(v is True for k, v in quick.items() if k.startswith("left going"))
        # Answered by the quick reader, not the services: only a rotation left going is
        # read from the services (to know whether it is still going now).
        assert (early.loaded is not None) == left_going
    finally:
        early.close()
    assert quick == expected
    return expected


def _build(data_dir: Path, build: Callable[[AppServices], object]) -> None:
    services = AppServices.open(data_dir)
    try:
        build(services)
    finally:
        services.close()


def test_a_new_data_folder(data_dir: Path) -> None:
    """A file with nothing in it yet: no classes, no counts."""
    _build(data_dir, lambda services: None)
    answers = assert_same_answers(data_dir)
    assert answers["classes True"] == []


def test_the_sample_class_with_a_rotation_left_going(data_dir: Path) -> None:
    """The sample class, a student archived and one renamed, a rotation left going."""

    def build(services: AppServices) -> None:
        section = create_sample_class(services)
        roster = services.roster.roster(section.id)
        services.roster.set_archived(section.id, roster[0].student.id, True)
        services.roster.update_student(roster[1].student.id, preferred_name="Zed")
        services.rotation.start(section.id, RunSpec((600.0, 600.0), 60.0), title="Tuesday")

    _build(data_dir, build)
    answers = assert_same_answers(data_dir)
    assert any(value is True for key, value in answers.items() if key.startswith("left going"))


def test_many_classes_and_students(data_dir: Path) -> None:
    """A teacher of many sections: a dozen classes, some archived, 30 students each, some
    in two classes, names that differ only by case or accents."""

    def build(services: AppServices) -> None:
        sections = [
            services.classes.create_class(
                name=f"Period {index % 7} {'Math' if index % 2 else 'Art'}",
                subject="Math" if index % 2 else "Art",
                period=str(index % 7),
            )
            for index in range(12)
        ]
        givens = ("Ana", "ana", "Ána", "Bo", "Lee", "Zoë", "zed")
        for index, section in enumerate(sections):
            for number in range(30):
                student = services.roster.add_student(
                    section.id,
                    given_name=givens[number % len(givens)],
                    family_name=("Lee", "lee", "Nguyen", "Álvarez")[number % 4],
                    identifier=f"{index:02}{number:03}",
                )
                if number % 9 == 0:
                    services.roster.set_archived(section.id, student.id, True)
            if index % 5 == 4:
                services.classes.set_archived(section.id, True)

    _build(data_dir, build)
    answers = assert_same_answers(data_dir)
    assert len(answers["classes True"]) == 12


NAMES = st.text(alphabet="AaÁáBbLlEeZzë -'", max_size=6)
STUDENT = st.fixed_dictionaries(
    {
        "given_name": NAMES.filter(lambda text: text.strip() != ""),
        "family_name": NAMES,
        "preferred_name": NAMES,
        "archived": st.booleans(),
    }
)
CLASS = st.fixed_dictionaries(
    {
        "name": NAMES.filter(lambda text: text.strip() != ""),
        "archived": st.booleans(),
        "students": st.lists(STUDENT, max_size=4),
    }
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classes=st.lists(CLASS, max_size=3))
def test_generated_folders(classes: list[dict[str, Any]]) -> None:
    """Generated classes and students (names in odd cases and accents, archived or not):
    the quick reader's answers are the services' answers."""

    def build(services: AppServices) -> None:
        for shape in classes:
            section = services.classes.create_class(name=shape["name"])
            for fields in shape["students"]:
                wanted = dict(fields)
                archived = wanted.pop("archived")
                try:
                    student = services.roster.add_student(section.id, **wanted)
                except Exception as exc:  # a name the service refuses: not on the roster
                    if type(exc).__name__ != "ValidationError":
                        raise
                    continue
                if archived:
                    services.roster.set_archived(section.id, student.id, True)
            if shape["archived"]:
                services.classes.set_archived(section.id, True)

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        _build(data_dir, build)
        assert_same_answers(data_dir)


@pytest.mark.parametrize("services_kind", ["early", "real"])
def test_both_are_a_first_screen(data_dir: Path, services_kind: str) -> None:
    """The early services and the real ones both give the full services on ``full()``."""
    _build(data_dir, create_sample_class)
    services: FirstScreen
    if services_kind == "early":
        early = FirstScreenStandIn.open(data_dir)
        assert early is not None
        services = early
    else:
        services = AppServices.open(data_dir)
    try:
        full = services.full()
        assert isinstance(full, AppServices)
        assert full.full() is full
        assert [c.id for c in full.classes.list_classes()] == [
            c.id for c in services.classes.list_classes()
        ]
    finally:
        services.close()
