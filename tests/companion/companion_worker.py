"""The laptop app's companion in a process of its own, for the kill tests.

Opens the data folder, follows the class's unfinished run and serves on the given port;
prints the pairing secret (for the test's phone) and "ready". Killed with SIGKILL by
the tests, started again on the same folder and port.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from station_rotation.companion.access import Access
from station_rotation.companion.classroom import Classroom
from station_rotation.companion.server import CompanionServer
from station_rotation.services.app import AppServices


def main(data_dir: str, port: str) -> None:
    services = AppServices.open(Path(data_dir))
    runs = services.rotation.unfinished_runs()
    run = runs[-1]
    access = Access.for_data_folder(Path(data_dir))
    room = Classroom(services, access)
    room.follow(run.class_id, run.run_id)
    server = CompanionServer(room, "127.0.0.1", int(port))
    server.start()
    print(access.pair_secret, flush=True)
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main(*sys.argv[1:])
