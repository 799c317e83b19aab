"""Where a roster comes from: a single CSV, a folder of CSVs or a zip, read safely.

Every file's size is checked before it is read, and a zip is checked as a whole (member
names, sizes, compression ratios) before anything is unpacked; members are read into
memory, never extracted to disk.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from station_rotation.core.errors import ImportError_
from station_rotation.importing.limits import (
    MAX_CSV_BYTES,
    MAX_ZIP_BYTES,
    check_file_size,
    check_zip,
)


class RosterSource:
    """The CSV files of one roster, by lower-case file name (``users.csv``...)."""

    def __init__(self, name: str, files: dict[str, bytes]) -> None:
        self.name = name
        self.files = files

    def has(self, filename: str) -> bool:
        return filename in self.files

    def read(self, filename: str) -> bytes:
        return self.files[filename]

    @classmethod
    def open(cls, path: Path) -> RosterSource:
        if path.is_dir():
            return cls._folder(path)
        if not path.exists():
            raise ImportError_(f"{path} does not exist. Choose the roster file or folder.")
        if zipfile.is_zipfile(path):
            return cls._zip(path)
        check_file_size(path)
        return cls(path.name, {path.name.casefold(): path.read_bytes()})

    @classmethod
    def _folder(cls, path: Path) -> RosterSource:
        files: dict[str, bytes] = {}
        for child in sorted(path.iterdir()):
            if child.is_file() and child.suffix.casefold() == ".csv":
                check_file_size(child, MAX_CSV_BYTES)
                files[child.name.casefold()] = child.read_bytes()
        if not files:
            raise ImportError_(
                f"The folder {path} holds no CSV files. Choose the folder with "
                "manifest.csv, users.csv, classes.csv and enrollments.csv."
            )
        return cls(path.name, files)

    @classmethod
    def _zip(cls, path: Path) -> RosterSource:
        check_file_size(path, MAX_ZIP_BYTES)
        try:
            with zipfile.ZipFile(path) as archive:
                check_zip(archive, path.name)
                files: dict[str, bytes] = {}
                for info in archive.infolist():
                    member = PurePosixPath(info.filename.replace("\\", "/"))
                    if info.is_dir() or member.suffix.casefold() != ".csv":
                        continue
                    if member.name.startswith("._"):  # macOS resource forks
                        continue
                    with archive.open(info) as stream:
                        data = stream.read(MAX_CSV_BYTES + 1)
                    if len(data) > MAX_CSV_BYTES:
                        raise ImportError_(
                            f"{path.name}: {info.filename} is too large for a roster file."
                        )
                    files[member.name.casefold()] = data
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
            raise ImportError_(
                f"{path.name} is a damaged zip file ({exc}). Download the export again."
            ) from exc
        if not files:
            raise ImportError_(f"{path.name} holds no CSV files. Check you chose the export.")
        return cls(path.name, files)
