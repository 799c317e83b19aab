"""Starting class quickly: the plan's auto-advance choice, the projector opening by
itself on the second screen, and "the last plan again" when there is no plan for today.

Kept apart from the page so the page only places these widgets and calls them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from station_rotation.core.errors import StationRotationError
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.services.app import AppServices
from station_rotation.ui.errors import show_error
from station_rotation.ui.widgets import named

NO_SECOND_SCREEN = (
    "No second screen is connected: connect the projector, or press Open projector "
    "to show it in a window."
)
AUTO_TIP = (
    "On: after each transition the next round starts by itself. Off: the clock waits "
    "until you press Space, and the projector says the next round starts when you say."
)


def second_screen_name() -> str | None:
    """The screen the projector would fill now, or None with only the teacher's screen."""
    from station_rotation.ui.projector.screens import best_qscreen
    from station_rotation.ui.rotation.settings import PROJECTOR_SCREEN

    screen = best_qscreen(preferred=PROJECTOR_SCREEN.get())
    return screen.name() if screen is not None else None


def projector_opened_text(screen: str) -> str:
    return f"The projector is showing full screen on the second screen ({screen})."


def advance_text(spec: RunSpec) -> str:
    """How this run moves on, in the page's words."""
    if spec.rounds < 2:
        return ""
    if spec.auto_advance:
        return "Each round starts by itself after the move."
    return "Each round waits for you: press Space to start it."


class AdvanceBox(QCheckBox):
    """ "Start each round by itself", for the picked plan (saved in it) or the quick timer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Start each round by itself", parent)
        named(self, "autoAdvanceBox")
        self.setToolTip(AUTO_TIP)
        self.setChecked(True)
        self._services: AppServices | None = None
        self._plan_id: str | None = None
        self._quick = True  # the quick timer's own choice, kept while a plan is picked
        self.toggled.connect(self._on_toggled)

    def show_plan(self, services: AppServices, plan_id: str | None) -> None:
        """Show the picked plan's setting (``None``: the quick timer's)."""
        self._services, self._plan_id = services, None
        on = self._quick
        if plan_id:
            try:
                on = services.plans.get(plan_id).body.pace.auto_advance
            except StationRotationError:
                on = True
        self.blockSignals(True)
        self.setChecked(on)
        self.blockSignals(False)
        self._plan_id = plan_id or None

    def _on_toggled(self, on: bool) -> None:
        if self._plan_id is None or self._services is None:
            self._quick = on
            return
        try:
            self._services.plans.edit_pace(self._plan_id, {"auto_advance": on})
        except StationRotationError as error:
            show_error(self, "The plan could not be changed", error)
            self.blockSignals(True)
            self.setChecked(not on)
            self.blockSignals(False)
