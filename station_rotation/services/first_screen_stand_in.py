"""The app's services while the real ones load: the first screen read with plain sqlite3.

Importing SQLAlchemy, pydantic and the SQLModel tables costs about half of the GUI's
start. So the GUI builds its window on :class:`FirstScreenStandIn` and calls :meth:`load`
right after the first paint. Until then the few reads the first screen makes (the
classes and their student counts, a class's roster, whether a rotation was left going)
are answered by the read-only :class:`QuickReader`. The window sees them through the
:class:`~station_rotation.services.first_screen.FirstScreen` interface; anything else
(every write, every other read) is asked through :meth:`FirstScreenStandIn.full`, which loads
the real services first: the teacher's action waits a moment, and is never lost nor
answered from the quick reader. Once loaded, every call goes to the real
:class:`AppServices`, and their changes are broadcast on :attr:`bus`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from station_rotation.core.events import ChangeBus
from station_rotation.store.first_screen_rows import QuickReader

if TYPE_CHECKING:
    from station_rotation.services.app import AppServices
    from station_rotation.services.first_screen import (
        ClassRow,
        FirstScreenClasses,
        FirstScreenRoster,
        FirstScreenRotation,
        RosterRow,
    )

T = TypeVar("T")


class FirstScreenStandIn:
    """The window's :class:`FirstScreen` until :meth:`load`; then passes everything on."""

    def __init__(self, data_dir: Path, reader: QuickReader) -> None:
        self._data_dir = data_dir
        self._reader: QuickReader | None = reader
        self._real: AppServices | None = None
        self._lock = threading.RLock()
        # The bus the window subscribes to now; the real store's changes are forwarded to it.
        self.bus = ChangeBus()
        # Called once the real services are open, on the thread that opened them.
        self.on_loaded: Callable[[], None] | None = None
        self.classes: FirstScreenClasses = _EarlyClasses(self, "classes")
        self.roster: FirstScreenRoster = _EarlyRoster(self, "roster")
        self.rotation: FirstScreenRotation = _EarlyRotation(self, "rotation")

    @classmethod
    def open(cls, data_dir: Path) -> FirstScreenStandIn | None:
        """Early services on ``data_dir``, or None when the file must be opened the full way.

        None for a new file or one that needs a migration (``AppServices.open`` creates or
        migrates it before anything is shown); a file that is not a database raises the
        same error ``AppServices.open`` would.
        """
        reader = QuickReader.open(data_dir)
        return None if reader is None else cls(data_dir, reader)

    @property
    def loaded(self) -> AppServices | None:
        """The real services once open, else None."""
        return self._real

    def load(self) -> AppServices:
        """The real services, opened now if they are not yet (imports SQLAlchemy)."""
        real = self._real
        if real is not None:
            return real
        with self._lock:
            if self._real is not None:
                return self._real
            from station_rotation.services.app import AppServices

            real = AppServices.open(self._data_dir)
            real.bus.subscribe(self.bus.publish)
            # From now on the real services' own objects answer directly; the parts handed
            # out before (a model keeps ``services.roster``) pass their reads on to them.
            for name, value in vars(real).items():
                if name != "bus":
                    setattr(self, name, value)
            self._real = real
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        if self.on_loaded is not None:
            self.on_loaded()
        return real

    def full(self) -> AppServices:
        """Every service: what the first screen asks beyond its quick reads (see module doc)."""
        return self.load()

    def answer(self, quick: Callable[[QuickReader], T], real: Callable[[AppServices], T]) -> T:
        """``quick``'s answer while the real services are not open, else ``real``'s.

        A file the quick reader cannot read is left to the store, which says what is wrong
        in its own words.
        """
        with self._lock:
            if self._real is None and self._reader is not None:
                try:
                    return quick(self._reader)
                except sqlite3.Error:
                    pass
        return real(self.load())

    def close(self) -> None:
        with self._lock:
            if self._real is not None:
                self._real.close()
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def __getattr__(self, name: str) -> object:
        """Not typed for callers (they hold a ``FirstScreen``): loads the services, loudly."""
        if name.startswith("_"):
            raise AttributeError(name)
        _say_loaded_for(name)
        return getattr(self.load(), name)


class _Part:
    """One service's first-screen reads: quick answers, else the real service's.

    Callers ask anything beyond these reads of :meth:`FirstScreenStandIn.full`; the untyped
    fallback below still answers (loading the services), but logs a warning saying so.
    """

    def __init__(self, owner: FirstScreenStandIn, name: str) -> None:
        self._owner = owner
        self._name = name

    def __getattr__(self, attr: str) -> object:
        if attr.startswith("_"):
            raise AttributeError(attr)
        _say_loaded_for(f"{self._name}.{attr}")
        return getattr(getattr(self._owner.load(), self._name), attr)


def _say_loaded_for(name: str) -> None:
    """Warn that ``name``, not a first-screen read, was asked of the early services."""
    import logging  # off the start-up path: only a caller past the typed interface gets here

    logging.getLogger(__name__).warning(
        "%s is not a first-screen read: the services were loaded for it (ask full())", name
    )


class _EarlyClasses(_Part):
    def list_classes(self, *, include_archived: bool = False) -> Sequence[ClassRow]:
        def quick(reader: QuickReader) -> Sequence[ClassRow]:
            return list(reader.list_classes(include_archived=include_archived))

        return self._owner.answer(
            quick,
            lambda real: list(real.classes.list_classes(include_archived=include_archived)),
        )

    def active_student_counts(self) -> dict[str, int]:
        return self._owner.answer(
            lambda reader: reader.active_student_counts(),
            lambda real: real.classes.active_student_counts(),
        )

    def teachers_of(self, class_id: str) -> list[str]:
        return self._owner.answer(
            lambda reader: reader.teachers_of(class_id),
            lambda real: real.classes.teachers_of(class_id),
        )


class _EarlyRoster(_Part):
    def roster(
        self, class_id: str, *, include_archived: bool = False, search: str = ""
    ) -> Sequence[RosterRow]:
        def quick(reader: QuickReader) -> Sequence[RosterRow]:
            return list(reader.roster(class_id, include_archived=include_archived, search=search))

        return self._owner.answer(
            quick,
            lambda real: list(
                real.roster.roster(class_id, include_archived=include_archived, search=search)
            ),
        )


class _EarlyRotation(_Part):
    def running_run(self, class_id: str) -> object | None:
        """None at once when no run of the class was left unfinished, else the real answer."""
        left_going = self._owner.answer(
            lambda reader: reader.has_unfinished_run(class_id), lambda _real: True
        )
        return self._owner.load().rotation.running_run(class_id) if left_going else None
