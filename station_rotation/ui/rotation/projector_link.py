"""The panel's handle on the projector window: opened on demand, fed every tick.

The projector module is imported only when the teacher opens it (start-up stays fast).
Its window is top-level and never keeps the app alive on its own: closing the main
window quits the app and takes the projector with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.clock import ClockView

if TYPE_CHECKING:  # the projector's modules load when it opens
    from station_rotation.ui.projector.join_band import JoinCard

PROJECTOR_MODULE = "station_rotation.ui.projector.window"
EMPTY_BOARD = Board(stations=(), groups=(), rounds=())


class ProjectorWindow(Protocol):
    """What the panel needs from the projector window."""

    def show_state(self, view: ClockView, board: Board, title: str) -> None: ...
    def flash(self) -> None: ...
    def set_first_names(self, on: bool) -> None: ...
    def place_on_best_screen(self) -> None: ...
    def set_blank(self, on: bool, *, black: bool = False) -> None: ...
    def show_join(self, card: JoinCard | None) -> None: ...


class ProjectorFactory(Protocol):
    def __call__(self, *, first_names: bool = False) -> ProjectorWindow: ...


class ProjectorLink:
    """Opens the projector once, and forwards state, flashes and the privacy setting.

    It keeps the blank and the join card it was given, so a projector opened later
    shows them at once.
    """

    def __init__(self) -> None:
        self.window: ProjectorWindow | None = None
        self.blank = False
        self.blank_black = False
        self.join: JoinCard | None = None

    @property
    def is_open(self) -> bool:
        return isinstance(self.window, QWidget) and self.window.isVisible()

    def open(self, *, first_names: bool) -> ProjectorWindow:
        """Create (first time) and show the projector on the best screen.

        Raises ImportError if this build has no projector window.
        """
        if self.window is None:
            module = importlib.import_module(PROJECTOR_MODULE)
            factory = cast(ProjectorFactory, module.ProjectorWindow)
            self.window = factory(first_names=first_names)
            if isinstance(self.window, QWidget):
                self.window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
            self.window.set_blank(self.blank, black=self.blank_black)
            self.window.show_join(self.join)
        again = self.is_open  # placing it shows it: ask before
        self.window.place_on_best_screen()
        if isinstance(self.window, QWidget):
            if again:
                self.window.raise_()  # opened again: bring it to the front
            else:
                self.window.show()
        return self.window

    def show_state(self, view: ClockView | None, board: Board | None, title: str) -> None:
        if self.window is not None and view is not None:
            self.window.show_state(view, board or EMPTY_BOARD, title)

    def flash(self) -> None:
        if self.window is not None:
            self.window.flash()

    def set_first_names(self, on: bool) -> None:
        if self.window is not None:
            self.window.set_first_names(on)

    def set_blank(self, on: bool, *, black: bool = False) -> None:
        self.blank = on
        self.blank_black = black
        if self.window is not None:
            self.window.set_blank(on, black=black)

    def show_join(self, card: JoinCard | None) -> None:
        """The students' join code on the projector (None: not shown)."""
        self.join = card
        if self.window is not None:
            self.window.show_join(card)

    def close(self) -> None:
        if isinstance(self.window, QWidget):
            self.window.close()
            self.window.deleteLater()
        self.window = None
