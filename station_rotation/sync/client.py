"""The HTTP side of sync: an ``httpx.AsyncClient`` with retries and plain-word errors.

Transient failures (no connection, a timeout, a server error, a busy server) are
retried with exponential backoff and jitter (tenacity); a refusal (wrong code, revoked
laptop, too-old app), a malformed address and a certificate that does not check out are
not. Every failure becomes a :class:`SyncError` whose message is for the teacher; its
subclasses let the app tell "offline, try later" from "needs the teacher".
"""

from __future__ import annotations

import ipaddress
import ssl
from typing import Any, TypeVar
from urllib.parse import urlsplit

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
    DigestRequest,
    DigestResponse,
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


class BadAddress(SyncError):
    """The server address cannot be right (no https://, no host): nothing was sent."""


class Unreachable(SyncError):
    """No answer from the server after the retries: offline, or the server is down."""


class NotAccepted(SyncError):
    """The server refuses this laptop (revoked or unknown token): enrol again."""


class TooLarge(SyncError):
    """The server would not read a request so large (413): send less at once."""


class CertificateError(SyncError):
    """The TLS certificate did not check out: maybe the wrong address, maybe an attack."""


ADDRESS_HELP = (
    "The server address must start with https:// (or http:// for a test server on this "
    "computer), for example https://sync.example.org."
)


def check_server_address(address: str) -> str:
    """The address, trimmed and without a trailing slash; :class:`BadAddress` if unusable.

    Plain ``http://`` is accepted only for this computer (a test server): anywhere else it
    would send the device token and students' data unencrypted.
    """
    cleaned = address.strip().rstrip("/")
    try:
        parts = urlsplit(cleaned)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise BadAddress(f"{ADDRESS_HELP} “{address.strip()}” is not a web address.") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise BadAddress(ADDRESS_HELP)
    if parts.scheme == "http" and not _is_this_computer(host):
        raise BadAddress(
            "The server address must start with https:// so that your class data is "
            "encrypted on the way; http:// only works for a test server on this computer."
        )
    return cleaned


def _is_this_computer(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
        base_url = check_server_address(base_url)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
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

    async def push(self, changes: list[Change], seen_cursor: int | None = None) -> PushResponse:
        """Send one batch; ``seen_cursor`` is this laptop's pull cursor (see PushRequest)."""
        body = PushRequest(protocol=PROTOCOL_VERSION, changes=changes, seen_cursor=seen_cursor)
        return await self._post("/v1/push", body, PushResponse)

    async def push_encoded(self, body: bytes) -> PushResponse:
        """Send a push request already encoded as JSON (see ``engine.encode_push``)."""
        return await self._post("/v1/push", body, PushResponse)

    async def pull(self, cursor: int, limit: int = 500, entity: str | None = None) -> PullPage:
        """One page after ``cursor``; with ``entity`` only that table (a digest re-pull)."""
        body = PullRequest(protocol=PROTOCOL_VERSION, cursor=cursor, limit=limit, entity=entity)
        return await self._post("/v1/pull", body, PullPage)

    async def digest(self) -> DigestResponse:
        """The count and hash of each table in this teacher's scope, on the server."""
        return await self._post(
            "/v1/digest", DigestRequest(protocol=PROTOCOL_VERSION), DigestResponse
        )

    async def _post(self, path: str, body: BaseModel | bytes, reply: type[M]) -> M:
        content = body if isinstance(body, bytes) else body.model_dump_json().encode()
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
                    return await self._post_once(path, content, reply)
        except TransientError as exc:
            raise Unreachable(_unreachable_message(self.base_url, str(exc))) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post_once(self, path: str, content: bytes, reply: type[M]) -> M:
        try:
            response = await self._http.post(path, content=content)
        except httpx.TransportError as exc:
            if _is_certificate_problem(exc):
                raise CertificateError(
                    f"The district server at {self.base_url} did not prove who it is (its "
                    "security certificate could not be checked), so nothing was sent. Check "
                    "the address with your district; your work is saved on this laptop."
                ) from exc
            raise TransientError(_transport_reason(exc)) from exc
        if response.status_code in RETRY_STATUSES:
            raise TransientError(f"server answered {response.status_code}")
        if response.status_code == 401:
            raise NotAccepted(_detail(response))
        if response.status_code == 413:
            raise TooLarge(
                "The district server would not take so much at once. Nothing was lost; tell "
                "your district's help desk if this keeps happening."
            )
        if response.status_code in (404, 405):
            raise SyncError(
                f"There is no Station Rotation district server at {self.base_url}. Check the "
                "address with your district; your work is saved on this laptop."
            )
        if response.status_code >= 400:
            raise SyncError(_detail(response))
        try:
            return reply.model_validate_json(response.content)
        except ValueError as exc:  # a truncated or garbled reply: ask again
            raise TransientError("unreadable reply") from exc


def _unreachable_message(base_url: str, reason: str) -> str:
    if reason.startswith("server answered"):
        what = "The district server is having trouble right now"
    else:
        what = f"Could not reach the district server at {base_url} ({reason})"
    return f"{what}. Your work is saved on this laptop and will sync when the connection is back."


def _transport_reason(exc: httpx.TransportError) -> str:
    """A few words on what failed, for a teacher (or the district's help desk)."""
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError):
        text = str(exc).lower()
        if "name or service" in text or "nodename" in text or "getaddrinfo" in text:
            return "the address was not found; check it and the network"
        if isinstance(exc, httpx.ConnectTimeout):
            return "no answer; check the network"
        return "no connection; check the Wi-Fi or the network cable"
    if isinstance(exc, httpx.TimeoutException):
        return "the server took too long to answer"
    return "the connection was cut"


def _is_certificate_problem(exc: BaseException) -> bool:
    """True if a TLS handshake failed somewhere in the exception's causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or "SSL:" in str(exc)


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
