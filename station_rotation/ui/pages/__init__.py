"""The main window's pages, in navigation order, built the first time they are shown.

A page is a QWidget with ``title``, ``set_class(class_id)`` and ``on_changes(changes)``
(see :class:`station_rotation.ui.pages.base.Page`). Each entry names its module, which
is imported only when the teacher first opens the page, so adding pages never slows the
start. Later features add one line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from station_rotation.ui.pages.base import Page


@dataclass(frozen=True)
class PageSpec:
    """A page's navigation title and where its class lives (``module:ClassName``)."""

    title: str
    target: str

    def load(self) -> type[Page]:
        module_name, class_name = self.target.split(":")
        return cast("type[Page]", getattr(importlib.import_module(module_name), class_name))


_PAGES = "station_rotation.ui.pages"


def page_specs() -> list[PageSpec]:
    """The pages in the order the navigation lists them."""
    specs: list[PageSpec] = []
    specs += [PageSpec("Classes", f"{_PAGES}.classes_page:ClassesPage")]
    specs += [PageSpec("Roster", f"{_PAGES}.roster_page:RosterPage")]
    specs += [PageSpec("Stations", f"{_PAGES}.stations_page:StationsPage")]
    specs += [PageSpec("Learning targets", f"{_PAGES}.targets_page:TargetsPage")]
    specs += [PageSpec("Plan", "station_rotation.ui.plan.plan_page:PlanPage")]
    specs += [PageSpec("Rotation", "station_rotation.ui.rotation.rotation_page:RotationPage")]
    specs += [PageSpec("Quick checks", "station_rotation.ui.checks.entry_page:QuickCheckPage")]
    specs += [PageSpec("Insights", "station_rotation.ui.insights.insights_page:InsightsPage")]
    specs += [PageSpec("Sync", "station_rotation.ui.sync.sync_panel:SyncPage")]
    return specs
