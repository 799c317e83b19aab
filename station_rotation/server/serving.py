"""Running the district server: how many processes, and the settings of each.

``station-rotation-server serve`` runs one uvicorn process on SQLite (one writer at a
time anyway) and, on PostgreSQL, one per core but one (at most four): a process runs
Python on one core at a time (the GIL), and the core left over is PostgreSQL's, which
usually shares the machine (docs/benchmarks.md: on 2 cores one process beat two);
``--workers`` sets the count.
Several processes share the listening socket; each builds its app from the environment
(:func:`app_from_environment`), the database having been migrated once before they start.
"""

from __future__ import annotations

import gc
import os
from typing import Any

from fastapi import FastAPI

from station_rotation.server.settings import ServerSettings

MAX_DEFAULT_WORKERS = 4

_URL_VARIABLE = "STATION_ROTATION_SERVER_DATABASE_URL"
_MIGRATE_VARIABLE = "STATION_ROTATION_SERVER_MIGRATE_ON_START"


def default_workers(database_url: str) -> int:
    """On PostgreSQL one process per core but one (at least one, at most four); on SQLite one."""
    if database_url.startswith("sqlite"):
        return 1
    return max(1, min((os.cpu_count() or 1) - 1, MAX_DEFAULT_WORKERS))


def settle_heap() -> None:
    """Set the garbage collector for a server process whose app is built.

    A push allocates many objects that live until its reply; with Python's defaults they
    set off frequent young collections and full ones that walk everything loaded at start.
    What exists now lives as long as the process, so the collector stops looking at it
    (``freeze``), and young collections run less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def proxy_options(settings: ServerSettings) -> dict[str, Any]:
    """uvicorn's proxy-header options: off unless the district names its proxies.

    uvicorn's own default believes ``X-Forwarded-For`` from 127.0.0.1, so anything that
    reaches the server from its own host (a TLS terminator in TCP mode, a tunnel) could
    choose the client address the enrolment limit counts.
    """
    trusted = settings.trusted_proxies.strip()
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def app_from_environment() -> FastAPI:
    """The app of one worker process (a uvicorn factory): settings from the environment."""
    from station_rotation.server.app import create_app
    from station_rotation.server.logs import configure_logging

    configure_logging()
    app = create_app(ServerSettings())
    settle_heap()
    return app


def serve(settings: ServerSettings, host: str, port: int, workers: int | None = None) -> None:
    """Serve the API until stopped; ``workers`` processes (default: :func:`default_workers`)."""
    import uvicorn

    from station_rotation.server.logs import configure_logging

    count = workers or default_workers(settings.database_url)
    configure_logging()
    if count == 1:
        from station_rotation.server.app import create_app

        app = create_app(settings)
        settle_heap()
        uvicorn.run(
            app, host=host, port=port, log_config=None, access_log=False, **proxy_options(settings)
        )
        return
    if settings.migrate_on_start:
        from station_rotation.server.database import make_engine
        from station_rotation.server.migrate import upgrade

        engine = make_engine(settings.database_url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()
    os.environ[_URL_VARIABLE] = settings.database_url
    os.environ[_MIGRATE_VARIABLE] = "false"
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_config=None,
        access_log=False,  # the app logs each request once (app.py)
        **proxy_options(settings),
    )
