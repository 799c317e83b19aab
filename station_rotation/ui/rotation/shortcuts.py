"""The panel's keyboard commands: one key each, shown on the buttons and their tips.

The shortcuts live on the rotation page with a window context: they work wherever the
focus is in the main window while the page is shown (the navigation list included), and
never while another page is shown, so Space typed into another page's text field is a
space. Text fields on the page itself keep their keys (Qt lets an editor claim them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget


class Command(StrEnum):
    START_PAUSE = "start_pause"
    ADD_ONE = "add_one"
    ADD_FIVE = "add_five"
    REMOVE_ONE = "remove_one"
    NEXT = "next"
    BACK = "back"
    END = "end"
    BLANK = "blank"


@dataclass(frozen=True)
class Binding:
    label: str
    keys: tuple[str, ...]  # the first one is shown
    tip: str

    @property
    def shown_key(self) -> str:
        return QKeySequence(self.keys[0]).toString(QKeySequence.SequenceFormat.NativeText)

    @property
    def button_text(self) -> str:
        return f"{self.label}  [{self.shown_key}]"


BINDINGS: dict[Command, Binding] = {
    Command.START_PAUSE: Binding("Start / Pause", ("Space",), "Start the plan, pause or resume"),
    Command.ADD_ONE: Binding("+1 min", ("+", "="), "Add a minute to this round"),
    Command.ADD_FIVE: Binding("+5 min", ("5",), "Add five minutes to this round"),
    Command.REMOVE_ONE: Binding("−1 min", ("-",), "Take a minute off this round"),
    Command.BACK: Binding("Back", ("B",), "Back to the start of the previous round"),
    Command.NEXT: Binding("Next", ("N",), "Skip to the next round or transition"),
    Command.END: Binding("End…", ("E",), "End the rotation (asks first)"),
    # B is Back, so "." as in presentation programs; the clock keeps running.
    Command.BLANK: Binding(
        "Blank projector", (".",), 'Black out the projector with "Eyes on me", or show it again'
    ),
}


def label_button(button: QAbstractButton, command: Command) -> None:
    """Show the key on the button and in its tooltip."""
    binding = BINDINGS[command]
    button.setText(binding.button_text)
    button.setToolTip(f"{binding.tip} (key: {binding.shown_key})")


def install(page: QWidget, run: Callable[[Command], None]) -> dict[Command, QShortcut]:
    """Create the shortcuts on ``page``; each calls ``run(command)``."""
    shortcuts: dict[Command, QShortcut] = {}
    for command, binding in BINDINGS.items():
        shortcut = QShortcut(page)
        shortcut.setKeys([QKeySequence(k) for k in binding.keys])
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.setAutoRepeat(False)  # a held Space must not toggle pause on and off
        shortcut.activated.connect(lambda c=command: run(c))
        shortcuts[command] = shortcut
    return shortcuts
