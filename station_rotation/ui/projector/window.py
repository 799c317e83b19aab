"""The projector window: what the class sees on the second screen during a rotation.

The rotation panel creates it and calls :meth:`ProjectorWindow.show_state` on every tick.
That call must stay cheap (the tick-lateness target): the scene (texts and group cards)
is rebuilt only when the phase, round, pause, board, title or privacy setting changed;
otherwise only the countdown is told the new seconds, and it repaints only when its
text, colour or bar length changed. Sizes follow the window, so the same window reads
from the back of a room full-screen on a projector and as a small preview on a laptop.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.clock import ClockView, Phase
from station_rotation.ui.projector import theme
from station_rotation.ui.projector.blank import EYES_ON_ME, BlankOverlay
from station_rotation.ui.projector.board_view import BoardView
from station_rotation.ui.projector.countdown import CountdownView
from station_rotation.ui.projector.join_band import JoinBand, JoinCard
from station_rotation.ui.projector.qr import QrCache
from station_rotation.ui.projector.scene import (
    Scene,
    Tone,
    countdown_text,
    in_last_minute,
    scene_for,
    tone_of,
)
from station_rotation.ui.projector.screens import ScreenFollower, best_qscreen, teacher_qscreen
from station_rotation.ui.rotation.settings import PROJECTOR_SCREEN
from station_rotation.ui.widgets import named

FLASH_PULSES = 3
FLASH_ON_MS = 280
FLASH_OFF_MS = 220
WINDOWED_SHARE = 0.66  # of the teacher's screen, when there is no second screen
NARROW = 1.5  # width / height under which the countdown takes the whole width


class _FlashOverlay(QWidget):
    """A full-window block of colour, shown for a moment at the end of a round."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.FLASH)
        painter.end()


