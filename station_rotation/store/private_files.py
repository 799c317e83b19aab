"""Files only their owner can read: the data folder, the data file and all beside it.

The data file holds students' names, support notes and the teacher's observations; on a
shared computer (a staff-room laptop, a family PC) another account must not read it. On
POSIX the folder is 0700 and every file in it 0600, whatever the umask: SQLite gives its
``-wal`` and ``-shm`` files the data file's own mode, so the data file is created 0600
before SQLite first opens it. A folder or file an earlier version left readable by
others is made private again each time the store opens.

On Windows the modes mean nothing (``os.chmod`` only sets the read-only flag); the
default data folder lies in the user's own ``%LOCALAPPDATA%``, whose ACL already grants
only that user, the administrators and SYSTEM (see docs/privacy.md).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) if needed; make the folder itself 0700."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if it does not exist, 0600; make an existing one 0600."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
        os.close(fd)
    _chmod(path, PRIVATE_FILE)
    return path


OWN_FILES = ("station-rotation", "sync-credentials")
"""How the app's files in the data folder begin (the data file and its journals, the
single-instance lock, the sync token); a file of another name there is not ours."""

OWN_FOLDERS = ("backups", "logs")
"""Folders of the app's own inside the data folder: everything in them is ours."""


def make_private(data_dir: Path) -> None:
    """Make the data folder 0700 and the app's files in it 0600 (its folders 0700).

    Only the app's own files are changed (``OWN_FILES``, ``OWN_FOLDERS``): a teacher may
    point ``--data-dir`` at a folder that holds other things. Symbolic links are left
    alone, and a file that cannot be changed (another account's, a read-only medium) is
    skipped: opening the data must never fail for it.
    """
    if not POSIX or not data_dir.is_dir():
        return
    _chmod(data_dir, PRIVATE_DIR)
    for path in data_dir.iterdir():
        if path.name.startswith(OWN_FILES) and not path.is_dir():
            _chmod(path, PRIVATE_FILE)
        elif path.name in OWN_FOLDERS and path.is_dir() and not path.is_symlink():
            _chmod(path, PRIVATE_DIR)
            for root, dirs, files in os.walk(path):
                base = Path(root)
                for name in dirs:
                    _chmod(base / name, PRIVATE_DIR)
                for name in files:
                    _chmod(base / name, PRIVATE_FILE)


def private_sqlite_file(path: Path) -> None:
    """The data file and the journal files SQLite keeps beside it, all 0600.

    Called before SQLite opens the file, so a new file is created private and SQLite's
    ``-wal`` and ``-shm`` (which copy its mode) are private too.
    """
    private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _chmod(companion, PRIVATE_FILE)


def _chmod(path: Path, mode: int) -> None:
    if not POSIX:
        return
    try:
        current = path.lstat()
        if stat.S_ISLNK(current.st_mode) or stat.S_IMODE(current.st_mode) == mode:
            return
        path.chmod(mode)
    except OSError:
        pass  # not ours, or a read-only medium: reading the data still works
