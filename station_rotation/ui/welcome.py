"""The first screen of an empty app: try the sample class, create a class, or import."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from station_rotation.services.app import AppServices
from station_rotation.services.sample import create_sample_class
from station_rotation.ui.errors import show_error
from station_rotation.ui.widgets import named


class WelcomePage(QWidget):
    class_created = Signal(str)
    import_requested = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        title = QLabel("<h1>Welcome to Station Rotation</h1>")
        intro = QLabel(
            "Set up a class, its stations and learning targets, then run rotations on a "
            "timer the whole class can read. Everything is saved on this laptop; no "
            "network needed."
        )
        intro.setWordWrap(True)
        self.sample_button = named(QPushButton("Try a sample class"), "trySampleButton")
        self.sample_button.setDefault(True)
        self.sample_button.clicked.connect(self.try_sample)
        self.new_button = named(QPushButton("Create a class…"), "createClassButton")
        self.import_button = named(QPushButton("Import a roster…"), "importButton")
        self.import_button.clicked.connect(self.import_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, intro, self.sample_button, self.new_button, self.import_button):
            widget.setMaximumWidth(560)
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def try_sample(self) -> None:
        try:
            section = create_sample_class(self.services)
        except Exception as exc:
            show_error(self, "Could not create the sample class", exc)
            return
        self.class_created.emit(section.id)
