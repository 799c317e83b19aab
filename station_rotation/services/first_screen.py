"""What the first screen reads: one typed interface, answered by the quick reader or the services.

The window paints its first screen before the data layer is imported (``first_screen_stand_in.py``).
The parts of the window that paint it (the class picker, the welcome screen, the
Classes and Roster pages) hold a :class:`FirstScreen`: the few reads below are answered
from the file with plain ``sqlite3`` until the real services are in. Everything else
goes through :meth:`FirstScreen.full`, whose name says the cost: on the quick reader it
loads the whole data layer on the GUI thread first. So a first-screen page that reads
one more thing is a type error, not a silently slower start.

:class:`~station_rotation.services.app.AppServices` is a ``FirstScreen`` too (``full``
is itself), so the pages run unchanged on the real services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from station_rotation.core.events import ChangeBus
    from station_rotation.services.app import AppServices


class ClassRow(Protocol):
    """A class as the first screen shows it (a ``ClassSection`` or the quick reader's row)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def grade(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def school_year(self) -> str: ...
    @property
    def source_id(self) -> str | None: ...
    @property
    def archived(self) -> bool: ...


class StudentRow(Protocol):
    """A student as the roster shows it (a ``Student`` or the quick reader's row)."""

    @property
    def id(self) -> str: ...
    @property
    def given_name(self) -> str: ...
    @property
    def family_name(self) -> str: ...
    @property
    def preferred_name(self) -> str: ...
    @property
    def source_id(self) -> str | None: ...
    @property
    def identifier(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def grade(self) -> str: ...
    @property
    def support_notes(self) -> str: ...
    @property
    def iep(self) -> bool: ...
    @property
    def ell(self) -> bool: ...
    @property
    def archived(self) -> bool: ...
    @property
    def display_name(self) -> str: ...
    @property
    def first_name(self) -> str: ...


class EnrollmentRow(Protocol):
    """A student's place in one class."""

    @property
    def id(self) -> str: ...
    @property
    def class_id(self) -> str: ...
    @property
    def student_id(self) -> str: ...
    @property
    def archived(self) -> bool: ...


class RosterRow(Protocol):
    """A student on one class's roster (a ``RosterEntry`` or the quick reader's)."""

    @property
    def student(self) -> StudentRow: ...
    @property
    def enrollment(self) -> EnrollmentRow: ...
    @property
    def archived(self) -> bool: ...


class FirstScreenClasses(Protocol):
    """The class reads of the first screen (``ClassService``'s, same arguments)."""

    def list_classes(self, *, include_archived: bool = False) -> Sequence[ClassRow]: ...
    def active_student_counts(self) -> dict[str, int]: ...
    def teachers_of(self, class_id: str) -> list[str]: ...


class FirstScreenRoster(Protocol):
    """The roster read of the first screen (``RosterService.roster``)."""

    def roster(
        self, class_id: str, *, include_archived: bool = False, search: str = ""
    ) -> Sequence[RosterRow]: ...


class FirstScreenRotation(Protocol):
    """Whether the window must open on a rotation left going (``RotationService``)."""

    def running_run(self, class_id: str) -> object | None: ...


class FirstScreen(Protocol):
    """The services as the first screen sees them: its reads, the bus, and the full set."""

    @property
    def bus(self) -> ChangeBus: ...
    @property
    def classes(self) -> FirstScreenClasses: ...
    @property
    def roster(self) -> FirstScreenRoster: ...
    @property
    def rotation(self) -> FirstScreenRotation: ...
    def full(self) -> AppServices:
        """Every service; on the quick reader this loads the data layer first (~0.5 s)."""
        ...

    def close(self) -> None: ...
