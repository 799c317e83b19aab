"""Structured (one JSON object per line) logs that never carry student data.

Log calls pass only ids of devices and counts as ``extra``; this formatter copies only
the keys listed in :data:`ALLOWED_FIELDS`, so a payload slipped into ``extra`` by
mistake is dropped rather than written to disk.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

ALLOWED_FIELDS = ("device", "changes", "acked", "seq", "teacher", "status", "path")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key in ALLOWED_FIELDS:
            if key in record.__dict__:
                entry[key] = record.__dict__[key]
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
