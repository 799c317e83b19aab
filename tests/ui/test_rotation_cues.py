"""Chimes and flashes come at the right moments, and sound is optional, never the flash."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.clock import ClockView
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.ui.projector.window import ProjectorWindow
from station_rotation.ui.rotation import settings
from station_rotation.ui.rotation.chimes import MUTED, NO_DEVICE, NO_MULTIMEDIA, Chimes
from station_rotation.ui.rotation.cues import Cue
from station_rotation.ui.rotation.shortcuts import Command
from station_rotation.ui.rotation.ticker import RotationTicker
from tests.system_libraries import sound_library_problem, sound_library_problem_here
from tests.ui.rotation_helpers import forget_rotation_settings, open_panel, use_fake_time

# The offscreen platform cannot raise windows; the projector asks it to when placed.
OFFSCREEN_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")


@pytest.fixture(autouse=True)
def _default_settings() -> None:
    forget_rotation_settings()


@OFFSCREEN_RAISE
def test_warning_then_change_flash_the_panel_and_the_projector(
    qtbot: QtBot, services: AppServices, artifacts_dir: Path
) -> None:
    """60 s before the end of a 15-minute round: a warning; at the end: the change cue."""
    clock = use_fake_time(services)
    section = create_sample_class(services)
    services.plans.create(section.id, "Fractions", date.today())
    page = open_panel(qtbot, services, section.id)
    page.open_projector()
    projector = page.projector.window
    assert projector is not None
    page.start_selected()
    flashed: list[int] = []
    real_flash = projector.flash
    projector.flash = lambda: (flashed.append(1), real_flash())[1]  # type: ignore[method-assign, func-returns-value]  # a spy: append, then flash

    clock.pass_seconds(15 * 60 - 61)  # 61 s left
    page.ticker.tick_now()
    assert page.countdown.flashes == [] and flashed == []
    clock.pass_seconds(1.5)  # a late tick: 59.5 s left, the 60 s mark was crossed
    page.ticker.tick_now()
    assert page.countdown.flashes == [Cue.WARNING]
    assert page.countdown.flashing == "warning" and len(flashed) == 1
    assert page.countdown.time_label.property("ending") == "true"
    page.resize(1100, 640)
    page.grab().save(str(artifacts_dir / "rotation-panel-warning.png"))
    clock.pass_seconds(10)
    page.ticker.tick_now()
    assert page.countdown.flashes == [Cue.WARNING]  # once per round, not every tick

    clock.pass_seconds(60)  # the round is over: transition
    page.ticker.tick_now()
    assert page.countdown.flashes == [Cue.WARNING, Cue.CHANGE]
    assert len(flashed) == 2
    page.projector.close()


def test_no_warning_when_resuming_inside_the_warning_window(
    qtbot: QtBot, services: AppServices
) -> None:
    """A run picked up with 30 s left does not warn late: it was not seen crossing 60 s."""
    clock = use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.minutes_spin.setValue(2)
    page.start_selected()
    page.cues.reset()
    clock.pass_seconds(90)
    page.ticker.tick_now()
    assert page.countdown.flashes == []


def test_the_warning_time_is_a_setting(qtbot: QtBot, services: AppServices) -> None:
    """The teacher wants two minutes' warning: it comes at 2:00 and is remembered."""
    clock = use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.sound.warning_spin.setValue(120)
    assert settings.WARNING_SECONDS.get() == 120
    page.minutes_spin.setValue(10)
    page.start_selected()
    clock.pass_seconds(8 * 60 + 1)
    page.ticker.tick_now()
    assert page.countdown.flashes == [Cue.WARNING]


def test_without_a_sound_device_the_panel_says_the_flash_still_shows(
    qtbot: QtBot, services: AppServices
) -> None:
    """No audio output here: chimes stay silent, say so plainly, and flashes still come."""
    if _sound_device():
        pytest.skip("this machine has a sound device (see the test that plays a chime)")
    chimes = Chimes()
    assert chimes.prepare() is False
    # No PulseAudio client library (a bare Linux): QtMultimedia itself cannot load.
    assert chimes.note == (NO_MULTIMEDIA if sound_library_problem_here() else NO_DEVICE)
    assert chimes.play(Cue.CHANGE) is False
    _the_flash_still_shows(qtbot, services, chimes)


