"""The main window's pages, in navigation order.

A page is a QWidget with ``title``, ``set_class(class_id)`` and ``on_changes(changes)``
(see :class:`station_rotation.ui.pages.base.Page`). Later features add their pages here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from station_rotation.services.app import AppServices
from station_rotation.ui.pages.base import Page
from station_rotation.ui.pages.classes_page import ClassesPage
from station_rotation.ui.pages.roster_page import RosterPage
from station_rotation.ui.pages.stations_page import StationsPage
from station_rotation.ui.pages.targets_page import TargetsPage

PageFactory = Callable[[AppServices, QWidget | None], Page]


def page_factories() -> list[PageFactory]:
    """The pages in the order the navigation lists them."""
    factories: list[PageFactory] = []
    factories += [ClassesPage, RosterPage]
    factories += [StationsPage, TargetsPage]
    return factories
