"""A pulled page lands in a fixed number of statements, however many records it holds.

The page's write transaction holds the store's write lock, and a quick check typed on
the GUI thread waits for that lock (``ui/checks/entry_session.py`` saves there on
purpose). Looked up and flushed one record at a time, a page of 500 held it for
0.2-1 s and a re-pull page of 2,000 for ~2 s (docs/benchmarks.md, projector ticks):
the teacher's keystroke waited that long. Counting statements rather than timing keeps
the test steady on a busy machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from station_rotation.services.app import AppServices
from station_rotation.services.classes.sample import create_sample_class
from station_rotation.store.database import Store
from station_rotation.store.models import SYNCED_TABLES
from station_rotation.sync import remote_apply


def _page_of(services: AppServices) -> list[remote_apply.RemoteRecord]:
    """Every synced record of a laptop, parents first, as the server would send them."""
    return [
        remote_apply.RemoteRecord(entity, rid, hlc, fields)
        for entity in SYNCED_TABLES
        for rid, hlc, fields in remote_apply.local_records(services.store, entity)
    ]


@contextmanager
def _counted(store: Store) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(store.write_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.write_engine, "before_cursor_execute", count)


def test_a_big_page_lands_in_as_many_statements_as_a_small_one(tmp_path: Path) -> None:
    """A second laptop pulls a class with 600 checks: the statements do not grow per record."""
    first = AppServices.open(tmp_path / "first")
    section = create_sample_class(first)
    students = [e.student.id for e in first.roster.roster(section.id)]
    target = first.targets.list_for(section.id)[0].id
    small = _page_of(first)
    for i in range(600):
        first.quick_checks.record(
            class_id=section.id, student_id=students[i % len(students)], target_id=target, score=2
        )
    big = _page_of(first)
    first.close()
    assert len(big) - len(small) == 600

    counts = []
    for name, page in (("small", small), ("big", big)):
        with Store.open(tmp_path / name) as store, _counted(store) as statements:
            assert remote_apply.apply_page(store, page, 1) == len(page)
            counts.append(len(statements))
        # The same page again as a digest re-pull: every record is already there.
        with Store.open(tmp_path / name) as store, _counted(store) as statements:
            assert remote_apply.apply_page(store, page, None, repair=True) == 0
            counts.append(len(statements))
    small_new, small_again, big_new, big_again = counts
    assert big_new <= small_new + 5, counts
    assert big_again <= small_again + 5, counts
