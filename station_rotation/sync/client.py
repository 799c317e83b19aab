"""The HTTP side of sync: an ``httpx.AsyncClient`` with retries and plain-word errors.

Transient failures (no connection, a timeout, a server error, a busy server) are
retried with exponential backoff and jitter (tenacity); a refusal (wrong code, revoked
laptop, too-old app) is not, and becomes a :class:`SyncError` whose message is for the
teacher.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from station_rotation.core.errors import StationRotationError
from station_rotation.sync.wire import (
    PROTOCOL_VERSION,
    Change,
    EnrolRequest,
    EnrolResponse,
    PullPage,
    PullRequest,
    PushRequest,
    PushResponse,
)

M = TypeVar("M", bound=BaseModel)
RETRY_STATUSES = frozenset({409, 502, 503, 504, 500})


class SyncError(StationRotationError):
    """Sync could not finish; the message says what happened and what to do."""


class TransientError(Exception):
    """Worth retrying: the network or the server may be fine in a moment."""


class SyncClient:
    """Talks to one district server, as one enrolled laptop (or one about to enrol)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        attempts: int = 5,
        max_wait: float = 10.0,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )
        self._attempts = attempts
        self._max_wait = max_wait
        self.base_url = base_url

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SyncClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def enrol(self, code: str, device_id: str, device_name: str = "") -> EnrolResponse:
        body = EnrolRequest(
            protocol=PROTOCOL_VERSION, code=code, device_id=device_id, device_name=device_name
        )
        return await self._post("/v1/enrol", body, EnrolResponse)

    async def push(self, changes: list[Change]) -> PushResponse:
        body = PushRequest(protocol=PROTOCOL_VERSION, changes=changes)
        return await self._post("/v1/push", body, PushResponse)

    async def pull(self, cursor: int, limit: int) -> PullPage:
        body = PullRequest(protocol=PROTOCOL_VERSION, cursor=cursor, limit=limit)
        return await self._post("/v1/pull", body, PullPage)

    async def _post(self, path: str, body: BaseModel, reply: type[M]) -> M:
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(TransientError),
                wait=wait_exponential_jitter(
                    multiplier=0.1, max=self._max_wait, jitter=min(1.0, self._max_wait)
                ),
                stop=stop_after_attempt(self._attempts),
                reraise=True,
            ):
                with attempt:
                    return await self._post_once(path, body, reply)
        except TransientError as exc:
            raise SyncError(
                f"Could not reach the district server at {self.base_url} ({exc}). Your work is "
                "saved on this laptop and will sync when the connection is back."
            ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post_once(self, path: str, body: BaseModel, reply: type[M]) -> M:
        try:
            response = await self._http.post(path, content=body.model_dump_json())
        except httpx.TransportError as exc:
            raise TransientError(type(exc).__name__) from exc
        if response.status_code in RETRY_STATUSES:
            raise TransientError(f"server answered {response.status_code}")
        if response.status_code >= 400:
            raise SyncError(_detail(response))
        try:
            return reply.model_validate_json(response.content)
        except ValueError as exc:  # a truncated or garbled reply: ask again
            raise TransientError("unreadable reply") from exc


def _detail(response: httpx.Response) -> str:
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    return (
        f"The district server refused the request ({response.status_code}). Your work is saved "
        "on this laptop; tell your district if this keeps happening."
    )
