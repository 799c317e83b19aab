"""The class reads the projector: countdown, round, who is where, what to do, where next."""

from __future__ import annotations

from pathlib import Path

import pytest
from projector_sample import sample_board
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.clock import ClockView, RotationClock, RunSpec
from station_rotation.ui.projector import theme
from station_rotation.ui.projector.window import ProjectorWindow
from tests.docs_images import docs_image

ROUND, GAP = 900.0, 60.0  # 15-minute rounds, a minute to move
TITLE = "Maths 6B: fractions"


def run_clock(rounds: int = 4) -> RotationClock:
    clock = RotationClock(RunSpec((ROUND,) * rounds, transition_seconds=GAP))
    clock.start(0.0)
    return clock


def at_round(round_number: int, seconds_in: float) -> float:
    """The clock time ``seconds_in`` seconds into round ``round_number`` (1-based)."""
    return (round_number - 1) * (ROUND + GAP) + seconds_in


@pytest.fixture
def projector(qtbot: QtBot) -> ProjectorWindow:
    window = ProjectorWindow()
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def show(window: ProjectorWindow, view: ClockView, board: Board | None) -> QImage:
    window.show_state(view, board, TITLE)
    return window.grab().toImage()


def count_colour(image: QImage, colour: QColor, tolerance: int = 24) -> int:
    """Pixels close to ``colour`` (sampled every 4th pixel: enough and quick)."""
    hits = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - colour.red())
                + abs(pixel.green() - colour.green())
                + abs(pixel.blue() - colour.blue())
                <= tolerance
            ):
                hits += 1
    return hits


def test_a_round_shows_countdown_round_groups_stations_and_next(projector: ProjectorWindow) -> None:
    """5 min 22 s into round 2 of 4: 9:38 left, and every group's station and next."""
    board = sample_board(4)
    show(projector, run_clock().view(at_round(2, 322)), board)

    assert projector.countdown.text == "9:38"
    assert projector.round_label.text() == "Round 2 of 4"
    assert projector.title_label.text() == TITLE
    texts = projector.board_view.drawn_texts()
    for move in board.moves(1):
        assert move.group.name in texts
        assert move.now is not None and move.now.name in texts
        assert move.now.instructions in texts
        assert move.next is not None and f"Next: {move.next.name}" in texts


def test_the_countdown_turns_amber_in_the_last_minute(projector: ProjectorWindow) -> None:
    """With a minute left the digits change colour (and say so); before, they are white."""
    clock, board = run_clock(), sample_board(4)
    show(projector, clock.view(at_round(1, ROUND - 61)), board)
    calm = projector.countdown.grab().toImage()
    assert projector.countdown.text == "1:01"
    assert count_colour(calm, theme.AMBER) == 0
    assert count_colour(calm, theme.TEXT) > 500

    show(projector, clock.view(at_round(1, ROUND - 42)), board)
    last = projector.countdown.grab().toImage()
    assert projector.countdown.text == "0:42"
    assert count_colour(last, theme.AMBER) > 500
    assert count_colour(last, theme.TEXT) == 0
    assert projector.status_label.text() == "Last minute"


def test_a_paused_rotation_says_paused_and_greys_the_countdown(projector: ProjectorWindow) -> None:
    """The teacher pauses: "Paused" appears, the digits go grey and stop."""
    clock, board = run_clock(), sample_board(4)
    clock.pause(at_round(1, 100))
    show(projector, clock.view(at_round(1, 400)), board)

    assert projector.status_label.text() == "Paused"
    assert projector.status_label.isVisible()
    assert projector.countdown.text == "13:20"
    assert count_colour(projector.countdown.grab().toImage(), theme.TEXT) == 0


def test_the_transition_tells_every_group_where_to_move(projector: ProjectorWindow) -> None:
    """Between rounds 2 and 3: "Clean up and move", and Red → its round-3 station."""
    board = sample_board(4)
    show(projector, run_clock().view(at_round(2, ROUND + 20)), board)

    assert projector.status_label.text() == "Clean up and move"
    assert projector.round_label.text() == "Next: round 3 of 4"
    assert projector.countdown.text == "0:40"
    texts = projector.board_view.drawn_texts()
    for before, after in zip(board.moves(1), board.moves(2), strict=True):
        assert after.group.name in texts
        assert after.now is not None and f"→ {after.now.name}" in texts
        assert before.now is not None and f"from {before.now.name}" in texts
    assert not any(text.startswith("Next:") for text in texts)


