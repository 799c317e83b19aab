"""Which screen the projector window goes to, and following screens plugged in or out.

The choice is a small policy over plain descriptors (:func:`choose_screen`), so it is
tested without real monitors; :class:`ScreenFollower` is the thin Qt wiring that asks
again whenever the system's screens change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QGuiApplication, QScreen


@dataclass(frozen=True)
class ScreenInfo:
    """A screen as the policy sees it: a name and its place on the virtual desktop."""

    name: str
    x: int
    y: int
    width: int
    height: int

    @property
    def area(self) -> int:
        return self.width * self.height

    def overlaps(self, other: ScreenInfo) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


def choose_screen(
    screens: Sequence[ScreenInfo], primary: ScreenInfo | None, preferred: str = ""
) -> ScreenInfo | None:
    """The second screen to fill, or None to stay a normal window on the teacher's screen.

    ``preferred``: the name of the screen the teacher last put the projector on full
    screen herself; it wins while it is connected and is not the teacher's own screen.

    The teacher's screen is the primary one. A screen overlapping it mirrors it (the
    laptop duplicated to the projector), and filling it would hide the teacher's own
    work, so only screens apart from the primary count; of those, the largest wins
    (ties: leftmost, then by name, so the choice does not flicker between equal ones).
    """
    candidates = [
        screen
        for screen in screens
        if primary is None or (screen != primary and not screen.overlaps(primary))
    ]
    if primary is None and len(candidates) < 2:
        return None  # one screen and no idea which is the teacher's: stay a window
    if not candidates:
        return None
    for screen in candidates:
        if preferred and screen.name == preferred:
            return screen
    return min(candidates, key=lambda s: (-s.area, s.x, s.y, s.name))


def describe(screen: QScreen) -> ScreenInfo:
    geometry: QRect = screen.geometry()
    return ScreenInfo(
        screen.name(), geometry.x(), geometry.y(), geometry.width(), geometry.height()
    )


def teacher_qscreen(gone: QScreen | None = None) -> QScreen | None:
    """The teacher's screen (the primary one; another if the primary is going away)."""
    primary: QScreen | None = QGuiApplication.primaryScreen()
    if primary is None or primary is gone:
        others = [s for s in QGuiApplication.screens() if s is not gone]
        primary = others[0] if others else None
    return primary


def best_qscreen(gone: QScreen | None = None, preferred: str = "") -> QScreen | None:
    """The real screen :func:`choose_screen` picks now, leaving out ``gone``."""
    screens = [s for s in QGuiApplication.screens() if s is not gone]
    primary = teacher_qscreen(gone)
    infos = [describe(s) for s in screens]
    choice = choose_screen(infos, describe(primary) if primary is not None else None, preferred)
    if choice is None:
        return None
    return screens[infos.index(choice)]


class ScreenFollower(QObject):
    """Calls ``on_change(gone)`` when a screen is added, removed or becomes primary.

    ``gone`` is the screen being removed, else None. (Qt 6 takes a screen off its list
    before announcing it; leaving it out again costs nothing and keeps the rule plain.)
    Parented to the window, so the connections end with it.
    """

    def __init__(self, on_change: Callable[[QScreen | None], None], parent: QObject) -> None:
        super().__init__(parent)
        self._on_change = on_change
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._changed)
        app.screenRemoved.connect(self._removed)
        app.primaryScreenChanged.connect(self._changed)

    def _changed(self, _screen: QScreen) -> None:
        self._on_change(None)

    def _removed(self, screen: QScreen) -> None:
        self._on_change(screen)
