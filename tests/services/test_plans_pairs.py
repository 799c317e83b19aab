"""Stories: keep-apart and keep-together pairs stay with the plan, its copies and its re-groups."""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.models import ChangeLog, ClassSection, RotationPlan
from station_rotation.store.plan_body import BODY_VERSION, StudentPair, load_body

TUESDAY = date(2026, 11, 17)


@pytest.fixture
def sample(services: AppServices) -> ClassSection:
    return create_sample_class(services)


def _ids(services: AppServices, section: ClassSection) -> list[str]:
    return [entry.student.id for entry in services.roster.roster(section.id)]


def _where(services: AppServices, plan_id: str) -> dict[str, str]:
    body = services.plans.get(plan_id).body
    return {s: g.id for g in body.groups for s in g.student_ids}


def test_pairs_set_today_apply_to_every_later_forming(
    services: AppServices, sample: ClassSection
) -> None:
    """Pairs saved in the plan are honoured by tomorrow's re-group without being given again."""
    ids = _ids(services, sample)
    plan = services.plans.create(sample.id, "Tuesday", TUESDAY)
    services.plans.set_pair(plan.id, ids[0], ids[1], "apart")
    services.plans.set_pair(plan.id, ids[5], ids[6], "apart")
    saved = services.plans.set_pair(plan.id, ids[10], ids[20], "together")
    assert saved.body.apart_ids() == [(ids[0], ids[1]), (ids[5], ids[6])]
    assert saved.body.together_ids() == [(ids[10], ids[20])]

    for seed in range(6):
        formed = services.plans.form_groups(plan.id, method="random", count=4, seed=seed)
        where = _where(services, plan.id)
        assert where[ids[0]] != where[ids[1]] and where[ids[5]] != where[ids[6]]
        assert where[ids[10]] == where[ids[20]]
        assert formed.plan.body.apart_ids() == saved.body.apart_ids()  # still there
    # Given pairs replace the saved ones (and are saved in turn).
    formed = services.plans.form_groups(
        plan.id, method="balanced", keep_apart=[(ids[2], ids[3])], seed=1
    )
    assert formed.plan.body.apart_ids() == [(ids[2], ids[3])]
    assert formed.plan.body.together_ids() == [(ids[10], ids[20])]


def test_a_pair_changes_its_wish_or_goes_away(services: AppServices, sample: ClassSection) -> None:
    """The same two students are one pair: "together" replaces "apart"; None removes it."""
    ids = _ids(services, sample)
    plan = services.plans.create(sample.id, "Tuesday")
    services.plans.set_pair(plan.id, ids[0], ids[1], "apart")
    flipped = services.plans.set_pair(plan.id, ids[1], ids[0], "together")
    assert flipped.body.apart_ids() == [] and flipped.body.together_ids() == [(ids[1], ids[0])]
    gone = services.plans.set_pair(plan.id, ids[0], ids[1], None)
    assert gone.body.keep_apart == [] and gone.body.keep_together == []
    services.plans.set_pair(plan.id, ids[2], ids[3], "apart")
    assert services.plans.clear_pairs(plan.id).body.keep_apart == []

    with pytest.raises(ValidationError, match="two different students"):
        services.plans.set_pair(plan.id, ids[0], ids[0], "apart")
    with pytest.raises(NotFoundError, match="not in this class"):
        services.plans.set_pair(plan.id, ids[0], "someone-else", "apart")
    body = services.plans.get(plan.id).body
    body.keep_apart.append(StudentPair(first=ids[0], second="someone-else"))
    with pytest.raises(ValidationError, match="pair names a student who is not in this class"):
        services.plans.save(plan.id, body)


