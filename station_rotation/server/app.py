"""``create_app(settings)``: the district server's HTTP API (OpenAPI is the contract)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from pydantic_core import to_json
from sqlalchemy import Connection, Engine, String, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, select
from starlette.exceptions import HTTPException as StarletteHTTPException

from station_rotation.core.hlc import wall_clock_ms
from station_rotation.server import audit, enrol_limit, exchange
from station_rotation.server.bulk import Reading, read_together
from station_rotation.server.database import make_engine
from station_rotation.server.migrate import upgrade
from station_rotation.server.security import digest, new_token, normalise_code
from station_rotation.server.settings import ServerSettings
from station_rotation.server.tables import Device, EnrolmentCode, utc_now
from station_rotation.sync.wire import (
    ACCEPTED_PROTOCOLS,
    DigestRequest,
    DigestResponse,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    PullPage,
    PullRequest,
    PushRequest,
    PushResponse,
)

log = logging.getLogger("station_rotation.server")
bearer = HTTPBearer(auto_error=False)

M = TypeVar("M", PushRequest, PullRequest, DigestRequest)
R = TypeVar("R")
Work = Callable[[Any, "Laptop", M], Response]
"""What a sync endpoint does once the laptop and its request checked out."""

VALIDATION_ERROR: dict[str, Any] = {
    "description": "Validation Error",
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
    },
}


CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

RETRYABLE_STATES = frozenset({"40001", "40P01", "55P03"})
"""PostgreSQL's serialization failure, deadlock and lock not available: another request
got in the way; the same request succeeds when sent again (a retryable 503)."""

NOT_ENROLLED = "This laptop is not enrolled. Enter an enrolment code."
NOT_ACCEPTED = (
    "The district server no longer accepts this laptop. Ask your district for a new "
    "enrolment code; your unsynced changes are kept."
)


_DEVICES: Any = Device.__table__  # type: ignore[attr-defined]
_DEVICE = sa_select(
    _DEVICES.c.id,
    _DEVICES.c.teacher_id,
    _DEVICES.c.device_id,
    _DEVICES.c.last_seq,
    _DEVICES.c.revoked,
).where(_DEVICES.c.token_hash == bindparam("token_hash", type_=String))
"""The laptop behind a token hash; built once (building a statement costs more than
running it)."""
_LOCKED_DEVICE = _DEVICE.with_for_update()


@dataclass(slots=True)
class Laptop:
    """What a sync request needs of its enrolment (``exchange.Pushing``).

    A plain object: building a ``Device`` model from the row would cost more than the lookup.
    """

    id: str
    teacher_id: str
    device_id: str
    last_seq: int | None


def _device(db: Reading, token: str, lock: bool = False) -> Laptop:
    """The enrolled, unrevoked laptop behind ``token`` (one lookup by the unique hash).

    A Core query and a plain :class:`Laptop`: the request reads it, nothing writes it
    back (a push updates the row itself). ``lock``: the row stays locked until the
    transaction ends, as a push needs it (``exchange.apply_push``); taken here, the
    push spares a statement.
    """
    statement = _LOCKED_DEVICE if lock else _DEVICE
    (found,) = read_together(db, (statement, {"token_hash": digest(token)}))
    if not found or found[0][4]:  # none, or revoked
        raise HTTPException(401, NOT_ACCEPTED)
    return Laptop(*found[0][:4])


B = TypeVar("B", bound=BaseModel)


def _parse(model: type[B], raw: bytes) -> B:
    """``raw`` validated as ``model`` straight from JSON, in pydantic's Rust core.

    Every route reads its body so, and so refuses the same way a body that is not
    UTF-8, not JSON (``NaN`` included) or holds a lone surrogate. FastAPI would decode
    the body into Python objects first and validate those, twice the work for a push.
    Errors keep FastAPI's 422 shape (see ``_readable``).
    """
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def _readable(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors as the 422's ``detail``: what was wrong and where, as text.

    Never the input nor its context: they quote the request (a student's data, or bytes
    that are not text and could not be sent back as JSON at all); a location or message
    holding a lone surrogate has it escaped.
    """
    return [
        {
            "type": str(error.get("type", "value_error")),
            "loc": [p if isinstance(p, int) else _text(p) for p in error.get("loc", ())],
            "msg": _text(error.get("msg", "")),
        }
        for error in errors
    ]


