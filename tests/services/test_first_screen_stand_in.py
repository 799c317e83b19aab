"""The services the window starts on: quick reads first, the real services for anything else."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import cast

import pytest

from station_rotation.core.events import Changes
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.classes.sections import ClassService
from station_rotation.services.first_screen_stand_in import (
    FirstScreenStandIn,
    _EarlyClasses,
    _EarlyRoster,
    _EarlyRotation,
)
from station_rotation.services.roster.students import RosterService
from station_rotation.services.rotation import RotationService


@pytest.mark.parametrize(
    ("early", "real"),
    [
        (_EarlyClasses, ClassService),
        (_EarlyRoster, RosterService),
        (_EarlyRotation, RotationService),
    ],
)
def test_quick_answers_take_the_same_arguments_as_the_services(early: type, real: type) -> None:
    """A quick method called the way the window calls the real one cannot drift from it."""
    own = [name for name in vars(early) if not name.startswith("_")]
    assert own
    for name in own:
        ours = inspect.signature(getattr(early, name)).parameters
        theirs = inspect.signature(getattr(real, name)).parameters
        assert list(ours.values()) == list(theirs.values()), name  # names, kinds, defaults


def test_reads_are_quick_and_a_write_opens_the_real_services(data_dir: Path) -> None:
    """Until something needs the store the file is only read; a write opens the services,
    is saved, and its change reaches whoever listens on the early bus."""
    services = AppServices.open(data_dir)
    section = create_sample_class(services)
    services.close()
    early = FirstScreenStandIn.open(data_dir)
    assert early is not None
    loaded: list[bool] = []
    early.on_loaded = lambda: loaded.append(True)
    changes: list[Changes] = []
    early.bus.subscribe(changes.append)
    try:
        assert [c.name for c in early.classes.list_classes()] == [section.name]
        assert early.classes.active_student_counts() == {section.id: 28}
        assert len(early.roster.roster(section.id)) == 28
        assert early.rotation.running_run(section.id) is None
        assert early.loaded is None and not loaded

        renamed = cast(ClassService, early.classes).update_class(
            section.id, name="Math 6, period 3"
        )

        real = early.loaded
        assert real is not None and loaded == [True]
        assert renamed.name == "Math 6, period 3"
        assert changes and changes[-1].touches("class_section")
        assert early.classes is real.classes  # the real services answer directly now
        assert [c.name for c in early.classes.list_classes()] == ["Math 6, period 3"]
    finally:
        early.close()
    check = AppServices.open(data_dir)
    try:
        assert check.classes.get_class(section.id).name == "Math 6, period 3"
    finally:
        check.close()
