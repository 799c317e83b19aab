"""``station-rotation sync``: enrol this laptop and sync with the district server, headless
(over the network, or by USB stick with ``--export-bundle`` / ``--import-bundle``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from station_rotation.services.sync.service import SyncService
    from station_rotation.store.database import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("sync", help="sync with the district server (enrol first with --enrol)")
    parser.add_argument(
        "--server", help="the district server's address, e.g. https://sync.example.org"
    )
    parser.add_argument(
        "--enrol", metavar="CODE", help="a one-time enrolment code from your district"
    )
    usb = parser.add_mutually_exclusive_group()
    usb.add_argument(
        "--export-bundle",
        metavar="PATH",
        type=Path,
        help="no connection: write this laptop's unsynced changes to a sync file (USB stick)",
    )
    usb.add_argument(
        "--import-bundle",
        metavar="PATH",
        type=Path,
        help="apply the reply the district server wrote for this laptop's sync file",
    )
    parser.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace, data_dir: Path) -> int:
    if args.export_bundle or args.import_bundle:
        return _sync_by_bundle(args, data_dir)
    import asyncio

    from station_rotation.services.sync.service import SyncService
    from station_rotation.store.database import Store

    store = Store.open(data_dir)
    try:
        asyncio.run(_enrol_and_sync(SyncService(store), args))
        _print_attention(store)
    finally:
        store.close()
    return 0


async def _enrol_and_sync(service: SyncService, args: argparse.Namespace) -> None:
    """Through the app's own sync service (the Sync page's): enrol first if asked, then
    sync once; a failure is raised in the service's words (exit status 2)."""
    from station_rotation.core.errors import StationRotationError

    if args.enrol:
        if not args.server:
            raise StationRotationError("Give the server's address with --server to enrol.")
        await service.enrol(args.server, args.enrol)
        print(f"This laptop is enrolled with {args.server}.")
    if not (await service.read_status()).enrolled:
        raise StationRotationError(
            "This laptop is not enrolled yet. Run: station-rotation sync --server ADDRESS "
            "--enrol CODE (ask your district for a code)."
        )
    outcome = await service.sync(args.server)
    if not outcome.ok:
        raise StationRotationError(outcome.message)
    waiting = (await service.read_status()).waiting
    print(
        f"Synced: {outcome.sent} sent, {outcome.received} received, {waiting} waiting, "
        f"{outcome.refused} need attention."
    )
    for warning in outcome.warnings:
        print(warning)


def _print_attention(store: Store) -> None:
    """What the Sync page lists under "Needs your attention", as lines; dismissed ones not."""
    from station_rotation.core.words import counted
    from station_rotation.services.sync.attention import SyncAttentionService

    attention = SyncAttentionService(store).read()
    for item in attention.refused:
        print(f"Needs attention: {item.what}: {item.reason} {item.advice}")
    if attention.conflicts:
        count = len(attention.conflicts)
        print(
            f"{counted(count, 'edit')} overwritten by another laptop: see the "
            "Sync page (Keep mine / Keep theirs)."
        )


def _sync_by_bundle(args: argparse.Namespace, data_dir: Path) -> int:
    """USB sync (no connection): export the outbox, or apply the server's reply."""
    from station_rotation.core.errors import StationRotationError
    from station_rotation.services.sync import usb as usb_sync
    from station_rotation.store.database import Store

    if args.enrol or args.server:
        raise StationRotationError(
            "Enrol with a connection first; sync by USB stick is a command of its own "
            "(without --server or --enrol)."
        )
    store = Store.open(data_dir)
    try:
        if args.export_bundle:
            outcome = usb_sync.write_sync_file(store, args.export_bundle)
        else:
            outcome = usb_sync.apply_reply(store, args.import_bundle)
    finally:
        store.close()
    for line in outcome.lines:
        print(line)
    return 1 if outcome.refused else 0
