"""Where the app keeps its data and finds its bundled resources.

The same lookups work from a source checkout, an installed wheel and the frozen
(PyInstaller) app, so no other module needs to know how it was started.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from station_rotation import APP_ID

DATA_DIR_ENV = "STATION_ROTATION_DATA_DIR"
DB_FILENAME = "station-rotation.sqlite3"


def default_data_dir() -> Path:
    """The platform's local app-data folder (not roaming: the SQLite file is per laptop)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False, roaming=False))


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: the ``--data-dir`` option, else the environment, else the default."""
    if option:
        return Path(option).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def resources_dir() -> Path:
    """The ``resources/`` folder, from source, an installed wheel or the frozen app."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "resources"
    if installed.is_dir():
        return installed
    return package_dir.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A file inside ``resources/`` (it may not exist: callers check when it matters)."""
    return resources_dir().joinpath(*parts)
