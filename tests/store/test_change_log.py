"""Every change to a synced record lands in the outbox in the same transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from station_rotation.services.app import AppServices
from station_rotation.store.database import Store
from station_rotation.store.models import ChangeLog, ClassSection, Student


def _outbox(services: AppServices) -> list[ChangeLog]:
    with services.store.read() as session:
        return list(session.exec(select(ChangeLog).order_by(ChangeLog.seq)))  # type: ignore[arg-type]  # sqlmodel: a column is typed as its value


def test_each_edit_is_queued_with_increasing_sequence_and_stamp(services: AppServices) -> None:
    """Create, edit, archive: three outbox entries, in order, each with the full record."""
    section = services.classes.create_class(name="Science 7")
    services.classes.update_class(section.id, name="Science 7B")
    services.classes.set_archived(section.id, True)
    entries = _outbox(services)
    assert [e.op for e in entries] == ["upsert"] * 3
    assert [e.seq for e in entries] == sorted(e.seq for e in entries if e.seq is not None)
    assert [e.hlc for e in entries] == sorted(e.hlc for e in entries)
    assert len({e.change_id for e in entries}) == 3
    last = json.loads(entries[-1].payload)
    assert last["name"] == "Science 7B" and last["archived"] is True
    assert last["hlc"] == entries[-1].hlc


def test_a_failed_transaction_leaves_neither_record_nor_outbox_entry(services: AppServices) -> None:
    """Record and outbox entry are written together or not at all."""
    with pytest.raises(RuntimeError), services.store.write() as tx:
        tx.put(ClassSection(name="Never saved"))
        raise RuntimeError("power cut")
    assert _outbox(services) == []
    assert services.classes.list_classes() == []


def test_delete_is_a_tombstone_that_syncs(services: AppServices) -> None:
    """A deleted record stays as a tombstone and its delete is queued."""
    section = services.classes.create_class(name="Art")
    with services.store.write() as tx:
        row = tx.session.get(ClassSection, section.id)
        assert row is not None
        tx.delete(row)
    assert services.classes.list_classes(include_archived=True) == []
    assert _outbox(services)[-1].op == "delete"
    with services.store.read() as session:
        assert session.get(ClassSection, section.id) is not None


def test_device_id_and_clock_survive_a_restart(data_dir: Path) -> None:
    """The device keeps its identity, and stamps after a restart sort after earlier ones."""
    first = AppServices.open(data_dir)
    section = first.classes.create_class(name="History")
    device = first.store.device_id
    first.close()
    second = AppServices.open(data_dir)
    try:
        assert second.store.device_id == device
        later = second.classes.update_class(section.id, name="History 8")
        assert later.hlc > section.hlc
    finally:
        second.close()


def test_a_fast_path_stamp_is_recovered_after_a_restart(data_dir: Path) -> None:
    """Quick checks save no clock row: the restarted clock resumes from the outbox's stamp."""
    from station_rotation.core.hlc import HlcStamp
    from station_rotation.services.classes.sample import create_sample_class

    first = AppServices.open(data_dir)
    section = create_sample_class(first, students=2)
    student = first.roster.roster(section.id)[0].student.id
    target = first.targets.list_for(section.id)[0].id
    check = first.quick_checks.record(
        class_id=section.id, student_id=student, target_id=target, score=3
    )
    first.close()
    second = AppServices.open(data_dir)
    try:
        assert second.store.clock.last() == HlcStamp.decode(check.hlc)
    finally:
        second.close()


def test_two_stores_on_one_file_write_without_lock_errors(data_dir: Path) -> None:
    """The app and a command-line import can write the same file at once (BEGIN IMMEDIATE)."""
    import threading

    a, b = Store.open(data_dir), Store.open(data_dir)
    errors: list[BaseException] = []

    def write_many(store: Store, prefix: str) -> None:
        try:
            for i in range(40):
                with store.write() as tx:
                    tx.put(Student(given_name=f"{prefix}{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write_many, args=(s, p)) for s, p in ((a, "a"), (b, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with a.read() as session:
        count = len(session.exec(select(Student)).all())
    a.close()
    b.close()
    assert errors == []
    assert count == 80
