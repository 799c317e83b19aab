"""A group's shape reaches the companion's pages: every view names it, and the pages draw
the outline the app draws (a group is never told apart by its colour alone)."""

from __future__ import annotations

import re
from pathlib import Path

from companion_helpers import RunningClass, device, joined, paired

from station_rotation.companion.classroom import Classroom
from station_rotation.companion.server import CompanionServer
from station_rotation.core.scheduling.symbols import SYMBOLS
from station_rotation.services.app import AppServices
from station_rotation.services.plans.paper import plan_paper

COMMON_JS = Path(__file__).resolve().parents[2] / "resources/companion/static/common.js"


def test_every_view_names_each_groups_shape_as_the_paper_cards_do(
    companion: CompanionServer,
    classroom: Classroom,
    running: RunningClass,
    services: AppServices,
) -> None:
    cards = plan_paper(services, running.plan_id).group_cards
    paper = {c.group.id: c.group.symbol.name for c in cards}
    board = services.rotation.live(running.run.run_id).board
    assert board is not None
    shapes = {gid: s.name for gid, s in board.symbols().items()}
    assert shapes == {gid: name for gid, name in paper.items() if gid in shapes}
    assert len(set(shapes.values())) == len(shapes)  # no two groups share a shape

    names = {g.name: shapes[g.id] for g in board.groups}
    teacher = paired(companion).get("/api/view").json()
    assert teacher["groups"]
    assert {g["name"]: g["symbol"] for g in teacher["groups"]} == names

    pupil = device(companion)
    assert pupil.post("/api/join", json={"code": classroom.access.join_code}).is_success
    groups = pupil.get("/api/join/groups").json()["groups"]
    assert {g["name"]: g["symbol"] for g in groups} == names

    for index, group in enumerate(board.groups):
        view = joined(companion, group_index=index).get("/api/view").json()
        assert view["group"] == {
            "name": group.name,
            "colour": group.colour,
            "symbol": shapes[group.id],
        }


def _page_shapes() -> dict[str, list[tuple[float, float]]]:
    text = COMMON_JS.read_text(encoding="utf-8")
    block = re.search(r"const SHAPES = \{(.*?)\n  \};", text, re.S)
    assert block is not None
    shapes = {}
    for name, body in re.findall(r"(\w+):\s*((?:'[^']*'\s*\+?\s*)+),", block.group(1)):
        points = "".join(re.findall(r"'([^']*)'", body)).split()
        shapes[name] = [(float(x), float(y)) for x, y in (p.split(",") for p in points)]
    return shapes


def test_the_pages_draw_the_apps_outline_of_every_shape() -> None:
    page = _page_shapes()
    assert list(page) == [s.name for s in SYMBOLS]
    for symbol in SYMBOLS:
        drawn = page[symbol.name]
        assert len(drawn) == len(symbol.outline)
        for (x, y), (px, py) in zip(drawn, symbol.outline, strict=True):
            assert abs(x - px) < 1e-3 and abs(y - py) < 1e-3
