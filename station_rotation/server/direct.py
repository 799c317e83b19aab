"""The sync endpoints answered straight from ASGI, past FastAPI's middleware and routing.

FastAPI stays the contract: the sync routes are declared there as usual (OpenAPI,
schemathesis, any other method or path), and every other request goes through it. A
``POST`` to a sync path is answered here instead: its token read from the header, the
endpoint awaited (it reads the body when it needs it, at most the app's
``max_body_size``), and an exception answered by the handler the app registered for it,
as FastAPI's exception middleware would. That spares each sync request
five middleware layers, the router's scan, dependency solving and the wrapped ``send`` of
every layer: a fifth of the server's work with 200 laptops syncing at once.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

log = logging.getLogger("station_rotation.server")

BodyReader = Callable[[], Awaitable[bytes]]
"""Reads the request's whole body (once); a body over the app's limit is a 413."""
Endpoint = Callable[[str | None, BodyReader], Awaitable[Response]]
"""A sync endpoint: (the bearer token, or None; its body's reader) to its response.

It checks the token before it reads the body: a request with none is refused unread."""
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


class DistrictApp(FastAPI):
    """FastAPI with some ``POST`` paths answered directly (see the module's docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.direct: dict[str, Endpoint] = {}

    def answer_directly(self, path: str, endpoint: Endpoint) -> None:
        """Answer ``POST path`` with ``endpoint``; the route stays declared in FastAPI."""
        if not any(getattr(route, "path", None) == path for route in self.routes):
            raise ValueError(f"{path} is not a declared route: it would go undocumented")
        self.direct[path] = endpoint

    def build_middleware_stack(self) -> Any:
        """FastAPI's stack, built at the first request; refused if it holds anything the
        direct answers would skip without a word (see :meth:`_bypassed`)."""
        if self.direct and (bypassed := self._bypassed()):
            raise RuntimeError(
                f"{', '.join(sorted(self.direct))} are answered past FastAPI, so they "
                f"would skip {'; '.join(bypassed)}: handle it there too, or stop answering "
                "them directly"
            )
        return super().build_middleware_stack()

    def _bypassed(self) -> list[str]:
        """What the app has that applies to a request only through FastAPI's stack."""
        found = [f"middleware {m.cls.__name__}" for m in self.user_middleware]  # type: ignore[attr-defined]
        if self.router.dependencies:
            found.append("the app's dependencies")
        for key in self.exception_handlers:
            if isinstance(key, int) or key is Exception:
                found.append(f"the exception handler for {key!r}")
        for route in self.routes:
            if getattr(route, "path", None) not in self.direct:
                continue
            if getattr(route, "dependencies", []):
                found.append(f"the dependencies of {route.path}")  # type: ignore[attr-defined]
            if getattr(route, "max_body_size", None) not in (None, self.max_body_size):
                found.append(f"the body limit of {route.path}")  # type: ignore[attr-defined]
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.middleware_stack is None:  # as Starlette: at the first request of any kind
            self.middleware_stack = self.build_middleware_stack()
        if scope["type"] == "http" and scope["method"] == "POST":
            endpoint = self.direct.get(_route_path(scope))
            if endpoint is not None:
                await self._answer(endpoint, scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def _answer(self, endpoint: Endpoint, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_body_size
        declared = _content_length(scope)
        if limit is not None and declared is not None and declared > limit:
            # Refused unread, in plain text, as Starlette's body limit answers a declared
            # length; a body that outgrows the limit as it comes is a 413 of the handlers.
            log.info("refused", extra={"status": 413, "path": scope["path"]})
            await PlainTextResponse(TOO_LARGE, 413)(scope, receive, send)
            return
        try:
            response = await endpoint(bearer_token(scope), partial(_body, receive, limit))
        except ClientDisconnect:
            return  # nobody to answer; the laptop sends again
        except Exception as exc:
            try:
                handler = self._handler_for(exc)
                if handler is None:
                    raise
                answer = handler(Request(scope, receive), exc)
                response = await answer if inspect.isawaitable(answer) else answer
            except Exception:  # as Starlette's ServerErrorMiddleware: answer, then raise
                await PlainTextResponse("Internal Server Error", 500)(scope, receive, send)
                raise
        await response(scope, receive, send)

    def _handler_for(self, exc: Exception) -> Handler | None:
        """The exception handler the app registered for ``exc``'s class or a base of it."""
        for cls in type(exc).__mro__:
            if cls in self.exception_handlers:
                handler: Handler = self.exception_handlers[cls]
                return handler
        return None


def bearer_token(scope: Scope) -> str | None:
    """The ``Authorization: Bearer`` token of a request, as FastAPI's ``HTTPBearer`` reads it."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, token = get_authorization_scheme_param(value.decode("latin-1"))
            return token if scheme.lower() == "bearer" and token else None
    return None


def _route_path(scope: Scope) -> str:
    """The request's path below the app's root path (as Starlette's router matches it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


TOO_LARGE = "Content Too Large"
"""The 413's detail, as FastAPI's body limit words it."""


def _content_length(scope: Scope) -> int | None:
    """The request's declared ``Content-Length``, read as Starlette's body limit reads it
    (the first one; None if there is none or it is not a number)."""
    value = Headers(scope=scope).get("content-length")
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


async def _body(receive: Receive, limit: int | None) -> bytes:
    """The whole body; a 413 as soon as it passes ``limit`` bytes (nothing more is kept)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise HTTPException(413, TOO_LARGE)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
