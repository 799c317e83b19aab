"""The server's logs are JSON lines with ids and counts, never a student's data."""

from __future__ import annotations

import json
import logging

from station_rotation.server.logs import JsonFormatter


def test_a_payload_passed_to_the_log_by_mistake_is_dropped() -> None:
    """Even if code logs a change's payload, the student's name never reaches the file."""
    record = logging.LogRecord(
        "station_rotation.server", logging.INFO, __file__, 1, "push", (), None
    )
    record.__dict__.update({"device": "d-1", "changes": 3, "payload": {"given_name": "Amara"}})
    line = JsonFormatter().format(record)
    assert json.loads(line)["device"] == "d-1"
    assert json.loads(line)["changes"] == 3
    assert "Amara" not in line
