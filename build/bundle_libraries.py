"""Check the frozen bundle holds only the shared libraries and Qt plugins we expect.

PyInstaller's hooks collect whatever the build machine's libraries lead them to: on a
machine that also has GTK 3 (a Linux desktop, or a browser such as chromium brings it)
the Qt hooks took ``libgtk-3``, ``libgdk-3``, ``libepoxy`` and their kin (+11 MB, over
the 150 MB target). ``installer.spec`` leaves those out by name; this check is the other
half: any library or plugin not named below fails the build, named, so a new one is
seen and decided on (left out in the spec's ``UNUSED``, or added here with its reason)
instead of shipped unnoticed.

    python build/bundle_libraries.py dist/station-rotation

``build/build.sh`` runs it after PyInstaller; ``tests/build/test_bundle_libraries.py``
tests it. Linux only for now: the Windows and macOS bundles have not been listed yet.
Python's own extension modules (``*.cpython-*.so``, ``*.abi3.so``) are not checked: the
imports decide those, not the machine.
"""

from __future__ import annotations

import sys
from fnmatch import fnmatchcase
from pathlib import Path

# Shared libraries by file name (the top of ``_internal`` and ``PySide6/Qt/lib``).
EXPECTED_LIBRARIES: dict[str, tuple[str, ...]] = {
    "Python and its standard library": (
        "libpython3.*.so*",
        "libffi.so*",
        "libssl.so*",
        "libcrypto.so*",
        "libsqlite3.so*",
        "libbz2.so*",
        "liblzma.so*",
        "libz.so*",
        "libexpat.so*",
        "libuuid.so*",
        "libgcc_s.so*",
        "libstdc++.so*",
    ),
    "PySide6 and Qt": (
        "libQt6*.so*",
        "libpyside6.abi3.so*",
        "libshiboken6.abi3.so*",
        "libicudata.so*",
        "libicui18n.so*",
        "libicuuc.so*",
    ),
    "what Qt's core, X11 and fonts link": (
        "libglib-2.0.so*",
        "libgthread-2.0.so*",
        "libpcre2-8.so*",
        "libdbus-1.so*",
        "libsystemd.so*",
        "libgcrypt.so*",
        "libgpg-error.so*",
        "liblz4.so*",
        "libzstd.so*",
        "libcap.so*",
        "libfontconfig.so*",
        "libfreetype.so*",
        "libpng16.so*",
        "libbrotlicommon.so*",
        "libbrotlidec.so*",
        "libxkbcommon.so*",
        "libxkbcommon-x11.so*",
        "libxcb-*.so*",
        "libX11.so*",
        "libX11-xcb.so*",
        "libXau.so*",
        "libXdmcp.so*",
        "libbsd.so*",
        "libmd.so*",
    ),
    "QtMultimedia (the chimes): the PulseAudio client and the codecs it links": (
        "libpulse.so*",
        "libpulsecommon-*.so*",
        "libasyncns.so*",
        "libsndfile.so*",
        "libFLAC.so*",
        "libogg.so*",
        "libvorbis.so*",
        "libvorbisenc.so*",
        "libopus.so*",
        "libmpg123.so*",
        "libmp3lame.so*",
    ),
}

# Qt plugins by their path under ``PySide6/Qt/plugins``.
EXPECTED_PLUGINS: dict[str, tuple[str, ...]] = {
    "windows on X11, offscreen (CI, the self-test) and minimal": (
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "platforms/libqminimal.so",
        "xcbglintegrations/libqxcb-*-integration.so",
    ),
    "typing (compose keys, IBus)": (
        "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        "platforminputcontexts/libibusplatforminputcontextplugin.so",
    ),
    "the desktop's file dialogs (XDG portal)": ("platformthemes/libqxdgdesktopportal.so",),
    "icons and images": (
        "iconengines/libqsvgicon.so",
        "imageformats/libqgif.so",
        "imageformats/libqico.so",
        "imageformats/libqjpeg.so",
        "imageformats/libqsvg.so",
    ),
    "HTTPS for sync": ("tls/libqcertonlybackend.so", "tls/libqopensslbackend.so"),
}

PLUGINS = Path("PySide6", "Qt", "plugins")


def _is_shared_library(path: Path) -> bool:
    name = path.name
    is_library = name.endswith(".so") or ".so." in name
    is_extension_module = ".cpython-" in name or name.endswith(".abi3.so")
    return is_library and not is_extension_module


def _expected(name: str, patterns: dict[str, tuple[str, ...]]) -> bool:
    return any(fnmatchcase(name, p) for group in patterns.values() for p in group)


def unexpected_libraries(bundle: Path) -> list[str]:
    """The bundle's shared libraries and Qt plugins not listed above, by path in it."""
    internal = bundle / "_internal"
    found: list[str] = []
    for path in sorted(internal.rglob("*")):
        if path.is_dir() or not _is_shared_library(path):
            continue
        inside = path.relative_to(internal)
        if inside.is_relative_to(PLUGINS):
            ok = _expected(inside.relative_to(PLUGINS).as_posix(), EXPECTED_PLUGINS)
        else:
            ok = _expected(path.name, EXPECTED_LIBRARIES)
        if not ok:
            found.append(inside.as_posix())
    return found


def check(bundle: Path, platform: str = sys.platform) -> tuple[bool, str]:
    """(passed, what to tell the person building)."""
    if not platform.startswith("linux"):
        return True, f"bundle libraries: not checked on {platform} (Linux only so far)"
    if not (bundle / "_internal").is_dir():
        return False, f"bundle libraries: no bundle at {bundle} (build it first)"
    unexpected = unexpected_libraries(bundle)
    if unexpected:
        return False, (
            f"bundle libraries: {len(unexpected)} unexpected in {bundle}: "
            + ", ".join(unexpected)
            + ". Leave each out in installer.spec (UNUSED) if the app does not need it, "
            "or list it in build/bundle_libraries.py with the reason it is needed."
        )
    return True, "bundle libraries: ok (every shared library and Qt plugin is expected)"


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else Path("dist", "station-rotation")
    passed, message = check(bundle)
    print(message)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