def test_the_finished_screen_thanks_the_class(projector: ProjectorWindow) -> None:
    """After the last round: no groups, a plain "all done"."""
    clock = run_clock()
    clock.end(at_round(4, 300))
    show(projector, clock.view(at_round(4, 400)), sample_board(4))

    assert projector.status_label.text() == "Finished"
    assert projector.board_view.drawn_texts() == ["All done. Well done, everyone!"]


def test_first_names_only_when_the_privacy_setting_allows(projector: ProjectorWindow) -> None:
    """By default groups are named only; the teacher can show first names too, and hide them."""
    board = sample_board(4)
    names = [name for group in board.groups for name in group.first_names]
    show(projector, run_clock().view(10), board)
    assert projector.first_names is False
    texts = " ".join(projector.board_view.drawn_texts())
    assert not any(name in texts for name in names)

    projector.set_first_names(True)
    texts = " ".join(projector.board_view.drawn_texts())
    assert "Ava, Ben, Chloe, Dev, Ema" in texts

    projector.set_first_names(False)
    texts = " ".join(projector.board_view.drawn_texts())
    assert not any(name in texts for name in names)


def test_the_board_holds_nothing_private_to_show() -> None:
    """No score, tier or support label can reach the projector: the board has no field for one."""
    from dataclasses import fields

    from station_rotation.core.rotation.board import BoardGroup, BoardStation
    from station_rotation.ui.projector.scene import Row

    assert {f.name for f in fields(BoardGroup)} == {"id", "name", "colour", "first_names"}
    assert {f.name for f in fields(BoardStation)} == {
        "id",
        "name",
        "kind",
        "instructions",
        "content_url",
    }
    assert {f.name for f in fields(Row)} == {
        "group",
        "colour",
        "members",
        "station",
        "instructions",
        "next_station",
        "from_station",
        "content_url",
        "symbol",
    }


def _ink_mask(image: QImage, rect: QRect, ink: QColor, steps: int = 12) -> tuple[bool, ...]:
    """Which of ``steps``×``steps`` sample points of ``rect`` are painted in ``ink``."""
    mask = []
    for j in range(steps):
        for i in range(steps):
            x = rect.left() + round((i + 0.5) * rect.width() / steps)
            y = rect.top() + round((j + 0.5) * rect.height() / steps)
            pixel = image.pixelColor(x, y)
            mask.append(
                abs(pixel.red() - ink.red())
                + abs(pixel.green() - ink.green())
                + abs(pixel.blue() - ink.blue())
                < 60
            )
    return tuple(mask)


def test_every_card_header_shows_its_groups_shape(projector: ProjectorWindow) -> None:
    """Each card's band leads with the group's shape (the rule of the paper cards), painted
    in the band's ink, so a group reads on a faded or colour-blind view of the board."""
    board = sample_board(6)
    show(projector, run_clock(6).view(at_round(2, 322)), board)
    view = projector.board_view
    shapes = board.symbols()
    drawn = view.symbols_drawn
    assert [name for name, _rect in drawn] == [shapes[g.id].name for g in board.groups]
    assert len({name for name, _rect in drawn}) == 6
    image = view.grab().toImage()
    ratio = image.devicePixelRatio()
    masks = []
    for (_name, rect), group in zip(drawn, board.groups, strict=True):
        assert rect.height() >= 40  # big enough to read from the back of the room
        scaled = QRect(
            round(rect.x() * ratio),
            round(rect.y() * ratio),
            round(rect.width() * ratio),
            round(rect.height() * ratio),
        )
        mask = _ink_mask(image, scaled, theme.text_on(QColor(group.colour)))
        assert 0.2 < sum(mask) / len(mask) < 0.95  # a shape, not an empty or full square
        masks.append(mask)
    assert len(set(masks)) == len(masks)  # six different pictures


def test_a_station_with_a_link_gets_its_qr_code_on_screen(projector: ProjectorWindow) -> None:
    """The code drawn for "Computers" is its link's code, module for module."""
    import segno

    from station_rotation.ui.projector.qr import QUIET_ZONE

    board = sample_board(4)
    image = show(projector, run_clock().view(10), board)
    linked = {s.content_url for s in board.stations if s.content_url}
    drawn = projector.board_view.qr_drawn
    assert set(drawn) == linked

    url = "https://learn.example.org/class/6b/fractions-3"
    spot = drawn[url].translated(projector.board_view.mapTo(projector, projector.rect().topLeft()))
    matrix = [list(row) for row in segno.make(url, error="l").matrix_iter(border=QUIET_ZONE)]
    module = spot.width() / len(matrix)
    assert module >= 3  # whole, visible modules
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.pixelColor(
                round(spot.left() + (x + 0.5) * module), round(spot.top() + (y + 0.5) * module)
            )
            assert (pixel.lightness() < 128) == bool(dark), (x, y)


