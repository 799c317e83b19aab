"""The first screen of an empty app: try the sample class, create a class, or import.

The sample class is the big, obvious first step: a newcomer sees a working roster,
stations and targets in one click, and can archive the sample later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station_rotation.ui.errors import show_error
from station_rotation.ui.widgets import named

if TYPE_CHECKING:  # the first paint comes before the data layer is imported
    from station_rotation.services.first_screen import FirstScreen

CARD_WIDTH = 600
_PRIMARY_STYLE = """
QPushButton#trySampleButton {
    background: #1f6feb; color: white; border: none; border-radius: 6px;
    font-size: 13pt; font-weight: bold; padding: 10px 24px;
}
QPushButton#trySampleButton:hover { background: #1a5fd0; }
QPushButton#trySampleButton:focus { outline: none; border: 2px solid #0b3d91; }
"""


class WelcomePage(QWidget):
    class_created = Signal(str)
    import_requested = Signal()
    archived_requested = Signal()  # show the archived classes, to restore one
    sync_requested = Signal()  # open the Sync page: connect to the district server

    def __init__(self, services: FirstScreen, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        title = QLabel("Welcome to Station Rotation")
        title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        intro = QLabel(
            "Set up a class, its stations and learning targets, then run rotations on a "
            "timer the whole class can read. Everything is saved on this laptop; no "
            "network needed."
        )
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sample_button = named(QPushButton("Try a sample class"), "trySampleButton")
        self.sample_button.setDefault(True)
        self.sample_button.setMinimumHeight(48)
        self.sample_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.sample_button.setStyleSheet(_PRIMARY_STYLE)
        self.sample_button.clicked.connect(self.try_sample)
        sample_note = QLabel(
            "A grade-6 maths class with 28 students, 4 stations, 4 learning targets and "
            "a rotation plan for today."
        )
        sample_note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        sample_note.setStyleSheet("color: palette(placeholder-text);")
        self.new_button = named(QPushButton("Create a class…"), "createClassButton")
        self.import_button = named(QPushButton("Import a roster…"), "importButton")
        self.import_button.clicked.connect(self.import_requested)
        self.sync_button = named(QPushButton("Connect to district…"), "connectDistrictButton")
        self.sync_button.setToolTip(
            "Bring your classes from your district's server (you need its address and a "
            "one-time code), for example on a second laptop."
        )
        self.sync_button.clicked.connect(self.sync_requested)
        self.archived_button = named(
            QPushButton("Restore an archived class…"), "archivedClassesButton"
        )
        self.archived_button.setFlat(True)
        self.archived_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.archived_button.setStyleSheet("color: palette(link); text-decoration: underline;")
        self.archived_button.clicked.connect(self.archived_requested)
        self.archived_button.hide()
        others = QHBoxLayout()
        others.setSpacing(12)
        for button in (self.new_button, self.import_button, self.sync_button):
            button.setMinimumHeight(36)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            others.addWidget(button)

        card = QFrame()
        card.setObjectName("welcomeCard")
        card.setFixedWidth(CARD_WIDTH)
        card.setStyleSheet(
            "QFrame#welcomeCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; }"
        )
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(14)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addSpacing(8)
        inner.addWidget(self.sample_button)
        inner.addWidget(sample_note)
        inner.addSpacing(8)
        inner.addLayout(others)
        inner.addWidget(self.archived_button, 0, Qt.AlignmentFlag.AlignHCenter)

        # A wrapped label inside a fixed-width card only gets its full height when it
        # knows its own width (Qt's height-for-width is not asked through the card).
        for label in (intro, sample_note):
            label.setWordWrap(True)
            label.setFixedWidth(CARD_WIDTH - 64)
            label.setMinimumHeight(label.heightForWidth(CARD_WIDTH - 64))

        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def refresh(self) -> None:
        """Offer the archived classes when every class has been archived."""
        classes = self.services.classes.list_classes(include_archived=True)
        self.archived_button.setVisible(any(section.archived for section in classes))

    def try_sample(self) -> None:
        """The sample class with a plan for today, ready to start on the Rotation page."""
        from datetime import date

        from station_rotation.services.classes.sample import create_sample_class

        try:
            section = create_sample_class(self.services.full(), todays_plan=date.today())
        except Exception as exc:
            show_error(self, "Could not create the sample class", exc)
            return
        self.class_created.emit(section.id)
