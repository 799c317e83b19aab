"""The main window on a new data folder and after trying the sample class."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station_rotation.ui.main_window import MainWindow


def test_empty_app_offers_the_sample_class(
    main_window: MainWindow, qtbot, artifacts_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """A newcomer sees the welcome screen; one click gives a working class."""
    assert main_window.stack.currentWidget() is main_window.welcome
    main_window.grab().save(str(artifacts_dir / "welcome.png"))
    qtbot.mouseClick(main_window.welcome.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main_window.current_class_id is not None)
    assert main_window.class_picker.currentText().startswith("Sample")
    assert main_window.stack.currentWidget() is not main_window.welcome or not main_window.pages
