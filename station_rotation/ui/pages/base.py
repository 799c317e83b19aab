"""What every main-window page provides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from station_rotation.core.events import Changes

if TYPE_CHECKING:  # the first paint comes before the data layer is imported
    from station_rotation.services.app import AppServices
    from station_rotation.services.first_screen import FirstScreen


class Page(QWidget):
    """A page of the main window; it shows one aspect of the selected class.

    A page is given the window's :class:`FirstScreen`. The pages that paint the first
    screen (Classes, Roster) read through :attr:`first_screen`; :attr:`services` is the
    full set, loaded when first asked for if the window is still on its quick reader.
    """

    title: str = ""

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_screen = services
        self.class_id: str | None = None

    @property
    def services(self) -> AppServices:
        """Every service (on the first screen: loads the data layer if not yet loaded)."""
        return self.first_screen.full()

    def set_class(self, class_id: str | None) -> None:
        """Show ``class_id`` (None: no class selected)."""
        self.class_id = class_id
        self.reload()

    def reload(self) -> None:
        """Re-read what the page shows from the services."""

    def on_changes(self, changes: Changes) -> None:
        """Redraw when an operation touched what this page shows (default: always)."""
        self.reload()
