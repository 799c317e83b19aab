"""Started where there is no screen, the app says so in a sentence and exits cleanly,
instead of Qt's plugin diagnostics and an abort (exit 134)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from station_rotation.ui.no_screen import NO_SCREEN_EXIT, no_screen_sentence


def _start_app(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "station_rotation", "--data-dir", str(tmp_path / "data")],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is X11's (Linux)")
def test_no_display_is_said_plainly_and_the_app_exits_cleanly(tmp_path: Path) -> None:
    """xcb with DISPLAY unset (an SSH session): our sentence, exit 2, no Qt abort."""
    result = _start_app(tmp_path, QT_QPA_PLATFORM="xcb")
    assert result.returncode == NO_SCREEN_EXIT, result.stderr
    assert "Station Rotation cannot open its window: there is no display" in result.stderr
    assert "Available platform plugins" not in result.stderr
    assert "qt.qpa" not in result.stderr


def test_a_platform_that_does_not_exist_is_named(tmp_path: Path) -> None:
    """A misspelt QT_QPA_PLATFORM: the sentence names it and says what to do."""
    result = _start_app(tmp_path, QT_QPA_PLATFORM="bogus")
    assert result.returncode == NO_SCREEN_EXIT, result.stderr
    assert result.returncode != 134
    assert "screen system this app does not have ('bogus')" in result.stderr
    assert "Unset it" in result.stderr
    assert "Available platform plugins" not in result.stderr


def test_the_sentence_for_a_missing_library_keeps_qts_clue() -> None:
    """Neither case above: the one useful line of Qt's (a library it needs) is kept."""
    notes = ["Could not load the Qt platform plugin", "libxcb-cursor0 is needed to load xcb"]
    text = no_screen_sentence({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, notes)
    assert "a system library it needs may be missing" in text
    assert "libxcb-cursor0 is needed" in text
    assert "work without a screen" in text
