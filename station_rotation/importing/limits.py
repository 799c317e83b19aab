"""Size limits checked before a byte is read or unpacked: a roster never needs more.

A district's whole roster of 50,000 students is ~10 MB of CSV; the limits leave a wide
margin and stop a 1 GB file or a zip bomb from filling the laptop's memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from station_rotation.core.errors import ImportError_

MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_ZIP_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
# Text compresses ~10:1, rarely beyond 100:1; a bomb is 1,000:1 or more.
MAX_COMPRESSION_RATIO = 200
_RATIO_FREE_BYTES = 1024 * 1024  # tiny members may compress absurdly well: fine


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_file_size(path: Path, limit: int = MAX_CSV_BYTES) -> int:
    """The file's size; refuses (before reading) a file larger than ``limit``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportError_(f"Cannot read {path} ({exc.strerror}). Check the file exists.") from exc
    if size > limit:
        raise ImportError_(
            f"{path.name} is {_mb(size)}, more than the {_mb(limit)} a roster file may be. "
            "Check you chose the roster export, or split it by school."
        )
    if size == 0:
        raise ImportError_(f"{path.name} is empty. Export the roster again.")
    return size


def check_zip(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse path traversal, too many members, bombs and oversize content, before unpacking."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ImportError_(
            f"{name} holds {len(infos)} files; a OneRoster export holds about ten. "
            "Check you chose the roster export."
        )
    total = 0
    for info in infos:
        member = PurePosixPath(info.filename.replace("\\", "/"))
        if member.is_absolute() or ".." in member.parts or ":" in info.filename:
            raise ImportError_(
                f"{name} contains a file with an unsafe path ({info.filename!r}); it was not "
                "opened. Ask for a fresh export from the district."
            )
        total += info.file_size
        compressed = max(info.compress_size, 1)
        if info.file_size > _RATIO_FREE_BYTES and info.file_size / compressed > (
            MAX_COMPRESSION_RATIO
        ):
            raise ImportError_(
                f"{name}: {info.filename} would unpack to {_mb(info.file_size)} from "
                f"{info.compress_size} bytes; that is not a real roster and was not opened."
            )
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise ImportError_(
            f"{name} would unpack to {_mb(total)}, more than the "
            f"{_mb(MAX_ZIP_UNCOMPRESSED_BYTES)} a roster may be. Check you chose the "
            "roster export."
        )
