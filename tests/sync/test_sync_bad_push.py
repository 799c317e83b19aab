"""One bad push cannot stop a teacher's other laptops (issue 21, item 1).

Before: a station pushed as ``{"name": 5}`` with an extra field holding a NUL was
applied as sent; from then on every sync of every laptop of that teacher failed, and a
newly enrolled laptop never received her class. Now the server checks each change
against its record type's model first: a bad one is refused with its reason (shown
under "Needs your attention" on the laptop that sent it), kept raw, and nothing else
is touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

from laptops import Laptop, server_snapshot, synced_class
from sqlmodel import Session, select

from station_rotation.server.tables import ReceivedChange
from station_rotation.store.models import ChangeLog
from tests.live_server import LiveServer

Laptops = Callable[[], Laptop]


def _queue_raw(laptop: Laptop, entity: str, record_id: str, payload: dict[str, Any]) -> str:
    """Put a change in the laptop's outbox as a damaged or unknown copy of the app would."""
    stamp = laptop.store.clock.tick().encode()
    row = ChangeLog(
        entity=entity,
        record_id=record_id,
        op="upsert",
        hlc=stamp,
        payload=json.dumps({**payload, "id": record_id, "hlc": stamp}),
    )
    with laptop.store.write() as tx:
        tx.session.add(row)
        tx.session.flush()
        return row.change_id


def test_a_change_no_laptop_could_read_is_refused_and_the_rest_sync(
    server: LiveServer, laptops: Laptops
) -> None:
    teacher, desk, section = synced_class(server, laptops, 3)
    cart = laptops().enrol(teacher)
    cart.sync()
    station = desk.services.stations.list_for(section.id)[0]
    bad = _queue_raw(cart, "station", station.id, {"name": 5, "evil": "a\x00b"})
    cart.services.stations.update(station.id, capacity=7)  # a good edit after the bad one

    report = cart.sync()

    assert report.rejected == 1
    [refused] = cart.services.sync.attention.read().refused
    assert refused.change_id == bad
    assert "could not be stored" in refused.reason and "'evil'" in refused.reason
    assert cart.pending() == 0
    with Session(server.engine) as session:
        received = session.exec(select(ReceivedChange).where(ReceivedChange.change_id == bad)).one()
    assert received.status == "rejected"
    assert cast(dict[str, Any], received.raw["payload"])["name"] == 5  # kept raw, as received

    # Every laptop of hers goes on syncing, and a new one receives her whole class.
    assert desk.sync().warnings == []
    assert desk.services.stations.get(station.id).capacity == 7
    assert desk.services.stations.get(station.id).name == station.name
    fresh = laptops().enrol(teacher)
    assert fresh.sync().warnings == []
    assert fresh.snapshot() == desk.snapshot() == cart.snapshot() == server_snapshot(server)


def test_a_wrong_type_alone_is_refused_in_plain_words(server: LiveServer, laptops: Laptops) -> None:
    """``"name": 5`` with no other field: refused for the name (the first problem), with
    a count of the others, before anything about the class is looked at."""
    _, laptop, section = synced_class(server, laptops, 2)
    station = laptop.services.stations.list_for(section.id)[0]
    _queue_raw(laptop, "station", station.id, {"name": 5})

    assert laptop.sync().rejected == 1
    [refused] = laptop.services.sync.attention.read().refused
    assert "could not be stored" in refused.reason
    assert "more problems" in refused.reason
    assert laptop.services.stations.get(station.id).name == station.name
