"""Where the laptop keeps its enrolment: the token in the OS keyring, the rest in a file.

The device token is the laptop's key to the teacher's class data, so it goes into the
operating system's keyring (Keychain, Windows Credential Locker, Secret Service) through
the ``keyring`` library. A headless Linux machine or CI has no working keyring; then the
token goes into the same file as the rest, which only this user can read (0600).

The file (``sync-credentials.json`` in the data folder, always 0600) holds what is not
secret — server address, teacher and device ids, where the token is — so the status line
and the Sync panel can show the enrolment without touching the keyring, which can be
slow or ask to be unlocked. ``keyring`` itself costs ~0.1 s to import, so it is imported
only when a token is stored or read. The file is written atomically (temp file + rename)
so a crash never leaves half a record behind.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from station_rotation.core.errors import StationRotationError

CREDENTIALS_FILE = "sync-credentials.json"
KEYRING_SERVICE = "Station Rotation district sync"
TokenStore = Literal["keyring", "file"]


class CredentialsError(StationRotationError):
    """The enrolment is recorded but its token cannot be read; enrolling again fixes it."""


@dataclass(frozen=True)
class SyncCredentials:
    server_url: str
    token: str
    teacher_id: str
    enrolment_id: str


@dataclass(frozen=True)
class Enrolment:
    """The non-secret half of the credentials: enough to show, not enough to sync."""

    server_url: str
    teacher_id: str
    enrolment_id: str
    token_store: TokenStore


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


def _keyring_user(enrolment_id: str) -> str:
    return f"device-token:{enrolment_id}"


def save_credentials(data_dir: Path, credentials: SyncCredentials) -> Path:
    """Store the token in the keyring if one works, else in the private file; return the file."""
    previous = read_enrolment(data_dir)
    in_keyring = _keyring_set(_keyring_user(credentials.enrolment_id), credentials.token)
    record: dict[str, Any] = {
        "server_url": credentials.server_url,
        "teacher_id": credentials.teacher_id,
        "enrolment_id": credentials.enrolment_id,
        "token_store": "keyring" if in_keyring else "file",
    }
    if not in_keyring:
        record["token"] = credentials.token
    path = _write_private(credentials_path(data_dir), record)
    old_user = None
    if previous is not None and previous.token_store == "keyring":
        old_user = _keyring_user(previous.enrolment_id)
    if old_user is not None and not (
        in_keyring and old_user == _keyring_user(credentials.enrolment_id)
    ):
        _keyring_delete(old_user)  # a token left in the keyring from before
    return path


def read_enrolment(data_dir: Path) -> Enrolment | None:
    """The enrolment without its token (never touches the keyring); None if not enrolled."""
    data = _read(data_dir)
    if data is None:
        return None
    store: TokenStore = "keyring" if data.get("token_store") == "keyring" else "file"
    return Enrolment(
        server_url=str(data["server_url"]),
        teacher_id=str(data["teacher_id"]),
        enrolment_id=str(data["enrolment_id"]),
        token_store=store,
    )


def load_credentials(data_dir: Path) -> SyncCredentials | None:
    """The full credentials, None if not enrolled; :class:`CredentialsError` if no token."""
    data = _read(data_dir)
    enrolment = read_enrolment(data_dir)
    if data is None or enrolment is None:
        return None
    if enrolment.token_store == "file":
        token = data.get("token")
    else:
        token = _keyring_get(_keyring_user(enrolment.enrolment_id))
    if not token:
        raise CredentialsError(
            "This laptop's sync key could not be read from the system keyring (it may be "
            "locked, or the entry was removed). Unlock the keyring, or ask your district for a "
            "new enrolment code and enter it again; your unsynced changes are kept."
        )
    return SyncCredentials(
        server_url=enrolment.server_url,
        token=str(token),
        teacher_id=enrolment.teacher_id,
        enrolment_id=enrolment.enrolment_id,
    )


def forget_credentials(data_dir: Path) -> None:
    """Remove the enrolment from this laptop (keyring entry and file); unsynced data stays."""
    enrolment = read_enrolment(data_dir)
    if enrolment is not None and enrolment.token_store == "keyring":
        _keyring_delete(_keyring_user(enrolment.enrolment_id))
    credentials_path(data_dir).unlink(missing_ok=True)


# --- the file -------------------------------------------------------------------------


def _read(data_dir: Path) -> dict[str, Any] | None:
    path = credentials_path(data_dir)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else None


def _write_private(path: Path, record: dict[str, Any]) -> Path:
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(record).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(temp, 0o600)  # O_CREAT's mode does not apply to a temp file left by a crash
    os.replace(temp, path)
    return path


# --- the keyring ----------------------------------------------------------------------


def _keyring_set(user: str, token: str) -> bool:
    """Store ``token``; False when no keyring works here (nothing stored, nothing raised).

    Read back after writing: the ``null`` backend (and some broken ones) accept a password
    silently and forget it, which would lose the token.
    """
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return False
        keyring.set_password(KEYRING_SERVICE, user, token)
        return keyring.get_password(KEYRING_SERVICE, user) == token
    except Exception:  # KeyringError, or a D-Bus/OS error from a half-working backend
        return False


def _keyring_get(user: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # locked, no backend any more, D-Bus gone
        return None


def _keyring_delete(user: str) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, user)
    except Exception:  # already gone, or no keyring: nothing to remove
        return
