"""The Rotation page's "Phones & tablets" row: the switch, the panel, one line of state.

Off at every start (nothing serves until the teacher asks, each day). Switching on
makes the :class:`CompanionController` (its modules load only then) and opens the
panel; switching off stops the server and ends every device's session. The page tells
this row which run it shows and when the laptop blanks the projector; the row tells the
page when a phone asks for the blank and when the projector's join card changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from station_rotation.services.first_screen import FirstScreen
from station_rotation.ui.widgets import ERROR_STYLE, named

if TYPE_CHECKING:
    from station_rotation.ui.companion.controller import CompanionController
    from station_rotation.ui.companion.panel import CompanionPanel
    from station_rotation.ui.companion.student_codes import StudentCodesDialog
    from station_rotation.ui.projector.join_band import JoinCard


class CompanionSwitch(QWidget):
    """Switch the companion on or off; open its panel; say in a line how it is doing."""

    blank_requested = Signal(bool)  # a teacher's phone asked to blank the projector (or not)
    join_changed = Signal()  # what the projector's join band should show may have changed

    def __init__(self, first_screen: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._first_screen = first_screen
        self.controller: CompanionController | None = None
        self.panel: CompanionPanel | None = None
        self.codes_dialog: StudentCodesDialog | None = None
        self._following: tuple[str | None, str | None] = (None, None)

        self.switch = named(QCheckBox("Phones && tablets"), "companionSwitch")
        self.switch.setToolTip(
            "Serve the companion on the classroom network: the teacher's phone as a remote "
            "and quick-check pad, students' devices for their station and reflection"
        )
        self.switch.toggled.connect(self._on_switched)
        self.panel_button = named(QPushButton("Pairing && devices…"), "companionPanelButton")
        self.panel_button.setEnabled(False)
        self.panel_button.clicked.connect(self.open_panel)
        self.summary = named(QLabel(""), "companionSummary")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.switch)
        row.addWidget(self.panel_button)
        row.addWidget(self.summary, 1)

    # --- what the page tells it ---------------------------------------------------

    def follow(self, class_id: str | None, run_id: str | None) -> None:
        self._following = (class_id, run_id)
        if self.controller is not None:
            self.controller.follow(class_id, run_id)

    def set_blank(self, on: bool) -> None:
        if self.controller is not None:
            self.controller.set_blank(on)

    def projector_join(self) -> JoinCard | None:
        return self.controller.projector_join() if self.controller is not None else None

    # --- switching ----------------------------------------------------------------

    def _on_switched(self, on: bool) -> None:
        if on:
            controller = self._controller()
            panel = self._panel(controller)
            controller.follow(*self._following)
            controller.switch_on(panel.chosen_address())
            self.open_panel()
        elif self.controller is not None:
            self.controller.switch_off()
            if self.panel is not None:
                self.panel.hide()
        self.panel_button.setEnabled(on)

    def open_panel(self) -> None:
        if self.controller is None:
            return
        panel = self._panel(self.controller)
        if panel.isVisible():
            panel.raise_()
            panel.activateWindow()
        else:
            panel.fill_networks()
            panel.show()

    def _controller(self) -> CompanionController:
        if self.controller is None:
            from station_rotation.ui.companion.controller import CompanionController

            controller = CompanionController(self._first_screen, self)
            controller.changed.connect(self._on_changed)
            controller.blank_requested.connect(self.blank_requested)
            self.controller = controller
        return self.controller

    def _panel(self, controller: CompanionController) -> CompanionPanel:
        if self.panel is None:
            from station_rotation.ui.companion.panel import CompanionPanel

            self.panel = CompanionPanel(controller, self.window())
            self.panel.student_codes_wanted.connect(self.open_student_codes)
        return self.panel

    def _on_changed(self) -> None:
        controller = self.controller
        if controller is None:
            return
        access = controller.access
        if controller.error:
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(controller.error)
        else:
            self.summary.setStyleSheet("")
            if controller.serving and access is not None:
                devices = access.devices()
                self.summary.setText(
                    f"On at {controller.url}: {len(devices)} "
                    f"device{'' if len(devices) == 1 else 's'} connected"
                )
            elif controller.starting:
                self.summary.setText("Starting…")
            else:
                self.summary.setText("")
        self.join_changed.emit()

    # --- students' personal codes -------------------------------------------------

    def open_student_codes(self) -> None:
        """The class's students with their personal codes, to print."""
        controller, class_id = self.controller, self._following[0]
        access = controller.access if controller is not None else None
        if controller is None or access is None or class_id is None:
            return
        from station_rotation.ui.companion.student_codes import (
            CodesSheet,
            StudentCode,
            StudentCodesDialog,
        )

        services = self._first_screen.full()
        section = services.classes.get_class(class_id)
        codes = tuple(
            StudentCode(entry.student.display_name, access.personal_code(entry.student.id))
            for entry in services.roster.roster(class_id)
        )
        where = controller.url or "the companion's address"
        sheet = CodesSheet(
            f"Personal codes: {section.name}",
            f"Open {where} on your device, type the class code, then choose "
            "\u201cI have a personal code\u201d and type yours. Keep it to yourself.",
            codes,
        )
        dialog = StudentCodesDialog(sheet, self.window())
        self.codes_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "codes_dialog", None))
        dialog.open()
