"""A process that runs a rotation and fires commands until it is killed (crash tests).

Prints one JSON line per *acknowledged* command: only what it printed counts as seen
by the teacher. With ``changes`` it runs the sample class's plan and mixes changes to
the run (moves, stays, skips, a student gone and back) with the clock's commands; with
``one-change`` it takes the computers out, says so, and waits to be killed.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.changes import ChangeRefused
from station_rotation.core.rotation.clock import InvalidCommand, RunSpec
from station_rotation.core.rotation.events import EventKind
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class

COMMANDS = [
    (EventKind.PAUSE, 0.0),
    (EventKind.RESUME, 0.0),
    (EventKind.ADD_TIME, 60.0),
    (EventKind.ADD_TIME, -30.0),
    (EventKind.SKIP_FORWARD, 0.0),
    (EventKind.SKIP_BACK, 0.0),
]


def main(data_dir: str, seed: int) -> None:
    rng = random.Random(seed)
    services = AppServices.open(Path(data_dir))
    section = services.classes.create_class(name="Crash test")
    live = services.rotation.start(section.id, RunSpec((600.0, 600.0, 600.0), 60.0))
    anchor = live.anchor
    print(json.dumps({"run": live.run_id, "anchor_mono": anchor.mono}), flush=True)
    while True:
        kind, seconds = rng.choice(COMMANDS)
        try:
            view = services.rotation.command(live.run_id, kind, seconds)
        except InvalidCommand:
            continue
        print(json.dumps({"kind": kind.value, "remaining": view.remaining}), flush=True)


def board_hash(board: Board | None) -> str:
    text = json.dumps(board.to_dict() if board else None, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def with_changes(data_dir: str, seed: int, one: bool) -> None:
    rng = random.Random(seed)
    services = AppServices.open(Path(data_dir))
    section = create_sample_class(services)
    plan = services.plans.create(section.id, "Crash test", date.today())
    spec, board = services.plans.run_for(plan.id)
    live = services.rotation.start(section.id, spec, title="Crash test", board=board)
    print(json.dumps({"run": live.run_id, "anchor_mono": live.anchor.mono}), flush=True)
    changes = services.run_changes
    if one:
        online = next(s for s in board.stations if s.kind == "online")
        made = changes.station_out(live.run_id, online.id)
        print(json.dumps({"change": made.summary, "board": board_hash(live.board)}), flush=True)
        time.sleep(60)
        return
    while True:
        lineup = changes.lineup(live.run_id)
        assert lineup is not None
        groups = [g.id for g in lineup.board.groups]
        students = [s for group in groups for s in lineup.members.get(group, ())]
        try:
            if rng.random() < 0.3:
                kind, seconds = rng.choice(COMMANDS)
                view = services.rotation.command(live.run_id, kind, seconds)
                print(json.dumps({"kind": kind.value, "remaining": view.remaining}), flush=True)
                continue
            move = rng.randrange(5)
            if move == 0:
                made = changes.move_student(live.run_id, rng.choice(students), rng.choice(groups))
            elif move == 1:
                made = changes.stay(live.run_id, rng.choice(groups))
            elif move == 2:
                made = changes.skip(live.run_id, rng.choice(groups))
            elif move == 3 or not lineup.gone:
                made = changes.mark_gone(live.run_id, rng.choice(students))
            else:
                made = changes.add_student(live.run_id, lineup.gone[0], rng.choice(groups))
        except (InvalidCommand, ChangeRefused):
            continue
        print(json.dumps({"change": made.summary, "board": board_hash(live.board)}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 3:
        with_changes(sys.argv[1], int(sys.argv[2]), one=sys.argv[3] == "one-change")
    else:
        main(sys.argv[1], int(sys.argv[2]))
