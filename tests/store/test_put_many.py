"""The bulk write keeps the outbox promise: every record stamped and queued, all or nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from station_rotation.services.app import AppServices
from station_rotation.store.models import ChangeLog, ClassSection, Student


def test_put_many_queues_every_record(services: AppServices) -> None:
    """Each record saved by put_many gets its own HLC stamp and outbox row."""
    section = ClassSection(name="Math")
    students = [Student(given_name=f"S{i}") for i in range(3)]
    with services.store.write() as tx:
        tx.put_many([section, *students])
    with services.store.read() as session:
        log = session.exec(select(ChangeLog).order_by(ChangeLog.seq)).all()  # type: ignore[arg-type]
    assert [c.record_id for c in log] == [section.id, *(s.id for s in students)]
    assert len({c.hlc for c in log}) == 4 and all(c.hlc for c in log)


def test_put_many_is_all_or_nothing(services: AppServices) -> None:
    """An error after put_many in the same transaction leaves neither rows nor outbox entries."""
    with pytest.raises(RuntimeError), services.store.write() as tx:
        tx.put_many([Student(given_name="Ghost")])
        raise RuntimeError("boom")
    with services.store.read() as session:
        assert session.exec(select(Student)).all() == []
        assert session.exec(select(ChangeLog)).all() == []
