"""What the teacher reads when sync cannot work: plain words, never an httpx class name."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_rotation.server import admin
from station_rotation.sync.client import (
    BadAddress,
    CertificateError,
    NotAccepted,
    SyncClient,
    SyncError,
    Unreachable,
    check_server_address,
)
from tests.live_server import LiveServer


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(f"sqlite:///{tmp_path / 'server.sqlite3'}").start()
    yield live
    live.stop()


def _enrol(url: str, code: str, **kw: object) -> None:
    async def run() -> None:
        async with SyncClient(url, attempts=2, max_wait=0.05, **kw) as client:  # type: ignore[arg-type]
            await client.enrol(code, "device-1", "test laptop")

    asyncio.run(run())


@pytest.mark.parametrize(
    "typed",
    ["sync.example.org", "ftp://sync.example.org", "https://", "htps://sync.example.org", ""],
)
def test_an_address_without_https_is_explained_before_anything_is_sent(typed: str) -> None:
    """A teacher types the address without https:// (or mistypes it): she is told the form."""
    with pytest.raises(BadAddress, match=r"must start with https://"):
        check_server_address(typed)


def test_plain_http_is_only_for_a_server_on_this_computer() -> None:
    """http:// to another machine would send the token in clear: refused; loopback is fine."""
    with pytest.raises(BadAddress, match="encrypted"):
        check_server_address("http://sync.example.org")
    assert check_server_address(" http://127.0.0.1:8765/ ") == "http://127.0.0.1:8765"
    assert check_server_address("http://localhost:8765") == "http://localhost:8765"
    assert check_server_address("https://sync.example.org/") == "https://sync.example.org"


def test_an_unreachable_server_says_the_work_is_kept() -> None:
    """Nothing listens at the address: 'could not reach', 'saved', no exception class names."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nobody listens here
    with pytest.raises(Unreachable) as caught:
        _enrol(f"http://127.0.0.1:{port}", "CODE")
    message = str(caught.value)
    assert "Could not reach the district server" in message
    assert "saved on this laptop" in message
    assert "Error" not in message  # no ConnectError & co.


def test_a_wrong_code_and_a_revoked_laptop_are_refused_in_plain_words(
    sqlite_server: LiveServer,
) -> None:
    """A mistyped code says so; a revoked laptop is told to ask for a new code."""
    with pytest.raises(SyncError, match="code is wrong, already used or expired"):
        _enrol(sqlite_server.url, "NOT-A-CODE")
    teacher = admin.create_teacher(sqlite_server.engine, "Ms Chen")

    async def enrol_then_pull() -> None:
        async with SyncClient(sqlite_server.url) as client:
            reply = await client.enrol(
                admin.issue_code(sqlite_server.engine, teacher), "device-1", "x"
            )
        admin.revoke_device(sqlite_server.engine, reply.device_id)
        async with SyncClient(sqlite_server.url, reply.token) as client:
            await client.pull(0, 10)

    with pytest.raises(NotAccepted, match="no longer accepts this laptop"):
        asyncio.run(enrol_then_pull())


def test_an_address_that_is_not_a_sync_server_says_so(sqlite_server: LiveServer) -> None:
    """The address points at some web server without our API (here: a wrong path)."""
    with pytest.raises(SyncError, match="There is no Station Rotation district server"):
        _enrol(sqlite_server.url + "/wrong", "CODE")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_a_certificate_that_does_not_check_out_is_not_retried(tmp_path: Path) -> None:
    """A server with a self-signed certificate: refused at once, explained, nothing sent."""
    pytest.importorskip("cryptography")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    handshakes: list[int] = []

    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            handshakes.append(1)
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with pytest.raises(CertificateError, match="did not prove who it is"):
            _enrol(f"https://localhost:{port}", "CODE")
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    assert len(handshakes) == 1  # one attempt: a bad certificate is not a network blip
