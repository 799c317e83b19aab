"""One name for the district's device id, so the server's stamps and the laptop's words
about them cannot drift apart (it was written out in two modules)."""

from __future__ import annotations

import ast
from pathlib import Path

import station_rotation
from station_rotation.core.hlc import DISTRICT_DEVICE
from station_rotation.server.district import district_stamp
from station_rotation.services.sync.words import edit_of


def test_a_district_stamp_reads_as_the_districts_roster() -> None:
    stamp = district_stamp()
    assert stamp.endswith(f"-{DISTRICT_DEVICE}")
    edit = edit_of(stamp, "a-laptop")
    assert edit.district and edit.by == "the district's roster"


def test_the_district_device_id_is_defined_once() -> None:
    package = Path(station_rotation.__file__).parent
    defined = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "DISTRICT_DEVICE" for t in node.targets)
    ]
    assert defined == ["core/hlc.py"]
