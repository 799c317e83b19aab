"""A sample board for the projector's tests and screenshots (a dev helper, not the app's).

Four stations of a grade-6 maths lesson and four to six colour groups rotating through
them, as a plan would snapshot it when a run starts. Run this file to open the projector
on a running 4-round rotation (one minute rounds) and look at it:

    .venv/bin/python tests/ui/projector_sample.py
"""

from __future__ import annotations

from station_rotation.core.rotation.board import Board, BoardGroup, BoardStation

STATIONS = (
    BoardStation(
        "s-teacher",
        "Teacher table",
        "teacher_led",
        "Bring your notebook. We practise adding fractions with unlike denominators.",
    ),
    BoardStation(
        "s-online",
        "Computers",
        "online",
        "Log in and finish the ‘Fractions 3’ playlist.",
        "https://learn.example.org/class/6b/fractions-3",
    ),
    BoardStation(
        "s-collab",
        "Fraction games",
        "collaborative",
        "Play ‘Fraction war’ in pairs. Write down three of your hands.",
        "https://games.example.org/fraction-war",
    ),
    BoardStation(
        "s-indep",
        "Library corner",
        "independent",
        "Worksheet 4B, questions 1–8. Check your answers with the key.",
    ),
    BoardStation("s-build", "Build it", "hands_on", "Model 3/4 with the fraction tiles."),
    BoardStation("s-read", "Reading nook", "independent", "Read the fractions story, page 12."),
)

GROUPS = (
    BoardGroup("g-red", "Red", "#E5484D", ("Ava", "Ben", "Chloe", "Dev", "Ema")),
    BoardGroup("g-blue", "Blue", "#3E8EF7", ("Finn", "Gia", "Hugo", "Isla", "Jon")),
    BoardGroup("g-green", "Green", "#30A46C", ("Kai", "Lena", "Milo", "Nora")),
    BoardGroup("g-yellow", "Yellow", "#F5D90A", ("Omar", "Pia", "Quinn", "Rosa")),
    BoardGroup("g-purple", "Purple", "#8E4EC6", ("Sam", "Tia", "Uma", "Vic")),
    BoardGroup("g-orange", "Orange", "#F76B15", ("Wes", "Xia", "Yara", "Zoe")),
)


def sample_board(groups: int = 4) -> Board:
    """``groups`` groups (2-6) rotating through as many stations, one station each round."""
    stations = STATIONS[:groups]
    ids = [s.id for s in stations]
    rounds = tuple(tuple(ids[(g + r) % groups] for g in range(groups)) for r in range(groups))
    return Board(stations=stations, groups=GROUPS[:groups], rounds=rounds, plan_id="plan-6b")


if __name__ == "__main__":  # pragma: no cover - a tool for looking, not a test
    import sys
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from station_rotation.core.rotation.clock import RotationClock, RunSpec
    from station_rotation.ui.projector.window import ProjectorWindow

    app = QApplication(sys.argv)
    board = sample_board(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
    clock = RotationClock(RunSpec((70.0,) * len(board.rounds), transition_seconds=15.0))
    clock.start(time.monotonic())
    window = ProjectorWindow(first_names=True)
    timer = QTimer(window)
    timer.timeout.connect(
        lambda: window.show_state(clock.view(time.monotonic()), board, "Maths 6B: fractions")
    )
    timer.start(200)
    window.place_on_best_screen()
    sys.exit(app.exec())