def test_same_as_last_tuesday_and_templates_keep_the_pairs(
    services: AppServices, sample: ClassSection
) -> None:
    """A copy and a template keep the pairs; a pair with a student who left is dropped."""
    ids = _ids(services, sample)
    tuesday = services.plans.create(sample.id, "Tuesday", TUESDAY)
    services.plans.set_pair(tuesday.id, ids[0], ids[1], "apart")
    services.plans.set_pair(tuesday.id, ids[2], ids[3], "together")
    services.plans.set_pair(tuesday.id, ids[4], ids[5], "apart")
    services.roster.set_archived(sample.id, ids[5], True)

    copy = services.plans.copy(tuesday.id, lesson_date=date(2026, 11, 24))
    template = services.plans.save_as_template(tuesday.id)
    friday = services.plans.create(sample.id, "Friday", from_template=template.id)

    for plan in (copy, template, friday):
        assert plan.body.apart_ids() == [(ids[0], ids[1])], plan.name
        assert plan.body.together_ids() == [(ids[2], ids[3])], plan.name
    # The copy's re-group keeps them too.
    services.plans.form_groups(copy.id, method="random", count=5, seed=4)
    where = _where(services, copy.id)
    assert where[ids[0]] != where[ids[1]] and where[ids[2]] == where[ids[3]]


def test_the_pairs_travel_in_the_synced_plan(services: AppServices, sample: ClassSection) -> None:
    """The plan change queued for sync carries the pairs, so the second laptop has them."""
    ids = _ids(services, sample)
    plan = services.plans.create(sample.id, "Tuesday")
    services.plans.set_pair(plan.id, ids[7], ids[8], "apart")
    with services.store.read() as session:
        last = session.exec(
            select(ChangeLog).where(ChangeLog.record_id == plan.id).order_by(col(ChangeLog.seq))
        ).all()[-1]
    payload = json.loads(last.payload)
    assert payload["body_version"] == BODY_VERSION == 3
    other_laptop = load_body(payload["body"], payload["body_version"])
    assert other_laptop.apart_ids() == [(ids[7], ids[8])]


def test_a_plan_saved_before_pairs_existed_still_opens(
    services: AppServices, sample: ClassSection
) -> None:
    """A version-1 body (no pairs) opens with none and is saved as the current version;
    newer is refused."""
    ids = _ids(services, sample)
    plan = services.plans.create(sample.id, "Old plan")
    with services.store.write() as tx:
        row = tx.session.get(RotationPlan, plan.id)
        assert row is not None
        old = json.loads(row.body)
        del old["keep_apart"], old["keep_together"]
        old["version"] = 1
        row.body, row.body_version = json.dumps(old), 1
        tx.put(row)

    opened = services.plans.get(plan.id)
    assert opened.body.keep_apart == [] and opened.body.groups == plan.body.groups
    services.plans.set_pair(plan.id, ids[0], ids[1], "apart")
    with services.store.read() as session:
        row = session.get(RotationPlan, plan.id)
        assert row is not None and row.body_version == BODY_VERSION

    with pytest.raises(ValidationError, match="newer version of Station Rotation"):
        load_body(json.dumps({"keep_apart": [], "seating": "new"}), BODY_VERSION + 1)


def test_a_drag_that_breaks_a_pair_is_saved_and_said(
    services: AppServices, sample: ClassSection
) -> None:
    """Moving a student next to a keep-apart partner is allowed; the plan says what it breaks."""
    plan = services.plans.create(sample.id, "Tuesday")
    blue, orange = plan.body.groups[0], plan.body.groups[1]
    a, b = blue.student_ids[0], orange.student_ids[0]
    c, d = blue.student_ids[1], blue.student_ids[2]
    services.plans.set_pair(plan.id, a, b, "apart")
    services.plans.set_pair(plan.id, c, d, "together")
    assert services.plans.pair_conflicts(plan.id) == []

    moved = services.plans.move_student(plan.id, b, blue.id)
    services.plans.move_student(plan.id, d, orange.id)

    assert b in moved.body.groups[0].student_ids  # saved, not refused
    names = {e.student.id: e.student.display_name for e in services.roster.roster(sample.id)}
    assert services.plans.pair_conflicts(plan.id) == [
        f"{names[a]} and {names[b]} should be kept apart but are both in Blue.",
        f"{names[c]} and {names[d]} should stay together but are in Blue and Orange.",
    ]
    services.plans.set_absent(plan.id, a, True)  # not here today: nothing to keep apart
    assert len(services.plans.pair_conflicts(plan.id)) == 1


