"""Pick the scale a learning target is scored on: a preset, points 0-N, or custom labels.

The editor shows the levels the scale will have, so the teacher sees what a quick check
will offer before saving. It produces the spec string the services store
(see :mod:`station_rotation.core.scales`); the service says if the spec is not valid.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from station_rotation.core.errors import StationRotationError
from station_rotation.core.scales import DEFAULT_SCALE, MAX_POINTS, PRESET_SCALES, parse_scale
from station_rotation.ui.widgets import named

POINTS = "points"
CUSTOM = "custom"


def scale_name(spec: str) -> str:
    """The teacher's name for a stored spec (the spec itself if it cannot be read)."""
    try:
        return parse_scale(spec).name
    except StationRotationError:
        return spec


def split_labels(text: str) -> list[str]:
    """Labels typed as "a, b, c" or "a | b | c", lowest first."""
    separator = "|" if "|" in text else ","
    return [label.strip() for label in text.split(separator)]


class ScaleEditor(QWidget):
    """A combo of scale kinds with the extra field the chosen kind needs."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = named(QComboBox(), "scaleKind")
        for preset in PRESET_SCALES:
            if not preset.spec.startswith(POINTS):
                self.kind_combo.addItem(preset.name, preset.spec)
        self.kind_combo.addItem("Points 0-N", POINTS)
        self.kind_combo.addItem("Custom labels…", CUSTOM)
        self.points_spin = named(QSpinBox(), "scalePoints")
        self.points_spin.setRange(1, MAX_POINTS)
        self.points_spin.setValue(10)
        self.points_spin.setPrefix("0 to ")
        self.points_spin.setSuffix(" points")
        self.custom_edit = named(QLineEdit(), "scaleLabels")
        self.custom_edit.setPlaceholderText("Labels, lowest first: Not yet, Almost, Got it")
        self.preview = named(QLabel(), "scalePreview")
        self.preview.setWordWrap(True)
        self.preview.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind_combo, self.points_spin, self.custom_edit, self.preview):
            layout.addWidget(widget)
        self.kind_combo.currentIndexChanged.connect(self._on_edit)
        self.points_spin.valueChanged.connect(self._on_edit)
        self.custom_edit.textChanged.connect(self._on_edit)
        self.set_spec(DEFAULT_SCALE)

    def spec(self) -> str:
        kind = str(self.kind_combo.currentData())
        if kind == POINTS:
            return f"points:{self.points_spin.value()}"
        if kind == CUSTOM:
            return "custom:" + "|".join(split_labels(self.custom_edit.text()))
        return kind

    def set_spec(self, spec: str) -> None:
        """Show ``spec`` (a spec that cannot be read shows as custom text to fix)."""
        spec = spec.strip() or DEFAULT_SCALE
        widgets = (self.kind_combo, self.points_spin, self.custom_edit)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if spec.startswith(POINTS + ":"):
                self.kind_combo.setCurrentIndex(self.kind_combo.findData(POINTS))
                top = parse_scale(spec).levels[-1]
                self.points_spin.setValue(int(top))
            elif spec.startswith(CUSTOM + ":"):
                self.kind_combo.setCurrentIndex(self.kind_combo.findData(CUSTOM))
                self.custom_edit.setText(", ".join(split_labels(spec.removeprefix("custom:"))))
            else:
                index = self.kind_combo.findData(spec)
                self.kind_combo.setCurrentIndex(max(index, 0))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._refresh()

    def _on_edit(self, *_args: object) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        kind = self.kind_combo.currentData()
        self.points_spin.setVisible(kind == POINTS)
        self.custom_edit.setVisible(kind == CUSTOM)
        try:
            scale = parse_scale(self.spec())
        except StationRotationError as exc:
            self.preview.setText(str(exc))
            return
        levels = " · ".join(
            label if label.startswith(str(value)) else f"{value} {label}"
            for value, label in zip(scale.values, scale.levels, strict=True)
        )
        if kind == POINTS:
            levels = f"{scale.values[0]} to {scale.values[-1]}"
        self.preview.setText(f"Levels: {levels}")