class ProjectorWindow(QWidget):
    """The class's view of a running rotation; its own top-level window."""

    def __init__(self, *, first_names: bool = False) -> None:
        super().__init__(None)
        self.setWindowTitle("Station Rotation: projector")
        self.setObjectName("projector-window")
        self._first_names = first_names
        self._qr = QrCache()
        self._last: tuple[ClockView, Board | None, str] | None = None
        self._scene_key: tuple[object, ...] | None = None
        self.scene: Scene | None = None
        self._following = False
        self._status_style = ""

        self.countdown = CountdownView(self)
        self.round_label = named(QLabel(self), "projector-round")
        self.status_label = named(QLabel(self), "projector-status")
        self.title_label = named(QLabel(self), "projector-title")
        for label in (self.round_label, self.title_label):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The status hugs its text, so "Paused" can sit in a pill of its own size.
        policy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        policy.setRetainSizeWhenHidden(True)  # the round number does not jump when it shows
        self.status_label.setSizePolicy(policy)
        # A long status ("Next round starts when your teacher says") wraps rather than
        # squeezing the countdown.
        self.status_label.setWordWrap(True)
        self.round_label.setStyleSheet(f"color: {theme.TEXT.name()};")
        self.title_label.setStyleSheet(f"color: {theme.MUTED.name()};")
        self.board_view = BoardView(self._qr, self)

        info = QVBoxLayout()
        info.addStretch(1)
        info.addWidget(self.round_label)
        info.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignLeft)
        info.addWidget(self.title_label)
        info.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.countdown, 5)
        top.addLayout(info, 4)
        self._top, self._info = top, info
        root = QVBoxLayout(self)
        root.addLayout(top)
        root.addWidget(self.board_view, 1)
        self.join_band = JoinBand(self._qr, self)
        root.addWidget(self.join_band)
        self._root = root

        self._overlay = _FlashOverlay(self)
        self._blank = BlankOverlay(self)
        self._blanked = False
        self._pulses_left = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._flash_step)
        self._follower = ScreenFollower(self._screens_changed, self)
        self.resize(1280, 720)

    # --- the contract with the rotation panel ---------------------------------------

    def show_state(self, view: ClockView, board: Board | None, title: str = "") -> None:
        """Show ``view`` (called on every tick: cheap unless something besides time moved)."""
        self._last = (view, board, title)
        key = (
            view.phase,
            view.round_index,
            view.rounds,
            view.paused,
            view.waiting,
            in_last_minute(view),
            board,
            title,
            self._first_names,
        )
        if key != self._scene_key:
            self._scene_key = key
            self._show_scene(scene_for(view, board, first_names=self._first_names), title)
        if view.phase is Phase.FINISHED:
            self.countdown.set_state(countdown_text(0), tone_of(view), 1.0)
            return
        gone = view.segment_seconds - view.remaining
        fraction = gone / view.segment_seconds if view.segment_seconds > 0 else 0.0
        if view.phase is Phase.NOT_STARTED:
            fraction = 0.0
        self.countdown.set_state(countdown_text(view.remaining), tone_of(view), fraction)

    def flash(self) -> None:
        """Flash the whole window a few times (for students who do not hear the chime).

        Not while blanked: the teacher has the class's eyes, and the clock goes on.
        """
        if self.blanked:
            return
        self._pulses_left = FLASH_PULSES
        self._overlay.setGeometry(self.rect())
        self._overlay.raise_()
        self._overlay.show()
        self._flash_timer.start(FLASH_ON_MS)

    def set_first_names(self, on: bool) -> None:
        """Privacy: show the groups' first names too (on), or group names only (off)."""
        if on == self._first_names:
            return
        self._first_names = on
        if self._last is not None:
            self.show_state(*self._last)

    @property
    def first_names(self) -> bool:
        return self._first_names

    def set_blank(self, on: bool, *, black: bool = False) -> None:
        """Black with "Eyes on me" (on; plain black when ``black``), or the rotation again."""
        self._blanked = on
        self._blank.words = "" if black else EYES_ON_ME
        if on:
            self._blank.setGeometry(self.rect())
            self._blank.raise_()
            self._blank.show()
        else:
            self._blank.hide()

    @property
    def blanked(self) -> bool:
        return self._blanked

    def show_join(self, card: JoinCard | None) -> None:
        """The students' join code along the foot of the screen (None: hidden)."""
        self.join_band.set_card(card)

    def place_on_best_screen(self) -> None:
        """Full-screen on a second screen if there is one, else a normal window; and
        from now on, follow screens being plugged in or out while the window is shown."""
        self._following = True
        self._place(gone=None)

    # --- flash ----------------------------------------------------------------------

    @property
    def flashing(self) -> bool:
        return self._overlay.isVisible()

    def _flash_step(self) -> None:
        if self._overlay.isVisible():
            self._overlay.hide()
            self._pulses_left -= 1
            if self._pulses_left > 0:
                self._flash_timer.start(FLASH_OFF_MS)
        else:
            self._overlay.show()
            self._flash_timer.start(FLASH_ON_MS)

    # --- screens --------------------------------------------------------------------

    def _screens_changed(self, gone: QScreen | None) -> None:
        if self._following and self.isVisible():
            self._place(gone)

    def _place(self, gone: QScreen | None) -> None:
        target = best_qscreen(gone, PROJECTOR_SCREEN.get())
        if target is not None:
            if self.isVisible() and self.isFullScreen() and self.screen() is target:
                return
            self.setScreen(target)
            self.setGeometry(target.geometry())
            self.showFullScreen()
            self.setCursor(Qt.CursorShape.BlankCursor)
            return
        primary = teacher_qscreen(gone)
        self.unsetCursor()
        if self.isVisible() and not self.isFullScreen() and self.screen() is primary:
            return  # the teacher's window stays where the teacher put it
        self.showNormal()
        if primary is not None:
            self.setScreen(primary)
            available = primary.availableGeometry()
            width = round(available.width() * WINDOWED_SHARE)
            height = round(available.height() * WINDOWED_SHARE)
            self.setGeometry(
                QRect(
                    available.left() + (available.width() - width) // 2,
                    available.top() + (available.height() - height) // 2,
                    width,
                    height,
                )
            )
        self.show()

    # --- keys and mouse: leave or enter full screen by hand -------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            self.unsetCursor()
        elif event.key() == Qt.Key.Key_F11:
            self._toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._toggle_full_screen()

    def _toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.unsetCursor()
        else:
            self.showFullScreen()
            self._remember_screen()

    def _remember_screen(self) -> None:
        """The teacher put the projector full screen here: it opens here next time (never
        on her own screen, which :func:`choose_screen` keeps out anyway)."""
        screen, own = self.screen(), teacher_qscreen()
        if screen is not None and screen is not own:
            PROJECTOR_SCREEN.set(screen.name())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._flash_timer.stop()
        self._overlay.hide()
        super().closeEvent(event)

    # --- drawing --------------------------------------------------------------------

    def _show_scene(self, scene: Scene, title: str) -> None:
        self.scene = scene
        self.round_label.setText(scene.round_text)
        self.status_label.setText(scene.status)
        self.status_label.setVisible(bool(scene.status))
        self.title_label.setText(title)
        self.title_label.setVisible(bool(title))
        tone = tone_of(self._last[0]) if self._last else Tone.CALM
        self._style_status(tone)
        self.board_view.set_scene(scene.mode, scene.rows, scene.message)

    def _style_status(self, tone: Tone) -> None:
        """Tone colour; "Paused" is dark on a light pill, unmissable and unlike a warning."""
        unit = self._unit()
        if tone is Tone.PAUSED:
            style = (
                f"color: {theme.BACKGROUND.name()}; background: {theme.PAUSED_PILL.name()};"
                f" border-radius: {round(unit * 0.02)}px;"
                f" padding: {round(unit * 0.004)}px {round(unit * 0.025)}px;"
            )
        else:
            style = f"color: {theme.TONE_COLOURS[tone].name()};"
        if style != self._status_style:
            self._status_style = style
            self.status_label.setStyleSheet(style)

    def _unit(self) -> float:
        """The height of the largest 16:9 box in the window: every size is a share of it."""
        return min(self.height(), self.width() * 9 / 16)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Type and spacing follow the window's size (a 16:9 box inside it)."""
        unit = self._unit()
        margin = round(unit * 0.04)
        self._root.setContentsMargins(margin, margin, margin, margin)
        self._root.setSpacing(round(unit * 0.035))
        self._top.setSpacing(round(unit * 0.04))
        # On a 4:3 or 5:4 projector the countdown needs the full width to stay a fifth of
        # the height: the round, status and title then go in one line under it.
        narrow = self.width() < self.height() * NARROW
        horizontal, vertical = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self._top.setDirection(vertical if narrow else horizontal)
        self._info.setDirection(horizontal if narrow else vertical)
        for index, stretch in enumerate((0, 1, 0, 1, 0) if narrow else (1, 0, 0, 0, 1)):
            self._info.setStretch(index, stretch)  # in a line the labels share the width
        self.countdown.setFixedHeight(round(self.height() * 0.3 if narrow else unit * 0.31))
        self.round_label.setFont(theme.font(unit * 0.06, bold=True))
        self.status_label.setFont(theme.font(unit * 0.062, bold=True))
        if self._last is not None:
            self._style_status(tone_of(self._last[0]))
        self.title_label.setFont(theme.font(unit * 0.042))
        self.join_band.setFixedHeight(round(unit * 0.2))
        self._overlay.setGeometry(self.rect())
        self._blank.setGeometry(self.rect())
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), theme.BACKGROUND)
        painter.end()