def test_without_qt_multimedia_the_flash_still_shows(
    qtbot: QtBot, services: AppServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop where QtMultimedia cannot load (no libpulse0): silent, said, still flashing."""
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # the import now fails
    chimes = Chimes()
    assert chimes.prepare() is False
    assert chimes.note == NO_MULTIMEDIA
    assert chimes.play(Cue.WARNING) is False
    _the_flash_still_shows(qtbot, services, chimes)


def _the_flash_still_shows(qtbot: QtBot, services: AppServices, chimes: Chimes) -> None:
    """The panel says what ``chimes`` says, the change still flashes, and mute is said."""
    clock = use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    qtbot.waitUntil(lambda: page.sound.note_label.text() != "")
    assert page.sound.note_label.text() == chimes.note
    page.minutes_spin.setValue(1)
    page.start_selected()
    clock.pass_seconds(61)
    page.ticker.tick_now()
    assert page.countdown.flashes == [Cue.CHANGE]

    page.sound.mute_box.setChecked(True)
    assert settings.CHIMES_MUTED.get() is True
    assert page.sound.note_label.text() == MUTED


def _sound_device() -> bool:
    if sound_library_problem_here():
        return False
    from PySide6.QtMultimedia import QMediaDevices

    return bool(QMediaDevices.audioOutputs())


@pytest.mark.needs_sound_library
def test_with_a_sound_device_the_chime_really_plays(qtbot: QtBot) -> None:
    """A PulseAudio null sink counts as a device: the bundled WAV loads and plays."""
    if not _sound_device():
        pytest.skip("no sound device (start a PulseAudio null sink to run this)")
    chimes = Chimes()
    assert chimes.prepare() is True and chimes.note == ""
    effect = chimes._effects[Cue.CHANGE]
    qtbot.waitUntil(lambda: effect.status() is effect.Status.Ready, timeout=3000)
    assert chimes.play(Cue.CHANGE) is True
    qtbot.waitUntil(effect.isPlaying, timeout=3000)
    settings.CHIMES_MUTED.set(True)
    assert chimes.play(Cue.WARNING) is False


def test_a_machine_without_libpulse_skips_the_sound_tests_naming_the_package() -> None:
    """The reason a bare Debian skips them says what to install: libpulse0."""

    def no_pulse() -> object:
        raise ImportError("libpulse.so.0: cannot open shared object file: No such file")

    def no_addons() -> object:
        raise ModuleNotFoundError("No module named 'PySide6.QtMultimedia'")

    assert "apt-get install libpulse0" in (sound_library_problem(no_pulse) or "")
    assert "PySide6-Addons" in (sound_library_problem(no_addons) or "")
    assert sound_library_problem(lambda: None) is None


def test_the_ticker_lands_on_second_boundaries_without_counting(
    qtbot: QtBot, services: AppServices
) -> None:
    """Real time, about a second: a tick comes just after the shown second changes."""
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.minutes_spin.setValue(1)
    page.start_selected()
    seen: list[tuple[float, float]] = []  # (remaining, how late this tick was)

    def on_tick(view: ClockView) -> None:
        seen.append((view.remaining, page.ticker.lateness[-1]))

    page.ticker.ticked.connect(on_tick)
    qtbot.waitUntil(lambda: len(seen) >= 1, timeout=3000)
    page.ticker.stop()
    for remaining, late in seen:
        past_boundary = 1 - remaining % 1
        # Just past a whole second: by the 3 ms margin plus however late the timer was.
        assert abs(past_boundary - (0.003 + late)) < 0.02, (remaining, late)
    assert max(late for _, late in seen) < 0.5


def test_a_paused_run_does_not_tick(qtbot: QtBot, services: AppServices) -> None:
    """While paused there is nothing to redraw: no timer runs until the next command."""
    use_fake_time(services)
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.start_selected()
    assert page.ticker.active
    page.run_command(Command.START_PAUSE)
    assert page.last_view is not None and page.last_view.paused
    assert not page.ticker.active


@OFFSCREEN_RAISE
@pytest.mark.parametrize("on", [True, False])
def test_the_first_names_choice_is_remembered_and_reaches_the_projector(
    qtbot: QtBot, services: AppServices, on: bool
) -> None:
    """Privacy: group names only unless the teacher turns first names on; kept next time."""
    section = services.classes.create_class(name="Math 6")
    page = open_panel(qtbot, services, section.id)
    page.open_projector()
    page.first_names_box.setChecked(on)
    assert settings.FIRST_NAMES.get() is on
    window = page.projector.window
    assert isinstance(window, ProjectorWindow) and window.first_names is on
    page.projector.close()
    again = open_panel(qtbot, services, section.id)
    assert again.first_names_box.isChecked() is on


def test_ticker_source_none_arms_nothing(qtbot: QtBot) -> None:
    """No run: the ticker emits nothing and stays idle."""
    ticker = RotationTicker(lambda: None)
    assert ticker.tick_now() is None
    assert not ticker.active