def _text(value: object) -> str:
    """``value`` as text that encodes as UTF-8 (a lone surrogate escaped as ``\\udxxx``)."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _documented(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its body itself (see ``_parse``)."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def _with_schemas(app: FastAPI, models: Sequence[type[BaseModel]]) -> None:
    """Add ``models`` (and the models they use) to the app's OpenAPI components."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in found.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components.setdefault(model.__name__, found)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _json(reply: BaseModel) -> Response:
    """``reply`` serialised once, in pydantic's Rust core.

    Returning the model itself makes FastAPI validate it again against the response model
    and encode it through Python objects, which costs more than building a push's
    results. The route's ``response_model`` still documents the shape.
    """
    return Response(reply.model_dump_json(), media_type="application/json")


BUSY = "The district server is busy. Your work is saved; sync tries again."


def _retry_later(detail: str, seconds: int) -> JSONResponse:
    """A 503 the laptop's sync retries after ``seconds`` (``Retry-After``)."""
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": str(seconds)})


TOO_OLD = (
    "This version of Station Rotation is too old for the district server. Update the "
    "app; your unsynced changes are kept and will sync after the update."
)


def _check_protocol(protocol: int) -> None:
    if protocol not in ACCEPTED_PROTOCOLS:
        raise HTTPException(426, TOO_OLD)


