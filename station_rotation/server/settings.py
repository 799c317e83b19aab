"""Server settings from the environment (``STATION_ROTATION_SERVER_*``) or arguments."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from station_rotation.sync.wire import MAX_REQUEST_BYTES


class ServerSettings(BaseSettings):
    """SQLite file by default (to try it out); a PostgreSQL URL in production."""

    model_config = SettingsConfigDict(env_prefix="STATION_ROTATION_SERVER_")

    database_url: str = "sqlite:///station-rotation-server.sqlite3"
    code_minutes: int = 15
    """How long an enrolment code stays valid."""
    enrol_failures_per_minute: int = 10
    """Wrong enrolment codes one client address may try per minute before being refused
    (counted in the database: every server process sees them; ``enrol_limit.py``)."""
    trusted_proxies: str = ""
    """The proxies whose ``X-Forwarded-For`` names the real client: comma-separated
    addresses or networks (``127.0.0.1``, ``10.0.0.0/8``), as uvicorn's
    ``forwarded_allow_ips``. Empty (the default): no header is believed, so a request
    from loopback cannot choose its own address and dodge the enrolment limit."""
    migrate_on_start: bool = True
    concurrent_requests: int = 4
    """Sync requests each server process works on at once: its database threads (and its
    connection pool's size); more wait their turn in the threads' queue holding nothing.
    The work is CPU-bound: many more at a time only contend for the process's GIL and the
    sequence counter's lock."""
    max_request_bytes: int = Field(default=MAX_REQUEST_BYTES, ge=64 * 1024)
    """The largest request body the server reads (a 413 beyond it, read no further): a
    bound on what one request can make the server hold. Laptops split their pushes to
    fit (``wire.MAX_REQUEST_BYTES``) and halve a batch the server refuses as too large."""
