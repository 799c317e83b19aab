"""Run every ``benchmarks/bench_*.py`` (or the ones named) and print their figures.

Each module has ``main() -> str`` returning a Markdown section (figures as ratios to a
floor measured in the same run, as docs/benchmarks.md records them).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def machine() -> str:
    cores = os.cpu_count()
    return f"{platform.platform()}, Python {platform.python_version()}, {cores} cores"


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = argv or sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    print(f"# Benchmark run\n\nMachine: {machine()}\n")
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(module.main())
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
