"""The companion's window on the laptop: the network, the pairing code, the devices.

A non-modal window the rotation page opens when the teacher switches "Phones & tablets"
on; closing it leaves the companion on. It renders the :class:`CompanionController`'s
state and forwards the teacher's clicks to it. The pairing QR code is shown here, on the
laptop's own screen, and nowhere else: whoever scans it controls the rotation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_rotation.companion.access import Role
from station_rotation.ui.companion import networks
from station_rotation.ui.companion.controller import CompanionController
from station_rotation.ui.companion.devices_model import REMOVE, DevicesModel
from station_rotation.ui.projector.join_band import spaced
from station_rotation.ui.projector.qr import qr_image
from station_rotation.ui.widgets import ERROR_STYLE, named

QR_SIDE = 232
MUTED_STYLE = "color: #555;"


class QrLabel(QLabel):
    """A QR code drawn crisp (whole pixels per module); ``url`` is what it holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._url = ""
        self.setFixedSize(QR_SIDE, QR_SIDE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    @property
    def url(self) -> str:
        return self._url

    def set_url(self, url: str) -> None:
        if url == self._url:
            return
        self._url = url
        self.setProperty("url", url)  # readable from Qt too (tools, style sheets)
        if not url:
            self.clear()
            return
        image = qr_image(url)
        scale = max(1, QR_SIDE // image.width())
        side = image.width() * scale
        self.setPixmap(
            QPixmap.fromImage(
                image.scaled(
                    side,
                    side,
                    Qt.AspectRatioMode.IgnoreAspectRatio,
                    Qt.TransformationMode.FastTransformation,
                )
            )
        )


def _big(pixels: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(True)
    return font


class CompanionPanel(QDialog):
    """Pair the teacher's phone, see and remove devices, let students join."""

    student_codes_wanted = Signal()

    def __init__(self, controller: CompanionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("companionPanel")
        self.setWindowTitle("Phones & tablets")
        self.setModal(False)
        self.controller = controller
        self._choices: list[networks.Network] = []

        self.network_picker = named(QComboBox(), "networkPicker")
        self.network_picker.setMinimumWidth(320)
        self.network_picker.activated.connect(self._on_network_picked)
        self.status_label = named(QLabel(""), "companionStatus")
        self.status_label.setWordWrap(True)

        self.pair_qr = named(QrLabel(), "pairQr")
        self.pair_code = named(QLabel(""), "pairCode")
        self.pair_code.setFont(_big(34))
        self.pair_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pair_address = named(QLabel(""), "pairAddress")
        self.pair_address.setFont(_big(17))
        self.pair_address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_code_button = named(QPushButton("New code"), "newCodeButton")
        self.new_code_button.setToolTip("Make a new pairing code; the old one no longer works")
        self.new_code_button.clicked.connect(controller.new_code)

        self.devices = DevicesModel(self)
        self.devices_table = named(QTableView(), "devicesTable")
        self.devices_table.setModel(self.devices)
        self.devices_table.verticalHeader().hide()
        self.devices_table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        self.devices_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.devices_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REMOVE, QHeaderView.ResizeMode.ResizeToContents)
        self.devices_note = named(QLabel(""), "devicesNote")
        self.devices_note.setStyleSheet(MUTED_STYLE)
        self.end_all_button = named(QPushButton("End all sessions"), "endAllButton")
        self.end_all_button.setToolTip(
            "Every phone and student device has to join again (the pairing code changes too)"
        )
        self.end_all_button.clicked.connect(controller.end_all)

        self.join_code = named(QLabel(""), "joinCode")
        self.join_code.setFont(_big(26))
        self.join_note = named(QLabel(""), "joinNote")
        self.join_note.setWordWrap(True)
        self.show_join_box = named(QCheckBox("Show the join code on the projector"), "showJoinBox")
        self.show_join_box.setToolTip(
            "Students scan the code on the projector or type the class code to join today's "
            "rotation. The pairing code is never shown there."
        )
        self.show_join_box.toggled.connect(controller.set_show_join)
        self.checkin_button = named(QPushButton("Open check-in"), "checkInButton")
        self.checkin_button.setToolTip(
            "Students rate their confidence on today's first target on their own devices"
        )
        self.checkin_button.clicked.connect(self._toggle_checkin)
        self.codes_button = named(QPushButton("Student codes…"), "studentCodesButton")
        self.codes_button.setToolTip("Each student's own code, the same every day: print them once")
        self.codes_button.clicked.connect(self.student_codes_wanted)

        self._build()
        controller.changed.connect(self.refresh)
        self.fill_networks()
        self.refresh()
        self.resize(900, 560)

    def _build(self) -> None:
        top = QHBoxLayout()
        label = QLabel("&Network:")
        label.setBuddy(self.network_picker)
        top.addWidget(label)
        top.addWidget(self.network_picker)
        top.addWidget(self.status_label, 1)

        pair = QGroupBox("Pair your phone")
        pair_layout = QVBoxLayout(pair)
        pair_layout.addWidget(self.pair_qr, 0, Qt.AlignmentFlag.AlignHCenter)
        how = QLabel("Scan with the phone's camera, or open this address and type the code:")
        how.setWordWrap(True)
        pair_layout.addWidget(how)
        pair_layout.addWidget(self.pair_address)
        pair_layout.addWidget(self.pair_code)
        pair_layout.addWidget(self.new_code_button, 0, Qt.AlignmentFlag.AlignLeft)
        warning = QLabel(
            "Keep this window off the projector: whoever scans this code runs the rotation."
        )
        warning.setWordWrap(True)
        warning.setStyleSheet(MUTED_STYLE)
        pair_layout.addWidget(warning)
        pair_layout.addStretch(1)
        pair.setFixedWidth(QR_SIDE + 60)

        devices = QGroupBox("Connected devices")
        devices_layout = QVBoxLayout(devices)
        devices_layout.addWidget(self.devices_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.devices_note, 1)
        row.addWidget(self.end_all_button)
        devices_layout.addLayout(row)

        join = QGroupBox("Students join")
        join_layout = QVBoxLayout(join)
        code_row = QHBoxLayout()
        code_row.addWidget(QLabel("Class code:"))
        code_row.addWidget(self.join_code)
        code_row.addStretch(1)
        code_row.addWidget(self.codes_button)
        join_layout.addLayout(code_row)
        join_layout.addWidget(self.join_note)
        checkin_row = QHBoxLayout()
        checkin_row.addWidget(self.show_join_box)
        checkin_row.addStretch(1)
        checkin_row.addWidget(self.checkin_button)
        join_layout.addLayout(checkin_row)

        right = QVBoxLayout()
        right.addWidget(devices, 1)
        right.addWidget(join)
        middle = QHBoxLayout()
        middle.addWidget(pair)
        middle.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addLayout(middle, 1)

    # --- the network --------------------------------------------------------------

    def fill_networks(self) -> None:
        """The laptop's networks now (Wi-Fi may have changed since the last time)."""
        self._choices = networks.networks()
        self.network_picker.clear()
        for choice in self._choices:
            self.network_picker.addItem(choice.label, choice.address)
        wanted = self.controller.host or networks.NETWORK.get()
        self.network_picker.setCurrentIndex(networks.preferred(self._choices, wanted))

    def chosen_address(self) -> str:
        return str(self.network_picker.currentData() or networks.LOOPBACK)

    def choose(self, address: str) -> None:
        """Pick the network with ``address`` (as the teacher would) and serve on it."""
        index = self.network_picker.findData(address)
        if index < 0:
            raise KeyError(address)
        self.network_picker.setCurrentIndex(index)
        self._on_network_picked(index)

    def _on_network_picked(self, _index: int) -> None:
        address = self.chosen_address()
        networks.NETWORK.set(address)
        if self.controller.on and address != self.controller.host:
            self.controller.use_network(address)

    # --- rendering ----------------------------------------------------------------

    def refresh(self) -> None:
        """Show the controller's state now (called on each of its changes)."""
        controller = self.controller
        access = controller.access
        serving = controller.serving
        if controller.error:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText(controller.error)
        elif controller.starting:
            self.status_label.setStyleSheet(MUTED_STYLE)
            self.status_label.setText("Starting…")
        elif serving:
            self.status_label.setStyleSheet("")
            self.status_label.setText(f"Serving at {controller.url}")
        else:
            self.status_label.setStyleSheet(MUTED_STYLE)
            self.status_label.setText("Off")
        self.pair_qr.set_url(controller.pair_url())
        self.pair_code.setText(spaced(access.pair_code) if access and serving else "")
        self.pair_address.setText(controller.url)
        self.new_code_button.setEnabled(serving)
        self.end_all_button.setEnabled(access is not None)
        self._show_devices()
        card = controller.join_card()
        self.join_code.setText(spaced(card.code) if card else "—")
        if card is not None:
            self.join_note.setText(f"Students open {card.address} and type the class code.")
        elif serving:
            self.join_note.setText("Students can join once a rotation is running.")
        else:
            self.join_note.setText("")
        self.show_join_box.blockSignals(True)
        self.show_join_box.setChecked(controller.show_join)
        self.show_join_box.blockSignals(False)
        self.codes_button.setEnabled(access is not None)
        self.checkin_button.setEnabled(card is not None)
        self.checkin_button.setText(
            "Close check-in" if controller.checkin_open else "Open check-in"
        )

    def _toggle_checkin(self) -> None:
        why = self.controller.set_checkin(not self.controller.checkin_open)
        if why:
            self.join_note.setText(why)

    def _show_devices(self) -> None:
        access = self.controller.access
        sessions = access.devices() if access is not None else []
        self.devices.set_rows(sessions)
        for row in range(len(sessions)):
            button = named(QPushButton("Remove"), f"removeDevice{row}")
            button.setToolTip("End this device's session: it has to join again")
            key = sessions[row].key
            button.clicked.connect(lambda _=False, k=key: self.controller.remove(k))
            self.devices_table.setIndexWidget(self.devices.index(row, REMOVE), button)
        teachers = sum(1 for s in sessions if s.role is Role.TEACHER)
        others = len(sessions) - teachers
        self.devices_note.setText(
            f"{teachers} phone{'' if teachers == 1 else 's'}, "
            f"{others} student device{'' if others == 1 else 's'}"
            if sessions
            else "No devices yet."
        )
