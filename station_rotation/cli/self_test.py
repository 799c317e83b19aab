"""``station-rotation self-test``: prove an installed copy works, step by step.

District IT runs it after installing (and CI runs it on the frozen bundle) to learn in
seconds whether the app can create its data file, migrate it, hold a class and draw its
window on this machine. It works in a throw-away data folder, so it never touches a
teacher's data, and it names the step that failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from station_rotation import APP_NAME, __version__

Step = Callable[[Path], str]


def _resources(_data_dir: Path) -> str:
    from station_rotation.paths import resource_path, resources_dir

    icon = resource_path("icons", "station-rotation.png")
    if not resources_dir().is_dir():
        raise RuntimeError(f"the resources folder {resources_dir()} is missing")
    if not icon.is_file():
        raise RuntimeError(f"the app icon {icon} is missing")
    return f"found in {resources_dir()}"


def _migrations(_data_dir: Path) -> str:
    from station_rotation.store.migrate import MIGRATIONS_DIR
    from station_rotation.store.schema_version import KNOWN_REVISIONS

    scripts = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise RuntimeError(f"the migrations folder {MIGRATIONS_DIR} is missing")
    if len(scripts) < len(KNOWN_REVISIONS):
        raise RuntimeError(
            f"{len(scripts)} migration scripts in {MIGRATIONS_DIR}, expected {len(KNOWN_REVISIONS)}"
        )
    return f"{len(scripts)} scripts in {MIGRATIONS_DIR}"


def _open_store(data_dir: Path) -> str:
    from station_rotation.services.app import AppServices
    from station_rotation.store.schema_version import HEAD_REVISION

    AppServices.open(data_dir).close()
    return f"created and migrated to schema {HEAD_REVISION}"


def _sample_class(data_dir: Path) -> str:
    from station_rotation.services.app import AppServices
    from station_rotation.services.classes.sample import create_sample_class

    services = AppServices.open(data_dir)
    try:
        section = create_sample_class(services)
        count = len(services.roster.roster(section.id))
    finally:
        services.close()
    return f"{section.name!r} with {count} students"


def _companion(data_dir: Path) -> str:
    """The phones' web server answers its page and a paired phone's view, on loopback."""
    from datetime import date

    import httpx

    from station_rotation.companion.access import Access
    from station_rotation.companion.classroom import Classroom
    from station_rotation.companion.server import CompanionServer
    from station_rotation.services.app import AppServices

    services = AppServices.open(data_dir)
    try:
        section = services.classes.list_classes()[0]
        plan = services.plans.create(section.id, "Self-test", date.today())
        spec, board = services.plans.run_for(plan.id)
        run = services.rotation.start(section.id, spec, board=board)
        room = Classroom(services, Access.for_data_folder(data_dir))
        room.follow(section.id, run.run_id)
        server = CompanionServer(room, "127.0.0.1", port=0)
        server.start()
        try:
            headers = {"X-Companion": "1", "Origin": server.url}
            with httpx.Client(base_url=server.url, headers=headers, timeout=10) as phone:
                phone.get("/").raise_for_status()
                phone.get("/static/teacher.js").raise_for_status()
                secret = room.access.pair_secret
                phone.post("/api/pair", json={"secret": secret}).raise_for_status()
                view = phone.get("/api/view").json()
        finally:
            server.stop()
            room.close()
    finally:
        services.close()
    if view.get("pad") is None:
        raise RuntimeError("the phone's view has no quick-check pad")
    return f"served and paired on {server.url}"


def _integrity(data_dir: Path) -> str:
    from station_rotation.store.integrity import check_integrity

    problems = check_integrity(data_dir)
    if problems:
        raise RuntimeError("; ".join(problems))
    return "the data file is healthy"


def _main_window(data_dir: Path) -> str:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from station_rotation.services.app import AppServices
    from station_rotation.ui.app import build_main_window, make_application

    app = make_application([sys.argv[0]])
    services = AppServices.open(data_dir)
    try:
        window = build_main_window(services)
        window.show()
        app.processEvents()
        shown = window.isVisible()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        services.close()
    if not shown:
        raise RuntimeError("the main window did not show")
    return f"opened and closed on the {app.platformName()!r} platform"


STEPS: tuple[tuple[str, Step], ...] = (
    ("resources", _resources),
    ("migration scripts", _migrations),
    ("open the data file", _open_store),
    ("load the sample class", _sample_class),
    ("phones and tablets", _companion),
    ("integrity check", _integrity),
    ("main window", _main_window),
)


def run_self_test(data_dir: Path) -> int:
    """Run every step in ``data_dir``; 0 when all pass, else 1 after the first failure."""
    print(f"{APP_NAME} {__version__} self-test (frozen: {getattr(sys, 'frozen', False)})")
    for number, (name, step) in enumerate(STEPS, start=1):
        label = f"[{number}/{len(STEPS)}] {name}"
        try:
            detail = step(data_dir)
        except Exception as exc:
            print(f"{label}: FAILED: {exc}")
            traceback.print_exc(file=sys.stderr)
            print(f"self-test FAILED at step {number} ({name}).")
            return 1
        print(f"{label}: ok ({detail})")
    print("self-test passed.")
    return 0


def _handle(args: argparse.Namespace, _data_dir: Path) -> int:
    # Never the teacher's data folder: a fresh one that is removed afterwards.
    with tempfile.TemporaryDirectory(prefix="station-rotation-self-test-") as tmp:
        return run_self_test(Path(tmp))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "self-test",
        help="check this installation works (in a temporary data folder)",
    )
    parser.set_defaults(handler=_handle)
