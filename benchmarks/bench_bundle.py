"""Size of the one-folder bundle in dist/ (target ≤ 150 MB, TARGETS.md).

The floor is the Qt core every PySide6 widgets app ships (QtCore, QtGui, QtWidgets and
ICU's data), measured in the same bundle, so the figure says how much is ours to trim.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "station-rotation"
TARGET_MB = 150
FLOOR_PARTS = ("libQt6Core", "libQt6Gui", "libQt6Widgets", "libicudata", "libicui18n", "libicuuc")


def size_mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink()) / 1e6


def main() -> str:
    if not BUNDLE.is_dir():
        return "## Bundle\n\nNo bundle in dist/: build first (`bash build/build.sh`)."
    files = list(BUNDLE.rglob("*"))
    total = size_mb(files)
    floor = size_mb([p for p in files if p.name.startswith(FLOOR_PARTS)])
    top = BUNDLE / "_internal"
    groups: dict[str, float] = {}
    for entry in top.iterdir():
        name = entry.name if entry.is_dir() else "(shared libraries and others)"
        members = list(entry.rglob("*")) if entry.is_dir() else [entry]
        groups[name] = groups.get(name, 0.0) + size_mb(members)
    largest = sorted(groups.items(), key=lambda item: -item[1])[:5]
    verdict = "meets" if total <= TARGET_MB else "MISSES"
    lines = [
        "## Bundle",
        "",
        f"dist/station-rotation: **{total:.0f} MB** ({verdict} the ≤ {TARGET_MB} MB target); "
        f"{total / floor:.1f}× the Qt Core/Gui/Widgets + ICU floor ({floor:.0f} MB).",
        "",
        "| largest parts | MB |",
        "|---|---|",
        *[f"| {name} | {mb:.0f} |" for name, mb in largest],
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
