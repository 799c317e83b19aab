"""The companion over HTTP: its pages, a small JSON API and server-sent events.

Starlette, the same toolkit the district server is built on (FastAPI stands on it). The
wire is written down in docs/companion.md. Service calls block on SQLite for a few
milliseconds, so they run in the thread pool and the event loop keeps feeding every
device's stream. Nothing here logs a request: no code, token or student data can reach
a log.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from pydantic import BaseModel
from pydantic import ValidationError as InvalidRequest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from station_rotation.companion.access import AccessRefused, DeviceSession, Role
from station_rotation.companion.classroom import Classroom, Refused
from station_rotation.companion.views import (
    CheckInRequest,
    CheckRequest,
    CommandRequest,
    LeaveRequest,
    PairRequest,
    PersonalRequest,
    PickRequest,
    ReflectionRequest,
    UndoRequest,
)
from station_rotation.core.errors import StationRotationError
from station_rotation.paths import resource_path

COOKIE = "sr_session"
MAX_BODY = 4096
PING_SECONDS = 15.0
STREAMS_PER_DEVICE = 3
"""A page open in a few tabs is fine; a device opening streams without end is not."""
STUDENT_BUILDS = 1
"""How many students' streams rebuild their views at once. A change (a pause) wakes every
stream; 35 builds in as many threads convoy on the GIL, each stretched to the whole burst,
and the teacher's answer waits behind them (160 ms with 36 devices). One at a time, a
build takes under a millisecond (docs/benchmarks.md, Companion)."""
STATIC_FILES = frozenset(
    {"companion.css", "common.js", "index.js", "teacher.js", "student.js", "qr.js"}
)
PAGES = {"/": "index.html", "/teacher": "teacher.html", "/student": "student.html"}
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # The pages load nothing from anywhere else, and nothing may frame them.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
}
ModelT = TypeVar("ModelT", bound=BaseModel)


class Answer(Exception):
    """A refusal on its way to the device: status and plain words."""

    def __init__(self, status: int, words: str, retry_after: int = 0) -> None:
        super().__init__(words)
        self.status, self.words, self.retry_after = status, words, retry_after


def refusal(status: int, words: str, retry_after: int = 0) -> JSONResponse:
    headers = {**_HEADERS, **({"Retry-After": str(retry_after)} if retry_after else {})}
    return JSONResponse({"error": words}, status_code=status, headers=headers)


def answer(body: dict[str, Any], *, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=_HEADERS)


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


def device_label(request: Request) -> str:
    """What the teacher's list calls a device: its kind, from the browser's own words."""
    agent = request.headers.get("user-agent", "")
    for word, label in (
        ("CrOS", "Chromebook"),
        ("iPad", "iPad"),
        ("iPhone", "iPhone"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("Linux", "Linux"),
    ):
        if word in agent:
            return label
    return "Browser"


def build_app(classroom: Classroom, *, closing: asyncio.Event | None = None) -> Starlette:
    """The companion's HTTP application over ``classroom`` (``closing`` ends the streams)."""
    access = classroom.access
    shutdown = closing or asyncio.Event()
    streams: dict[str, int] = {}  # open event streams per device (the loop's thread only)
    student_builds = CapacityLimiter(STUDENT_BUILDS)

    async def body_of(request: Request, model: type[ModelT]) -> ModelT:
        """The request's JSON body as ``model``, or an :class:`Answer` saying what is wrong."""
        if request.headers.get("x-companion") != "1":
            raise Answer(403, "This request did not come from the companion's page.")
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise Answer(403, "This request came from another site.")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Answer(400, "Send JSON.")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            raise Answer(413, "That request is too large.")
        data = b""
        async for chunk in request.stream():
            data += chunk
            if len(data) > MAX_BODY:
                raise Answer(413, "That request is too large.")
        try:
            return model.model_validate_json(data)  # one parse: pydantic says if it is JSON
        except InvalidRequest as error:
            first = error.errors(include_input=False, include_url=False)[0]
            if first["type"] == "json_invalid":
                raise Answer(400, "That request is not JSON.") from None
            where = ".".join(str(part) for part in first["loc"])
            raise Answer(422, f"{where}: {first['msg']}" if where else first["msg"]) from None

    def session_of(request: Request, *roles: Role) -> DeviceSession:
        session = access.session(request.cookies.get(COOKIE))
        if session is None:
            raise Answer(401, "This device is not connected. Type the code again.")
        if roles and session.role not in roles:
            raise Answer(403, "This device may not do that.")
        return session

    def handled(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Answer as refused:
                return refusal(refused.status, refused.words, refused.retry_after)
            except AccessRefused as refused:
                return refusal(refused.status, refused.words, refused.retry_after)
            except Refused as refused:
                return refusal(refused.status, refused.words)
            except StationRotationError as error:
                # The store could not save (disk full, file locked): the page resends.
                return refusal(503, f"Not saved on the laptop: {error}")

        return run

    def with_cookie(body: dict[str, Any], session: DeviceSession) -> JSONResponse:
        response = answer(body)
        response.set_cookie(COOKIE, session.token, httponly=True, samesite="strict", path="/")
        return response

    # --- pages ----------------------------------------------------------------------

    async def page(request: Request) -> Response:
        name = PAGES[request.url.path]
        session = access.session(request.cookies.get(COOKIE))
        if name == "teacher.html" and (session is None or session.role is not Role.TEACHER):
            return RedirectResponse("/", status_code=303)
        if name == "student.html" and (session is None or session.role is Role.TEACHER):
            return RedirectResponse("/", status_code=303)
        return FileResponse(
            resource_path("companion", name),
            media_type="text/html; charset=utf-8",
            headers=_HEADERS,
        )

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return refusal(404, "No such file.")
        path = resource_path("companion", "static", name)
        if not path.is_file():
            return refusal(404, "No such file.")
        return FileResponse(path, media_type=_TYPES[path.suffix], headers=_HEADERS)

    # --- joining --------------------------------------------------------------------

    async def pair(request: Request) -> Response:
        body = await body_of(request, PairRequest)
        session = access.pair(
            client=client_of(request),
            label=device_label(request),
            secret=body.secret,
            code=body.code,
        )
        return with_cookie({"role": session.role.value}, session)

    async def join(request: Request) -> Response:
        body = await body_of(request, PairRequest)
        session = access.join(
            client=client_of(request),
            label=device_label(request),
            secret=body.secret,
            code=body.code,
        )
        return with_cookie({"role": session.role.value}, session)

    async def join_groups(request: Request) -> Response:
        session_of(request, Role.JOINING)
        groups = await run_in_threadpool(classroom.join_groups)
        return answer({"groups": [g.model_dump() for g in groups]})

    async def join_students(request: Request) -> Response:
        session_of(request, Role.JOINING)
        key = request.path_params["key"]
        if not (0 < len(key) <= 64 and all(ch in "0123456789abcdef" for ch in key)):
            raise Answer(404, "That group is not in today's rotation.")
        students = await run_in_threadpool(classroom.join_students, key)
        return answer({"students": [s.model_dump() for s in students]})

    async def pick(request: Request) -> Response:
        session = session_of(request, Role.JOINING)
        body = await body_of(request, PickRequest)
        await run_in_threadpool(classroom.pick, session.key, body.group, body.student)
        return answer({"role": Role.STUDENT.value})

    async def personal(request: Request) -> Response:
        session = session_of(request, Role.JOINING)
        body = await body_of(request, PersonalRequest)
        await run_in_threadpool(classroom.pick_personal, session.key, client_of(request), body.code)
        return answer({"role": Role.STUDENT.value})

    async def leave(request: Request) -> Response:
        session = session_of(request)
        await body_of(request, LeaveRequest)
        access.remove_device(session.key)
        response = answer({"ok": True})
        response.delete_cookie(COOKIE, path="/")
        return response

    # --- the live view --------------------------------------------------------------

    def view_of(session: DeviceSession) -> BaseModel:
        if session.role is Role.TEACHER:
            return classroom.teacher_view()
        if session.role is Role.STUDENT:
            return classroom.student_view(session)
        raise Answer(403, "Pick your name first.")

    async def view(request: Request) -> Response:
        session = session_of(request, Role.TEACHER, Role.STUDENT)
        built = await run_in_threadpool(view_of, session)
        return answer(built.model_dump(mode="json"))

    async def events(request: Request) -> Response:
        session = session_of(request, Role.TEACHER, Role.STUDENT)
        token = request.cookies[COOKIE]
        if streams.get(session.key, 0) >= STREAMS_PER_DEVICE:
            raise Answer(429, "This device has the page open too many times. Close a tab.", 5)
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()
        students_care = session.role is Role.STUDENT

        def changed(entities: frozenset[str]) -> None:
            if students_care and entities <= {"quick_check"}:
                return  # a teacher's check changes nothing on a student's screen
            loop.call_soon_threadsafe(wake.set)

        def build(current: DeviceSession) -> tuple[BaseModel, float | None]:
            return view_of(current), classroom.seconds_to_next_change()

        # The teacher's few streams are not queued behind the class's.
        limiter = student_builds if students_care else None

        async def stream() -> AsyncIterator[str]:
            stop = classroom.listen(changed)
            closing = asyncio.ensure_future(shutdown.wait())
            streams[session.key] = streams.get(session.key, 0) + 1
            try:
                yield "retry: 2000\n\n"
                quiet = 0.0  # seconds since the last thing sent
                turn: float | None = None  # seconds to the clock's next segment
                rebuild = True
                while not shutdown.is_set():
                    wake.clear()  # before reading: a change from now on wakes the next turn
                    current = access.session(token)
                    if current is None:
                        yield "event: ended\ndata: {}\n\n"
                        return
                    if rebuild:
                        try:
                            built, turn = await anyio.to_thread.run_sync(
                                build, current, limiter=limiter
                            )
                        except Answer:
                            yield "event: ended\ndata: {}\n\n"
                            return
                        yield f"event: view\ndata: {built.model_dump_json()}\n\n"
                        quiet = 0.0
                    ping_in = max(0.0, PING_SECONDS - quiet)
                    turn_first = turn is not None and turn + 0.05 <= ping_in
                    wait = turn + 0.05 if turn is not None and turn_first else ping_in
                    started = loop.time()
                    woke = asyncio.ensure_future(wake.wait())
                    done, _ = await asyncio.wait(
                        {woke, closing}, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                    )
                    woke.cancel()
                    waited = loop.time() - started
                    quiet += waited
                    if done or turn_first:
                        rebuild = True  # a change, or the clock moved to its next segment
                        continue
                    # Only the keep-alive is due: nothing changed, so no view is rebuilt.
                    yield ": ping\n\n"
                    quiet = 0.0
                    rebuild = False
                    if turn is not None:
                        turn = max(0.0, turn - waited)
            finally:
                closing.cancel()
                stop()
                streams[session.key] -= 1
                if not streams[session.key]:
                    del streams[session.key]

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={**_HEADERS, "X-Accel-Buffering": "no"},
        )

    # --- actions --------------------------------------------------------------------

    async def command(request: Request) -> Response:
        session_of(request, Role.TEACHER)
        body = await body_of(request, CommandRequest)

        def command_and_view() -> BaseModel:
            classroom.command(body)
            return classroom.teacher_view()

        built = await run_in_threadpool(command_and_view)
        return answer({"ok": True, "view": built.model_dump(mode="json")})

    async def check(request: Request) -> Response:
        session_of(request, Role.TEACHER)
        body = await body_of(request, CheckRequest)
        saved = await run_in_threadpool(classroom.check, body)
        return answer({"saved": True, "id": saved})

    async def undo(request: Request) -> Response:
        session_of(request, Role.TEACHER)
        body = await body_of(request, UndoRequest)
        saved = await run_in_threadpool(classroom.undo, body)
        return answer({"saved": True, "id": saved})

    async def checkin(request: Request) -> Response:
        session_of(request, Role.TEACHER)
        body = await body_of(request, CheckInRequest)
        await run_in_threadpool(classroom.open_checkin, body)
        return answer({"ok": True})

    async def reflection(request: Request) -> Response:
        session = session_of(request, Role.STUDENT)
        body = await body_of(request, ReflectionRequest)
        saved = await run_in_threadpool(classroom.reflect, session, body)
        return answer({"saved": True, "id": saved})

    routes = [
        *(Route(path, handled(page), methods=["GET"]) for path in PAGES),
        Route("/static/{name}", handled(static), methods=["GET"]),
        Route("/api/pair", handled(pair), methods=["POST"]),
        Route("/api/join", handled(join), methods=["POST"]),
        Route("/api/join/groups", handled(join_groups), methods=["GET"]),
        Route("/api/join/groups/{key}", handled(join_students), methods=["GET"]),
        Route("/api/join/pick", handled(pick), methods=["POST"]),
        Route("/api/join/personal", handled(personal), methods=["POST"]),
        Route("/api/leave", handled(leave), methods=["POST"]),
        Route("/api/view", handled(view), methods=["GET"]),
        Route("/api/events", handled(events), methods=["GET"]),
        Route("/api/command", handled(command), methods=["POST"]),
        Route("/api/check", handled(check), methods=["POST"]),
        Route("/api/undo", handled(undo), methods=["POST"]),
        Route("/api/checkin", handled(checkin), methods=["POST"]),
        Route("/api/reflection", handled(reflection), methods=["POST"]),
    ]

    async def not_found(_request: Request, _exc: Exception) -> Response:
        return refusal(404, "No such page.")

    async def not_allowed(_request: Request, _exc: Exception) -> Response:
        return refusal(405, "Not allowed.")

    async def broken(_request: Request, _exc: Exception) -> Response:
        return refusal(500, "Something went wrong on the laptop. Try again.")

    return Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_allowed, 500: broken},
    )
