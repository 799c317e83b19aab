"""The key the students' personal codes are made from, kept in the data folder.

Personal codes must stay the same from day to day (the teacher prints them once), so the
key is made once per data folder and kept in a file only this account can read, next to
the data file it belongs with.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from station_rotation.store.private_files import private_file

KEY_FILE = "station-rotation-companion.key"  # an own file (private_files.OWN_FILES)
KEY_BYTES = 32


def personal_key(data_dir: Path) -> bytes:
    """This data folder's key, made on first use."""
    path = data_dir / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    private_file(path)  # 0600 before the key is in it
    path.write_bytes(key)
    return key
