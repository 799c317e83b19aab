"""District IT builds the app on whatever machine it has: the bundle holds only the
libraries we expect, and the build names any other one instead of shipping it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "build" / "bundle_libraries.py"
BUNDLE = ROOT / "dist" / "station-rotation"


def _checker() -> ModuleType:
    # By path: "build" is also the name of a package on the index, so no import by name.
    spec = importlib.util.spec_from_file_location("bundle_libraries", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_bundle(root: Path, *files: str) -> Path:
    for name in files:
        path = root / "_internal" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x7fELF")
    return root


def test_a_bundle_built_on_a_desktop_with_gtk_fails_naming_each_library(tmp_path: Path) -> None:
    """GTK 3 and its theme plugin crept in: the check fails and names them, not the rest."""
    bundle = _fake_bundle(
        tmp_path,
        "libQt6Core.so.6",
        "libpulse.so.0",
        "libxcb-shm.so.0",
        "libgtk-3.so.0",
        "libepoxy.so.0",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/QtCore.abi3.so",  # Python's extension modules are not judged here
        "python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
    )
    checker = _checker()

    assert checker.unexpected_libraries(bundle) == [
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libepoxy.so.0",
        "libgtk-3.so.0",
    ]
    passed, message = checker.check(bundle, platform="linux")
    assert passed is False
    assert "libgtk-3.so.0" in message and "installer.spec" in message


def test_an_expected_bundle_passes_and_other_platforms_are_not_judged(tmp_path: Path) -> None:
    """Only expected names: it passes; on Windows and macOS it says it did not look."""
    bundle = _fake_bundle(tmp_path, "libQt6Widgets.so.6", "libpulsecommon-16.1.so")
    checker = _checker()

    assert checker.check(bundle, platform="linux")[0] is True
    passed, message = checker.check(bundle, platform="win32")
    assert passed is True and "not checked" in message
    assert checker.check(tmp_path / "nothing", platform="linux")[0] is False


def test_the_built_bundle_holds_only_expected_libraries() -> None:
    """The real bundle in dist/, when it was built from the spec and checker as they are."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the list of expected libraries is Linux's only")
    if not BUNDLE.is_dir():
        pytest.skip("no bundle in dist/ (bash build/build.sh builds one and runs this check)")
    built = (BUNDLE / "_internal").stat().st_mtime
    for source in (ROOT / "installer.spec", CHECKER):
        if source.stat().st_mtime > built:
            pytest.skip(f"dist/ is older than {source.name}: rebuild (bash build/build.sh)")

    assert _checker().unexpected_libraries(BUNDLE) == []
