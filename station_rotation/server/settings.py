"""Server settings from the environment (``STATION_ROTATION_SERVER_*``) or arguments."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    """SQLite file by default (to try it out); a PostgreSQL URL in production."""

    model_config = SettingsConfigDict(env_prefix="STATION_ROTATION_SERVER_")

    database_url: str = "sqlite:///station-rotation-server.sqlite3"
    code_minutes: int = 15
    """How long an enrolment code stays valid."""
    enrol_failures_per_minute: int = 10
    """Wrong enrolment codes one client address may try per minute before being refused."""
    migrate_on_start: bool = True
    concurrent_requests: int = 20
    """Sync requests handled at once; more wait their turn (below the connection pool)."""
