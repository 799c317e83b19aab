"""A process that runs a rotation and fires commands until it is killed (crash tests).

Prints one JSON line per *acknowledged* command: only what it printed counts as seen
by the teacher.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from station_rotation.core.rotation.clock import InvalidCommand, RunSpec
from station_rotation.core.rotation.events import EventKind
from station_rotation.services.app import AppServices

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


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
