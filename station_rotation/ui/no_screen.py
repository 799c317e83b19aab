"""Started with no screen to draw on: a plain sentence and a clean exit.

Without a display (an SSH session, a service, ``DISPLAY`` unset) or with no usable Qt
platform (a misspelt ``QT_QPA_PLATFORM``, a missing system library), Qt prints its
plugin diagnostics and aborts the process (exit 134, sometimes a core dump) while the
``QApplication`` is being made. Qt reports that as a fatal message first, so a message
handler installed just for the construction can say what happened in words a teacher or
IT can act on, and end the process with :data:`NO_SCREEN_EXIT` before the abort.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from station_rotation import APP_NAME

NO_SCREEN_EXIT = 2
HEADLESS = (
    "The subcommands (for example `station-rotation export-checks` or `station-rotation "
    "--help`) work without a screen."
)


def no_screen_sentence(env: Mapping[str, str], notes: list[str]) -> str:
    """Why the app cannot open its window, from the environment and Qt's notes."""
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    display = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and platform in ("", "xcb", "wayland") and not display:
        reason = (
            "there is no display to show its window on (DISPLAY is not set). Start it "
            "from the desktop, not from a remote terminal or a service."
        )
    elif platform and any("could not find" in note.lower() for note in notes):
        reason = (
            f"QT_QPA_PLATFORM names a screen system this app does not have ({platform!r}). "
            "Unset it, or set it to xcb or wayland."
        )
    else:
        missing = [note for note in notes if "needed" in note or "missing" in note]
        detail = f" Qt says: {missing[0]}" if missing else ""
        reason = (
            "the screen system could not be started; a system library it needs may be "
            f"missing (ask IT to reinstall the app).{detail}"
        )
    return f"{APP_NAME} cannot open its window: {reason} {HEADLESS}"


@contextmanager
def exit_plainly_without_a_screen() -> Iterator[None]:
    """Around the making of the QApplication: Qt's fatal platform error becomes our
    sentence on stderr and exit code 2; its platform notes are kept, not printed."""
    notes: list[str] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            sys.stderr.write(no_screen_sentence(os.environ, notes) + "\n")
            sys.stderr.flush()
            os._exit(NO_SCREEN_EXIT)  # Qt aborts when this returns; nothing is open yet
        if (context.category or "").startswith("qt.qpa"):
            notes.append(message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
