"""Where the laptop keeps its device token: a file only this user can read (0600).

The OS keyring is the later home for the token; the file keeps headless use and tests
simple. It is written atomically (temp file + rename) so a crash never leaves half a
token behind.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

CREDENTIALS_FILE = "sync-credentials.json"


@dataclass(frozen=True)
class SyncCredentials:
    server_url: str
    token: str
    teacher_id: str
    enrolment_id: str


def credentials_path(data_dir: Path) -> Path:
    return data_dir / CREDENTIALS_FILE


def save_credentials(data_dir: Path, credentials: SyncCredentials) -> Path:
    path = credentials_path(data_dir)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(asdict(credentials)).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(temp, 0o600)
    os.replace(temp, path)
    return path


def load_credentials(data_dir: Path) -> SyncCredentials | None:
    path = credentials_path(data_dir)
    if not path.exists():
        return None
    return SyncCredentials(**json.loads(path.read_text(encoding="utf-8")))
