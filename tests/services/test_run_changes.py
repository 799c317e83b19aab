"""Changes to a running rotation, through the services: durable, clock untouched, and the
quick-check groups follow them."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from station_rotation.core.rotation.changes import CHANGE_EVENT, ChangeRefused
from station_rotation.paths import DB_FILENAME
from station_rotation.services.app import AppServices
from station_rotation.services.checks.groups import run_groups, teacher_led_group
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.services.rotation import LiveRun
from tests.ui.rotation_helpers import FakeTime, use_fake_time


def started(services: AppServices) -> tuple[LiveRun, FakeTime]:
    clock = use_fake_time(services)
    section = create_sample_class(services)
    plan = services.plans.create(section.id, "Ratios", date.today())
    spec, board = services.plans.run_for(plan.id)
    live = services.rotation.start(section.id, spec, title="Ratios", board=board)
    clock.pass_seconds(120)
    return live, clock


def test_a_student_moved_to_the_teacher_table_is_in_its_quick_check_group(
    services: AppServices,
) -> None:
    """The grid and the companion's pad take the run's members, not the plan's, once
    the run has changed."""
    live, _ = started(services)
    table = teacher_led_group(services, live.run_id)
    assert table is not None
    at_table = next(
        g for g in run_groups(services, live.run_id) if table.student_ids == g.student_ids
    )
    other = next(g for g in run_groups(services, live.run_id) if g.group_id != at_table.group_id)
    mover = other.student_ids[0]
    services.run_changes.move_student(live.run_id, mover, at_table.group_id)

    now = teacher_led_group(services, live.run_id)
    assert now is not None and now.student_ids == (*table.student_ids, mover)
    groups = {g.group_id: g.student_ids for g in run_groups(services, live.run_id)}
    assert mover not in groups[other.group_id]


def test_a_change_is_one_event_in_the_runs_log_and_the_clock_is_untouched(
    services: AppServices,
) -> None:
    """The day's record: a "change" row with what changed in words and the lineup."""
    live, _ = started(services)
    before = services.rotation.view(live.run_id)
    group = live.board.groups[0] if live.board else None
    assert group is not None
    made = services.run_changes.stay(live.run_id, group.id)
    after = services.rotation.view(live.run_id)
    assert (after.phase, after.round_index, after.remaining) == (
        before.phase,
        before.round_index,
        before.remaining,
    )
    conn = sqlite3.connect(services.store.data_dir / DB_FILENAME)
    rows = conn.execute(
        "SELECT kind, at, detail FROM rotation_event WHERE run_id = ? ORDER BY seq",
        (live.run_id,),
    ).fetchall()
    conn.close()
    assert [r[0] for r in rows] == ["start", CHANGE_EVENT]
    detail = json.loads(rows[1][2])
    assert detail["change"] == "stay" and detail["summary"] == made.summary
    assert rows[1][1] == pytest.approx(120.0)


def test_a_refused_change_writes_nothing(services: AppServices) -> None:
    live, _ = started(services)
    with pytest.raises(ChangeRefused, match="not in this class"):
        services.run_changes.add_student(live.run_id, "no-such-student", "any")
    assert services.rotation.live(live.run_id).changes == []
    conn = sqlite3.connect(services.store.data_dir / DB_FILENAME)
    (count,) = conn.execute(
        "SELECT count(*) FROM rotation_event WHERE kind = ?", (CHANGE_EVENT,)
    ).fetchone()
    conn.close()
    assert count == 0


def test_a_quick_timer_has_nothing_to_change(services: AppServices) -> None:
    from station_rotation.core.rotation.clock import RunSpec

    section = services.classes.create_class(name="Math 6")
    live = services.rotation.start(section.id, RunSpec((600.0,)))
    with pytest.raises(ChangeRefused, match="quick timer"):
        services.run_changes.stay(live.run_id, "x")


def test_a_station_taken_out_between_rounds_leaves_the_round_that_ran_as_it_ran(
    services: AppServices,
) -> None:
    """The bell rang; during the transition the computers go down. Round 1 is the day's
    record: whoever was at the computers stays there in it."""
    live, clock = started(services)
    assert live.board is not None
    online = next(s for s in live.board.stations if s.kind == "online")
    clock.pass_seconds(15 * 60 - 120 + 30)  # 30 s into the first transition
    made = services.run_changes.station_out(live.run_id, online.id)
    board = made.lineup.board
    assert board.rounds[0] == live.board.rounds[0]
    assert "until the bell" not in made.summary
    assert all(online.id not in row for row in board.rounds[1:])