def test_the_countdown_fills_a_fifth_of_the_screen_and_type_follows_the_window(
    projector: ProjectorWindow,
    qtbot: QtBot,
) -> None:
    """Digits at least a fifth of the window's height; all type scales with the window."""
    show(projector, run_clock().view(10), sample_board(4))
    assert projector.countdown.digit_height() >= 1080 / 5
    big_round = projector.round_label.font().pixelSize()

    projector.resize(1280, 720)
    qtbot.waitUntil(lambda: projector.countdown.height() < 400)
    assert projector.countdown.digit_height() >= 720 / 5
    assert projector.round_label.font().pixelSize() == pytest.approx(big_round * 2 / 3, abs=2)

    projector.resize(1024, 768)  # a 4:3 projector: the countdown takes the whole width
    qtbot.waitUntil(lambda: projector.countdown.width() > 900)
    assert projector.countdown.digit_height() >= 768 / 5
    assert projector.round_label.width() > 100 and projector.title_label.width() > 100


def test_ticks_only_repaint_the_digits_when_the_second_changes(
    projector: ProjectorWindow, qtbot: QtBot
) -> None:
    """Ten ticks a second: the cards are laid out once, the digits drawn once a second."""
    from PySide6.QtWidgets import QApplication

    clock, board = run_clock(), sample_board(4)
    show(projector, clock.view(10.0), board)
    QApplication.processEvents()
    layouts, repaints = projector.board_view.layouts, projector.countdown.repaints
    for tick in range(1, 31):  # three seconds at 10 Hz
        projector.show_state(clock.view(10.0 + tick / 10), board, TITLE)
        QApplication.processEvents()
    assert projector.board_view.layouts == layouts
    # The digits change 3 times; the bar grows ~1 pixel a second: far fewer than 30 paints.
    assert projector.countdown.repaints - repaints <= 8


def test_flash_blinks_the_whole_window_then_stops(projector: ProjectorWindow, qtbot: QtBot) -> None:
    """At the end of a round the window flashes in amber a few times, then shows the board."""
    show(projector, run_clock().view(10), sample_board(4))
    projector.flash()
    assert projector.flashing
    image = projector.grab().toImage()
    assert image.pixelColor(960, 540) == theme.FLASH
    qtbot.waitUntil(lambda: not projector.flashing, timeout=5000)
    assert projector.grab().toImage().pixelColor(960, 540) != theme.FLASH


def test_no_board_still_shows_the_time(projector: ProjectorWindow) -> None:
    """A run started without a plan's board: the countdown and round, no cards."""
    show(projector, run_clock(2).view(30), None)
    assert projector.countdown.text == "14:30"
    assert projector.round_label.text() == "Round 1 of 2"
    assert projector.board_view.drawn_texts() == []


@pytest.mark.parametrize(
    ("name", "groups", "seconds", "names"),
    [
        ("round", 4, at_round(2, 322), False),
        ("round-first-names", 4, at_round(2, 322), True),
        ("last-minute", 4, at_round(2, ROUND - 42), False),
        ("transition", 4, at_round(2, ROUND + 20), False),
        ("round-6-groups", 6, at_round(2, 322), False),
        ("transition-6-groups", 6, at_round(2, ROUND + 20), True),
    ],
)
def test_screenshots_for_people_to_look_at(
    projector: ProjectorWindow,
    artifacts_dir: Path,
    name: str,
    groups: int,
    seconds: float,
    names: bool,
) -> None:
    """1920×1080 pictures of the projector in test-artifacts/ (look at them from afar)."""
    projector.set_first_names(names)
    image = show(projector, run_clock(groups).view(seconds), sample_board(groups))
    assert image.width() == 1920 and image.height() == 1080
    path = artifacts_dir / f"projector-{name}.png"
    assert image.save(str(path))
    if name == "round":
        # The README's picture: a round, no first names (the default).
        assert image.save(str(docs_image("projector.png")))


def test_escape_leaves_full_screen_and_double_click_returns(
    projector: ProjectorWindow, qtbot: QtBot
) -> None:
    """The teacher can get the projector out of full screen by hand, and back."""
    from PySide6.QtCore import Qt

    projector.showFullScreen()
    qtbot.waitUntil(projector.isFullScreen)
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not projector.isFullScreen())
    qtbot.mouseDClick(projector, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(projector.isFullScreen)
