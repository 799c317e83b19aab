"""The service API: one object the GUI and the command line are given.

It owns the :class:`Store` and the services built on it. The Qt layer never reaches
past it into the store.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from station_rotation.core.events import ChangeBus
from station_rotation.services.checks.quick_checks import QuickCheckService
from station_rotation.services.classes.sections import ClassService
from station_rotation.services.classes.stations import StationService
from station_rotation.services.classes.targets import TargetService
from station_rotation.services.roster.notes import StudentNoteService
from station_rotation.services.roster.students import RosterService
from station_rotation.services.rotation import RotationService
from station_rotation.store.database import Store

if TYPE_CHECKING:
    from station_rotation.services.checks.insights import InsightService
    from station_rotation.services.classes.standards import StandardsService
    from station_rotation.services.plans.plans import PlanService
    from station_rotation.services.roster.imports import RosterImportService
    from station_rotation.services.run_changes import RunChangeService
    from station_rotation.services.sync.service import SyncService


class AppServices:
    """Every use case of the app, on one data folder."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.classes = ClassService(store)
        self.roster = RosterService(store)
        self.stations = StationService(store)
        self.targets = TargetService(store)
        self.rotation = RotationService(store)
        self.quick_checks = QuickCheckService(store)
        self.student_notes = StudentNoteService(store)

    @classmethod
    def open(cls, data_dir: Path) -> AppServices:
        """Open (creating and migrating if needed) the store in ``data_dir``."""
        return cls(Store.open(data_dir))

    @cached_property
    def roster_import(self) -> RosterImportService:
        """Loaded on first use: the import formats stay off the start-up path."""
        from station_rotation.services.roster.imports import RosterImportService

        return RosterImportService(self.store)

    @cached_property
    def standards(self) -> StandardsService:
        """Loaded on first use: learning targets from a CASE standards package."""
        from station_rotation.services.classes.standards import StandardsService

        return StandardsService(self.store)

    @cached_property
    def plans(self) -> PlanService:
        """Loaded on first use: the planning core stays off the start-up path."""
        from station_rotation.services.plans.plans import PlanService

        return PlanService(self.store)

    @cached_property
    def run_changes(self) -> RunChangeService:
        """Changes to a running rotation (a late student, a station out), on first use."""
        from station_rotation.services.run_changes import RunChangeService

        return RunChangeService(self)

    @cached_property
    def insights(self) -> InsightService:
        """Loaded on first use: the Insights page's reads and the quick-check export."""
        from station_rotation.services.checks.insights import InsightService

        return InsightService(self.store)

    @cached_property
    def sync(self) -> SyncService:
        """Loaded on first use; httpx and the sync engine load only when a sync runs."""
        from station_rotation.services.sync.service import SyncService

        return SyncService(self.store)

    @property
    def bus(self) -> ChangeBus:
        return self.store.bus

    def full(self) -> AppServices:
        """Itself: the real services are a ``FirstScreen`` too (``services/first_screen.py``)."""
        return self

    def close(self) -> None:
        self.store.close()