def _declared(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The refusals a route may answer, for its OpenAPI entry (``REFUSALS``)."""
    return {status: REFUSALS[status] for status in statuses}


def _refusal(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/ErrorBody"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


REFUSALS: dict[int, dict[str, Any]] = {
    400: _refusal("The enrolment code is wrong, already used or expired."),
    401: _refusal("No token, or one the server does not accept."),
    409: _refusal("Another sync of this laptop is running; send again."),
    413: _refusal("The request body is larger than the server takes."),
    422: VALIDATION_ERROR,
    426: _refusal("A protocol this server does not speak: the app must be updated."),
    429: _refusal("Too many wrong enrolment codes from this client; wait a minute."),
    503: _refusal("The server is busy or lost its database; send again after Retry-After."),
}
"""Every refusal the server answers, as documented: the contract names each one a route
can give (schemathesis holds the server to it)."""


def create_app(settings: ServerSettings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app on ``settings.database_url`` (migrated first unless told otherwise)."""
    settings = settings or ServerSettings()
    engine = engine or make_engine(settings.database_url, settings.concurrent_requests)
    database: Engine = engine  # as typed for the closures below (never None there)
    if settings.migrate_on_start:
        upgrade(engine)
    per_minute = settings.enrol_failures_per_minute
    app = FastAPI(
        title="Station Rotation district server",
        version="1",
        max_body_size=settings.max_request_bytes,
    )
    app.state.engine = engine
    # Requests that use the database run on this many threads of their own; the others
    # wait in the pool's queue holding nothing (a request never sits on a database
    # connection while it waits for a thread, so the pool, as large, never runs dry:
    # database.py). A plain executor, not Starlette's ``run_in_threadpool``: its
    # capacity limiter and cancel scopes cost more per request than a pull's own work.
    workers = ThreadPoolExecutor(settings.concurrent_requests, thread_name_prefix="sync")
    app.router.on_shutdown.append(partial(workers.shutdown, wait=False))

    async def on_worker(work: Callable[..., R], *args: Any) -> R:
        """``work(*args)`` on a database thread, awaited on the event loop."""
        return await asyncio.get_running_loop().run_in_executor(workers, partial(work, *args))

    # One log line per request: the sync endpoints log what they did (device, counts),
    # these what was refused (status, route). uvicorn's access line would repeat each
    # (``serving.py`` turns it off): logging is a visible share of a sync request's time.
    @app.exception_handler(StarletteHTTPException)
    async def refused(request: Request, exc: StarletteHTTPException) -> Response:
        log.info("refused", extra={"status": exc.status_code, "path": request.url.path})
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """Logged without the errors: they quote the request body (a student's data)."""
        log.info("invalid request", extra={"status": 422, "path": request.url.path})
        return JSONResponse({"detail": _readable(exc.errors())}, status_code=422)

    @app.exception_handler(PoolTimeout)
    async def busy(_request: Request, _exc: PoolTimeout) -> JSONResponse:
        """Every database connection is busy: a retryable 503, not a server error."""
        log.warning("database pool exhausted")
        return _retry_later(BUSY, seconds=2)

    @app.exception_handler(DBAPIError)
    async def connection_lost(_request: Request, exc: DBAPIError) -> Response:
        """A connection the database dropped (restart, failover, idle timeout): a retryable 503.

        The pool does not test connections before use (``database.py``); SQLAlchemy marks
        a dropped one invalidated and discards it with the pool's other connections
        of that age, so the laptop's retry gets a fresh one. A request that lost a
        deadlock or a lock to another (``RETRYABLE_STATES``) is retryable too. Any other
        database error stays a server error.
        """
        if getattr(exc.orig, "sqlstate", None) in RETRYABLE_STATES:
            log.warning("database conflict; the laptop retries")
            return _retry_later(BUSY, seconds=1)
        if not exc.connection_invalidated:
            log.error("database error", exc_info=exc)
            return Response("Internal Server Error", status_code=500)
        log.warning("database connection lost; the laptop retries")
        return _retry_later(
            "The district server lost its database connection. Sync tries again.", seconds=1
        )

    # Pull and digest only read: on PostgreSQL each statement runs on its own (autocommit),
    # which spares a request the BEGIN and ROLLBACK round trips. Their reads are single
    # statements, each consistent (see ``exchange.digests``). SQLite keeps its transaction:
    # its engine begins every transaction itself (database.py).
    autocommit_reads = engine.dialect.name == "postgresql"

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post(
        "/v1/enrol",
        response_model=EnrolResponse,
        responses=_declared(400, 413, 422, 426, 429, 503),
        openapi_extra=_documented(EnrolRequest),
    )
    async def enrol(request: Request) -> EnrolResponse:
        body = _parse(EnrolRequest, await request.body())
        _check_protocol(body.protocol)
        client = enrol_limit.client_key(request.client.host if request.client else "?")
        return await on_worker(enrol_work, body, client)

    def enrol_work(body: EnrolRequest, client: str) -> EnrolResponse:
        """The client's earlier wrong codes are counted under its lock (``enrol_limit``)."""
        with Session(engine, expire_on_commit=False) as db:
            now = wall_clock_ms()
            enrol_limit.hold(db.connection(), client)
            if enrol_limit.blocked(db.connection(), client, per_minute, now):
                raise HTTPException(429, "Too many wrong codes. Wait a minute and try again.")
            return _enrol(db, body, client, now)

    def _enrol(db: Session, body: EnrolRequest, client: str, now: int) -> EnrolResponse:
        code = db.exec(
            select(EnrolmentCode)
            .where(EnrolmentCode.code_hash == digest(normalise_code(body.code)))
            .with_for_update()
        ).first()
        expires = code.expires_at if code is not None else None
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=utc_now().tzinfo)
        if code is None or code.used or expires is None or expires < utc_now():
            enrol_limit.record(db.connection(), client, now)
            db.commit()
            raise HTTPException(
                400,
                "That enrolment code is wrong, already used or expired. Ask your district "
                "for a new one.",
            )
        token = new_token()
        code.used = True
        # A laptop enrolled again starts a fresh change sequence under its new enrolment:
        # the refusal of a reused number (a data folder restored from a backup, which
        # numbers its new edits again from the backup's last one) asks for this, and
        # continuing the old sequence kept such a laptop refused for ever. Its earlier
        # changes still count as duplicates (``exchange._same_laptop``: same device id),
        # and its first push is held to no earlier number: its outbox starts where it is.
        enrolled = Device(
            teacher_id=code.teacher_id,
            device_id=body.device_id,
            name=body.device_name,
            token_hash=digest(token),
            last_seq=None,
        )
        db.add(code)
        db.add(enrolled)
        audit.record(
            db,
            "enrol",
            actor=code.teacher_id,
            actor_kind="teacher",
            records=1,
            scope={"enrolment": enrolled.id, "device": body.device_id, "client": client},
        )
        db.commit()
        log.info("device enrolled", extra={"device": enrolled.id})
        return EnrolResponse(
            token=token, teacher_id=code.teacher_id, device_id=enrolled.id, server_time=utc_now()
        )

    def on_database(raw: bytes, token: str, model: type[M], work: Work[M]) -> Response:
        """Run in a worker thread: authenticate, validate, check the protocol, then work.

        A push works in an ORM session (one transaction); a pull or digest only reads,
        on a plain connection: the session's own bookkeeping costs as much as a digest's
        read.
        """
        if model is PushRequest:
            with Session(database, expire_on_commit=False) as db:
                return authorised(db, raw, token, model, work, lock=True)
        with database.connect() as connection:
            if autocommit_reads:
                connection.execution_options(isolation_level="AUTOCOMMIT")
            return authorised(connection, raw, token, model, work)

    def authorised(
        db: Reading,
        raw: bytes,
        token: str,
        model: type[M],
        work: Work[M],
        lock: bool = False,
    ) -> Response:
        me = _device(db, token, lock=lock)
        body = _parse(model, raw)
        _check_protocol(body.protocol)
        return work(db, me, body)

    async def sync_call(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None,
        model: type[M],
        work: Work[M],
    ) -> Response:
        """One sync request: one hop to a database thread (see ``workers``).

        Without a token the body is not read: nobody's data is taken in for nothing.
        """
        if credentials is None:
            raise HTTPException(401, NOT_ENROLLED)
        raw = await request.body()
        return await on_worker(on_database, raw, credentials.credentials, model, work)

    def push_work(db: Session, me: Laptop, body: PushRequest) -> Response:
        try:
            results, refused = exchange.apply_push(
                db, me, body.changes, body.seen_cursor, locked=True
            )
            db.commit()
        except IntegrityError as exc:  # the same batch pushed twice at once: retry later
            db.rollback()
            raise HTTPException(409, "Another sync of this laptop is running; try again.") from exc
        log.info(
            "push",
            extra={"device": me.id, "changes": len(body.changes), "acked": me.last_seq},
        )
        reply = {
            "results": results,
            # Only what this request's results cover: a refused change is never acknowledged.
            "acked_through_seq": max((r["device_seq"] for r in results), default=0),
            "refused": refused,
            "server_time": utc_now(),
        }
        # Plain dicts shaped like PushResponse (exchange.apply_push), encoded in Rust.
        return Response(to_json(reply), media_type="application/json")

    def pull_work(db: Connection, me: Laptop, body: PullRequest) -> Response:
        reply, count = exchange.pull_reply(db, me.teacher_id, body)
        log.info("pull", extra={"device": me.id, "changes": count})
        return Response(reply, media_type="application/json")

    def digest_work(db: Connection, me: Laptop, body: DigestRequest) -> Response:
        tables = exchange.digests(db, me.teacher_id)
        log.info("digest", extra={"device": me.id})
        return _json(DigestResponse(tables=tables, server_time=utc_now()))

    @app.post(
        "/v1/push",
        response_model=PushResponse,
        responses=_declared(401, 409, 413, 422, 426, 503),
        openapi_extra=_documented(PushRequest),
    )
    async def push(request: Request, credentials: CredentialsDep) -> Response:
        return await sync_call(request, credentials, PushRequest, push_work)

    @app.post(
        "/v1/pull",
        response_model=PullPage,
        responses=_declared(401, 413, 422, 426, 503),
        openapi_extra=_documented(PullRequest),
    )
    async def pull(request: Request, credentials: CredentialsDep) -> Response:
        return await sync_call(request, credentials, PullRequest, pull_work)

    @app.post(
        "/v1/digest",
        response_model=DigestResponse,
        responses=_declared(401, 413, 422, 426, 503),
        openapi_extra=_documented(DigestRequest),
    )
    async def digest_tables(request: Request, credentials: CredentialsDep) -> Response:
        """Per-table counts and hashes of the teacher's scope, to check a laptop's copy."""
        return await sync_call(request, credentials, DigestRequest, digest_work)

    _with_schemas(app, [PushRequest, PullRequest, DigestRequest, EnrolRequest, ErrorBody])
    return app
