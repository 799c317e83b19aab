"""The Stations page: the stations of the class's room, in rotation order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from station_rotation.core.stations import MAX_CAPACITY, MAX_MINUTES, StationKind
from station_rotation.services.classes.ordered import OrderedListService
from station_rotation.services.records import Station
from station_rotation.ui.models.ordered_model import Column
from station_rotation.ui.pages.editor_base import OrderedEditorPage
from station_rotation.ui.widgets import named

NEW_STATION_DEFAULTS = dict(
    name="", kind=StationKind.INDEPENDENT, capacity=8, default_minutes=15, instructions=""
)


def kind_label(value: str) -> str:
    try:
        return StationKind(value).label
    except ValueError:
        return value


class StationsPage(OrderedEditorPage[Station]):
    """List, order and edit the stations; archive the ones not in use this term."""

    title = "Stations"
    entity = "station"
    noun = "station"

    def service(self) -> OrderedListService[Station]:
        return self.services.stations

    def columns(self) -> Sequence[Column[Station]]:
        return (
            Column("Name", lambda s: s.name),
            Column("Kind", lambda s: kind_label(s.kind)),
            Column("Capacity", lambda s: str(s.capacity), align_right=True),
            Column("Minutes", lambda s: str(s.default_minutes), align_right=True),
            Column("Link", lambda s: s.content_url.partition("://")[2] or s.content_url),
        )

    def configure_table(self, header: QHeaderView) -> None:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the link takes what is left, elided
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def build_form(self, form: QFormLayout) -> None:
        self.name_edit = named(QLineEdit(), "stationName")
        self.name_edit.setPlaceholderText("For example “Teacher table”")
        self.kind_combo = named(QComboBox(), "stationKind")
        for kind in StationKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.capacity_spin = named(QSpinBox(), "stationCapacity")
        self.capacity_spin.setRange(1, MAX_CAPACITY)
        self.capacity_spin.setSuffix(" students")
        self.minutes_spin = named(QSpinBox(), "stationMinutes")
        self.minutes_spin.setRange(1, MAX_MINUTES)
        self.minutes_spin.setSuffix(" min")
        self.instructions_edit = named(QPlainTextEdit(), "stationInstructions")
        self.instructions_edit.setPlaceholderText("What students do at this station.")
        self.instructions_edit.setTabChangesFocus(True)
        self.instructions_edit.setMinimumHeight(90)
        self.instructions_edit.setMaximumHeight(160)
        projector_note = QLabel("Students see these instructions on the projector.")
        projector_note.setEnabled(False)
        projector_note.setWordWrap(True)
        self.link_edit = named(QLineEdit(), "stationLink")
        self.link_edit.setPlaceholderText("https://… (optional)")
        self.link_edit.setToolTip("A web page students open at this station, if any.")

        form.addRow("&Name:", self.name_edit)
        form.addRow("&Kind:", self.kind_combo)
        form.addRow("&Capacity:", self.capacity_spin)
        form.addRow("Default &time:", self.minutes_spin)
        form.addRow("&Instructions:", self.instructions_edit)
        form.addRow("", projector_note)
        form.addRow("Content &link:", self.link_edit)
        fields: tuple[QWidget, ...] = (
            self.name_edit,
            self.kind_combo,
            self.capacity_spin,
            self.minutes_spin,
            self.instructions_edit,
            self.link_edit,
        )
        for widget in fields:
            self.watch(widget)

    def fill_form(self, record: Station | None) -> None:
        values: dict[str, Any] = (
            dict(NEW_STATION_DEFAULTS, content_url="") if record is None else record.model_dump()
        )
        self.name_edit.setText(values["name"])
        index = self.kind_combo.findData(str(values["kind"]))
        self.kind_combo.setCurrentIndex(max(index, 0))
        self.capacity_spin.setValue(values["capacity"])
        self.minutes_spin.setValue(values["default_minutes"])
        self.instructions_edit.setPlainText(values["instructions"])
        self.link_edit.setText(values["content_url"])

    def form_values(self) -> dict[str, Any]:
        return dict(
            name=self.name_edit.text(),
            kind=self.kind_combo.currentData(),
            capacity=self.capacity_spin.value(),
            default_minutes=self.minutes_spin.value(),
            instructions=self.instructions_edit.toPlainText(),
            content_url=self.link_edit.text(),
        )

    def record_label(self, record: Station) -> str:
        return f"“{record.name}”"
