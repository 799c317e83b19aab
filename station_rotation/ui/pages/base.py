"""What every main-window page provides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from station_rotation.core.events import Changes

if TYPE_CHECKING:  # the first paint comes before the data layer is imported
    from station_rotation.services.app import AppServices


class Page(QWidget):
    """A page of the main window; it shows one aspect of the selected class."""

    title: str = ""

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.class_id: str | None = None

    def set_class(self, class_id: str | None) -> None:
        """Show ``class_id`` (None: no class selected)."""
        self.class_id = class_id
        self.reload()

    def reload(self) -> None:
        """Re-read what the page shows from the services."""

    def on_changes(self, changes: Changes) -> None:
        """Redraw when an operation touched what this page shows (default: always)."""
        self.reload()