def test_a_new_plan_for_tomorrow_starts_with_the_class_pairs(
    services: AppServices, sample: ClassSection
) -> None:
    """ "New…" tomorrow (not a copy) still keeps Ava and Ben apart: the wishes are the class's."""
    today = services.plans.create(sample.id, "Tuesday", TUESDAY)
    blue, orange = today.body.groups[0].student_ids, today.body.groups[1].student_ids
    a, b = blue[0], blue[1]  # the default forming puts them together
    c, d = blue[2], orange[0]  # ...and these apart
    services.plans.set_pair(today.id, a, b, "apart")
    services.plans.set_pair(today.id, c, d, "together")
    services.plans.set_pair(today.id, blue[3], orange[1], "apart")
    services.roster.set_archived(sample.id, orange[1], True)

    tomorrow = services.plans.create(sample.id, "Wednesday", date(2026, 11, 18))

    assert tomorrow.body.apart_ids() == [(a, b)]  # the leaver's pair is gone
    assert tomorrow.body.together_ids() == [(c, d)]
    where = {s: g.id for g in tomorrow.body.groups for s in g.student_ids}
    assert where[a] != where[b] and where[c] == where[d]


def test_a_pair_saved_while_groups_are_being_formed_is_kept(
    services: AppServices, sample: ClassSection, data_dir: Path
) -> None:
    """A re-group computed from the plan as it was does not wipe a pair saved meanwhile
    (the command line, a second window or a sync wrote it between the read and the save)."""
    ids = _ids(services, sample)
    plan = services.plans.create(sample.id, "Tuesday", TUESDAY)
    services.plans.set_pair(plan.id, ids[0], ids[1], "apart")
    formed: list[object] = []
    worker = threading.Thread(
        target=lambda: formed.append(
            services.plans.form_groups(plan.id, method="random", count=4, seed=1)
        )
    )
    with services.store._write_lock:  # the re-group reads, then waits here to save
        worker.start()
        _wait_until_writing(worker)
        other = AppServices.open(data_dir)
        try:
            other.plans.set_pair(plan.id, ids[2], ids[3], "together")
        finally:
            other.close()
    worker.join(timeout=30)
    assert formed, "the re-group did not finish"
    body = services.plans.get(plan.id).body
    assert body.apart_ids() == [(ids[0], ids[1])]
    assert body.together_ids() == [(ids[2], ids[3])]  # kept, not overwritten


def _wait_until_writing(thread: threading.Thread) -> None:
    """Until ``thread`` waits for the store's write lock (it has read what it needs)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(thread.ident or 0)
        while frame is not None:
            if frame.f_code.co_name == "write" and frame.f_code.co_filename.endswith("database.py"):
                return
            frame = frame.f_back
        time.sleep(0.01)
    raise AssertionError("the re-group never reached its save")


def test_a_plan_saved_before_auto_advance_starts_rounds_by_itself(
    services: AppServices, sample: ClassSection
) -> None:
    """A version-2 body (no auto-advance setting) opens with rounds starting by themselves,
    as every run did before the setting existed; turned off, the run waits."""
    plan = services.plans.create(sample.id, "Old plan")
    with services.store.write() as tx:
        row = tx.session.get(RotationPlan, plan.id)
        assert row is not None
        old = json.loads(row.body)
        del old["pace"]["auto_advance"]
        old["version"] = 2
        row.body, row.body_version = json.dumps(old), 2
        tx.put(row)
    assert services.plans.get(plan.id).body.pace.auto_advance is True
    assert services.plans.run_for(plan.id)[0].auto_advance is True
    services.plans.edit_pace(plan.id, {"auto_advance": False})
    assert services.plans.run_for(plan.id)[0].auto_advance is False
