"""The Windows version resource (File > Properties > Details), from ``__version__``.

``installer.spec`` calls :func:`version_info` when building on Windows, so the numbers
shown by Explorer and the installer always match the package version.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def package_version() -> str:
    """``__version__`` read from the source (no import: the spec runs outside the venv path)."""
    text = (ROOT / "station_rotation" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise RuntimeError("station_rotation/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``1.2.3`` (or ``1.2.3rc1``) as the four numbers Windows wants."""
    numbers = [int(re.match(r"\d+", part).group()) for part in version.split(".")[:3]]  # type: ignore[union-attr]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def version_info():  # type: ignore[no-untyped-def]
    """A ``VSVersionInfo`` for PyInstaller's ``EXE(version=...)``."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    version = package_version()
    numbers = version_tuple(version)
    strings = [
        StringStruct("CompanyName", "Station Rotation"),
        StringStruct("FileDescription", "Station Rotation"),
        StringStruct("FileVersion", version),
        StringStruct("InternalName", "station-rotation"),
        StringStruct("LegalCopyright", "MIT licence"),
        StringStruct("OriginalFilename", "station-rotation.exe"),
        StringStruct("ProductName", "Station Rotation"),
        StringStruct("ProductVersion", version),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            StringFileInfo([StringTable("040904B0", strings)]),
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )


if __name__ == "__main__":
    print(version_info())
