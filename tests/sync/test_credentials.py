"""The device token: in the OS keyring when one works, else in a file only the user can read."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from station_rotation.sync.credentials import (
    KEYRING_SERVICE,
    CredentialsError,
    SyncCredentials,
    credentials_path,
    forget_credentials,
    load_credentials,
    read_enrolment,
    save_credentials,
)

TOKEN = "tok-" + "x" * 40
CREDS = SyncCredentials("https://sync.example.org", TOKEN, "teacher-1", "device-1")


class MemoryKeyring(KeyringBackend):
    """A working keyring backend that keeps passwords in memory (the OS one, minus the OS)."""

    # Below the "fail" backend's 0: keyring lists every backend class it knows, and a
    # positive priority would make it the process default for the tests that follow.
    priority = -1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # untyped in keyring
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    """A keyring that is there but refuses to store anything (locked, no prompt possible)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the collection is locked")


@pytest.fixture
def use_keyring() -> Iterator[Callable[[Any], Any]]:
    """Swap the process's keyring backend for the test and put the original back."""
    original = keyring.get_keyring()

    def install(backend: Any) -> Any:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(original)


def _file(data_dir: Path) -> dict[str, str]:
    return json.loads(credentials_path(data_dir).read_text(encoding="utf-8"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_with_a_working_keyring_the_token_never_touches_the_disk(
    data_dir: Path, use_keyring: Callable[[Any], Any]
) -> None:
    """On a desktop with a keyring, the file holds the address and ids but not the token."""
    ring = use_keyring(MemoryKeyring())
    path = save_credentials(data_dir, CREDS)
    assert TOKEN not in path.read_text(encoding="utf-8")
    assert _file(data_dir)["token_store"] == "keyring"
    assert ring.passwords == {(KEYRING_SERVICE, "device-token:device-1"): TOKEN}
    assert _mode(path) == 0o600
    assert load_credentials(data_dir) == CREDS
    enrolment = read_enrolment(data_dir)
    assert enrolment is not None and enrolment.server_url == CREDS.server_url


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring, LockedKeyring])
def test_without_a_working_keyring_the_token_goes_to_a_private_file(
    data_dir: Path, use_keyring: Callable[[Any], Any], backend: type[KeyringBackend]
) -> None:
    """Headless Linux (no backend), a keyring that forgets, or a locked one: a 0600 file."""
    use_keyring(backend())
    path = save_credentials(data_dir, CREDS)
    assert _file(data_dir)["token_store"] == "file"
    assert _file(data_dir)["token"] == TOKEN
    assert _mode(path) == 0o600
    assert not path.with_suffix(".tmp").exists()
    assert load_credentials(data_dir) == CREDS


@pytest.mark.skipif(sys.platform != "linux", reason="macOS and Windows always have a keyring")
def test_the_headless_default_is_the_private_file(data_dir: Path) -> None:
    """A fresh process with no desktop session (as on CI) keeps the token in the file."""
    script = (
        "import sys; from pathlib import Path;"
        "from station_rotation.sync.credentials import *;"
        "d = Path(sys.argv[1]);"
        "save_credentials(d, SyncCredentials('https://s.example.org', 'secret', 't', 'dev'));"
        "print(load_credentials(d).token)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(data_dir), "DBUS_SESSION_BUS_ADDRESS": ""}
    out = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "secret"
    assert _file(data_dir)["token_store"] == "file"
    assert _mode(credentials_path(data_dir)) == 0o600


def test_a_token_lost_from_the_keyring_asks_for_a_new_code(
    data_dir: Path, use_keyring: Callable[[Any], Any]
) -> None:
    """Someone cleared the keyring: sync explains how to get going again, in plain words."""
    ring = use_keyring(MemoryKeyring())
    save_credentials(data_dir, CREDS)
    ring.passwords.clear()
    with pytest.raises(CredentialsError, match="new enrolment code"):
        load_credentials(data_dir)
    assert read_enrolment(data_dir) is not None  # the panel still shows where it was enrolled


def test_enrolling_again_replaces_the_old_token_everywhere(
    data_dir: Path, use_keyring: Callable[[Any], Any]
) -> None:
    """A second enrolment (new code after a revocation) leaves no stale token behind."""
    ring = use_keyring(MemoryKeyring())
    save_credentials(data_dir, CREDS)
    again = SyncCredentials(CREDS.server_url, "new-token", "teacher-1", "device-2")
    save_credentials(data_dir, again)
    assert ring.passwords == {(KEYRING_SERVICE, "device-token:device-2"): "new-token"}
    assert load_credentials(data_dir) == again


def test_forgetting_the_enrolment_removes_token_and_file(
    data_dir: Path, use_keyring: Callable[[Any], Any]
) -> None:
    """'Leave the district server' removes the token from the keyring and the file."""
    ring = use_keyring(MemoryKeyring())
    save_credentials(data_dir, CREDS)
    forget_credentials(data_dir)
    assert ring.passwords == {}
    assert not credentials_path(data_dir).exists()
    assert load_credentials(data_dir) is None
    forget_credentials(data_dir)  # twice is fine


def test_the_test_keyrings_never_become_the_default() -> None:
    """The backends above are chosen only explicitly: later tests still get the real default."""
    from keyring.backends import chainer

    assert not any(isinstance(b, MemoryKeyring) for b in chainer.ChainerBackend.backends)
