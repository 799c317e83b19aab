"""Sync by USB stick, as the Sync page and the command line offer it (Qt-free).

Thin use cases over :mod:`station_rotation.sync.bundle`: write the sync file, apply the
district's reply, and say what happened in the words both the page and the terminal
show. Errors are :class:`~station_rotation.core.errors.StationRotationError` with a
message a teacher can act on; nothing is changed when one is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from station_rotation.store.database import Store
from station_rotation.sync import bundle, remote_apply

SUFFIX = ".srsync"
"""The sync files' extension (any name works; this one lets file dialogs filter them)."""


@dataclass(frozen=True)
class UsbOutcome:
    """What a USB step did: ``lines`` to show, ``refused`` when the server stopped."""

    lines: list[str] = field(default_factory=list)
    refused: str = ""


def write_sync_file(store: Store, path: Path) -> UsbOutcome:
    """Write everything the district does not have yet to ``path``; the laptop keeps it."""
    exported = bundle.export_bundle(store, store.data_dir, path)
    return UsbOutcome(
        [
            f"Wrote {_count(exported.changes, 'change')} to {path.name}. Take it to your "
            "district and bring back the reply they make from it; the changes stay on this "
            "laptop until then."
        ]
    )


def apply_reply(store: Store, path: Path) -> UsbOutcome:
    """Apply the reply the district made for this laptop's sync file."""
    report = bundle.import_reply(store, store.data_dir, path)
    waiting = remote_apply.pending_count(store)
    lines = [
        f"Applied the reply: {_count(report.acknowledged, 'change')} acknowledged, "
        f"{report.pulled} received, {waiting} waiting, {report.rejected} need attention, "
        f"{_count(report.conflicts, 'conflict')}.",
        *report.warnings,
    ]
    if report.repaired:
        lines.append(f"Repaired from the district's copy: {', '.join(report.repaired)}.")
    if report.to_repair:
        lines.append(
            f"Differs from the district's copy: {', '.join(report.to_repair)}; the next sync "
            "file asks for it again."
        )
    if report.refused:
        lines.append(f"The district server stopped at a change: {report.refused}")
    return UsbOutcome(lines, report.refused)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
