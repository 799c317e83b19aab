"""The data folder before the store is opened: made private to this account from the start."""

from __future__ import annotations

from pathlib import Path

from station_rotation.store.private_files import private_dir


def make_private_data_folder(data_dir: Path) -> None:
    """Create ``data_dir`` if needed, readable by this account only (``store/private_files``).

    Plain ``os`` calls: cheap enough for the GUI's single-instance check at start-up.
    """
    private_dir(data_dir)
