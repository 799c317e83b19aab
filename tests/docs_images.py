"""Where tests save the pictures the docs show.

A normal test run writes them to ``test-artifacts/`` and leaves the checkout clean;
``STATION_ROTATION_DOCS_IMAGES=1`` refreshes ``docs/images/`` on purpose (then look at
them before committing).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def docs_image(name: str) -> Path:
    """The path to save the docs picture ``name`` to in this run."""
    refresh = os.environ.get("STATION_ROTATION_DOCS_IMAGES") == "1"
    folder = ROOT / ("docs/images" if refresh else "test-artifacts/docs-images")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
