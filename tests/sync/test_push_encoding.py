"""The laptop writes a push request by splicing its outbox's JSON: the server must read
exactly what the models would have sent."""

from __future__ import annotations

import json

from station_rotation.sync.engine import encode_push
from station_rotation.sync.remote_apply import OutboxEntry
from station_rotation.sync.wire import PROTOCOL_VERSION, Change, PushRequest


def _entry(seq: int, change_id: str, payload: dict[str, object], op: str = "upsert") -> OutboxEntry:
    return OutboxEntry(
        seq=seq,
        change_id=change_id,
        entity="quick_check",
        record_id=f"record-{seq}",
        op=op,
        hlc=f"0001-0000-device-{seq}",
        payload_json=json.dumps(payload, sort_keys=True),
        payload_version=1,
    )


def test_a_spliced_push_reads_as_the_models_would_send_it() -> None:
    """Odd ids, quotes, accents and a delete survive the splice; the cursor travels too."""
    entries = [
        _entry(7, 'quote " and \\ back', {"note": 'Élodie\'s "good" day', "score": 3}),
        _entry(8, "plain", {"deleted": True, "nested": {"a": [1, 2.5, None]}}, op="delete"),
    ]
    expected = PushRequest(
        protocol=PROTOCOL_VERSION,
        seen_cursor=41,
        changes=[
            Change(
                change_id=e.change_id,
                device_seq=e.seq,
                entity=e.entity,
                record_id=e.record_id,
                op="delete" if e.op == "delete" else "upsert",
                hlc=e.hlc,
                payload=e.payload,
                payload_type=e.entity,
                payload_version=e.payload_version,
            )
            for e in entries
        ],
    )
    assert PushRequest.model_validate_json(encode_push(entries, 41)) == expected
    assert PushRequest.model_validate_json(encode_push(entries, None)).seen_cursor is None
