"""Who may use the companion: pairing the teacher's phone, students joining, sessions.

Every secret is random from :mod:`secrets`: session tokens and the secrets a QR code
carries have 256 bits; the short codes a person types (6 digits to pair, 6 letters and
digits to join) are guessable only as fast as :class:`GuessLimit` allows. A pairing
code pairs one phone and is replaced; a class code and its sessions belong to one run.

Sessions outlive the app: they are kept in a file only this account can read (tokens
hashed), so after a crash and a restart the phone and the students' devices go on where
they were and resend what was not answered. A teacher's phone stays paired for
``TEACHER_HOURS`` at most.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from hashlib import sha256
from pathlib import Path
from typing import Any

SECRET_BYTES = 32
"""256 random bits for session tokens and QR secrets (the brief asks for at least 128)."""
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits a student cannot misread for another (no O/0, I/1/L)."""
CODE_LENGTH = 6
PERSONAL_CODE_LENGTH = 6
TEACHER_HOURS = 12
MAX_SESSIONS = 200
"""A class and its teachers fit many times over; a flood of joins does not."""
SESSIONS_FILE = "station-rotation-companion-sessions.json"  # an own file (private_files)


class Role(StrEnum):
    TEACHER = "teacher"
    JOINING = "joining"  # joined the class, has not picked her name yet
    STUDENT = "student"


class AccessRefused(Exception):
    """A pairing or join attempt that is refused; ``status`` is the HTTP answer."""

    def __init__(self, status: int, words: str, retry_after: int = 0) -> None:
        super().__init__(words)
        self.status = status
        self.words = words
        self.retry_after = retry_after


@dataclass
class DeviceSession:
    """One connected device, as the teacher's list shows it."""

    token: str  # empty for a session read back from the file after a restart
    role: Role
    label: str
    key: str = ""  # the token's hash: how the teacher's list names the device
    run_id: str | None = None
    student_id: str | None = None
    first_name: str = ""
    connected_at: float = field(default_factory=time.time)
    last_seen: float = field(default_factory=time.time)


class GuessLimit:
    """At most ``per_client`` wrong codes a minute from one address, ``overall`` from all.

    The overall limit is what makes a 6-character code safe: spread over many addresses,
    guessing one of a million codes still takes days.
    """

    def __init__(
        self,
        *,
        per_client: int = 5,
        overall: int = 30,
        window: float = 60.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_client, self._overall, self._window, self._now = (
            per_client,
            overall,
            window,
            now,
        )
        self._wrong: deque[tuple[float, str]] = deque()
        # monotonic: a wall clock set back must not reopen the door to guessing
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Refuse (429) before the code is even looked at when the limit is reached."""
        now = self._now()
        with self._lock:
            while self._wrong and self._wrong[0][0] <= now - self._window:
                self._wrong.popleft()
            mine = [at for at, who in self._wrong if who == client]
            full = len(mine) >= self._per_client or len(self._wrong) >= self._overall
            oldest = (
                mine[0] if len(mine) >= self._per_client else (self._wrong or [(now, "")])[0][0]
            )
        if full:
            wait = max(1, int(oldest + self._window - now) + 1)
            raise AccessRefused(429, f"Too many wrong codes. Try again in {wait} seconds.", wait)

    def wrong(self, client: str) -> None:
        with self._lock:
            self._wrong.append((self._now(), client))


def _hashed(token: str) -> str:
    """How a token is kept: a copy of the file gives no one a live session."""
    return sha256(token.encode()).hexdigest()


def _short_code(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _class_code() -> str:
    """A class code with a letter in it: six digits is how a page tells a pairing code."""
    while True:
        code = _short_code(JOIN_ALPHABET, CODE_LENGTH)
        if not code.isdigit():
            return code


def _normal(code: str) -> str:
    """A typed code as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


class Access:
    """The companion's codes and sessions; thread-safe (the web thread and the GUI use it)."""

    def __init__(
        self,
        personal_key: bytes,
        *,
        state_file: Path | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._personal_key = personal_key
        self._now = now
        self._lock = threading.Lock()
        self._sessions: dict[str, DeviceSession] = {}  # by the token's hash
        self._state_file = state_file
        self.limit = GuessLimit()
        self.pair_secret = ""
        self.pair_code = ""
        self.new_pairing()
        self.join_run: str | None = None
        self.join_secret = ""
        self.join_code = ""
        self.changed: Callable[[], None] = lambda: None  # set by the classroom
        self._load()

    @classmethod
    def for_data_folder(cls, data_dir: Path) -> Access:
        """The companion's access for the app's data folder (its key and sessions there)."""
        from station_rotation.companion.keys import personal_key

        return cls(personal_key(data_dir), state_file=data_dir / SESSIONS_FILE)

    # --- codes --------------------------------------------------------------------

    def new_pairing(self) -> None:
        """A fresh pairing secret and code (after each pairing, or when the teacher asks)."""
        with self._lock:
            self.pair_secret = secrets.token_urlsafe(SECRET_BYTES)
            self.pair_code = _short_code("0123456789", CODE_LENGTH)

    def open_join(self, run_id: str) -> None:
        """A class code for this run; the previous run's code and student sessions end.

        The same run again (the app restarted and resumed it) keeps its code and sessions.
        """
        with self._lock:
            if self.join_run == run_id and self.join_secret:
                return
            self.join_run = run_id
            self.join_secret = secrets.token_urlsafe(SECRET_BYTES)
            self.join_code = _class_code()
            stale = [k for k, s in self._sessions.items() if s.role is not Role.TEACHER]
            for key in stale:
                del self._sessions[key]
        self._save()
        self.changed()

    def close_join(self) -> None:
        """No run: nobody can join, and every student's session ends."""
        with self._lock:
            self.join_run = None
            self.join_secret = self.join_code = ""
        self.end_students()

    def personal_code(self, student_id: str) -> str:
        """A student's own code, the same every day (the teacher may print it)."""
        digest = hmac.new(self._personal_key, student_id.encode(), sha256).digest()
        return "".join(JOIN_ALPHABET[b % len(JOIN_ALPHABET)] for b in digest[:PERSONAL_CODE_LENGTH])

    def keyed(self, record_id: str) -> str:
        """An opaque key for a group or a student, valid for this run's join only."""
        return hmac.new(self.join_secret.encode(), record_id.encode(), sha256).hexdigest()[:24]

    # --- pairing and joining ------------------------------------------------------

    def pair(self, *, client: str, label: str, secret: str = "", code: str = "") -> DeviceSession:
        """The teacher's phone, by the QR code's secret or the typed code."""
        self.limit.check(client)
        with self._lock:
            good = (secret and hmac.compare_digest(secret, self.pair_secret)) or (
                code and hmac.compare_digest(_normal(code), self.pair_code)
            )
        if not good:
            self.limit.wrong(client)
            raise AccessRefused(403, "That pairing code is not right. Look at the laptop again.")
        self.new_pairing()  # one code pairs one phone
        return self._add(Role.TEACHER, label)

    def join(self, *, client: str, label: str, secret: str = "", code: str = "") -> DeviceSession:
        """A student's device joins the running rotation (not yet as anyone)."""
        self.limit.check(client)
        with self._lock:
            run_id = self.join_run
            good = run_id is not None and (
                (secret and hmac.compare_digest(secret, self.join_secret))
                or (code and hmac.compare_digest(_normal(code), self.join_code))
            )
        if not good:
            self.limit.wrong(client)
            if run_id is None:
                raise AccessRefused(409, "No rotation is running: wait for your teacher.")
            raise AccessRefused(403, "That class code is not right. Look at the board again.")
        return self._add(Role.JOINING, label, run_id=run_id)

    def become_student(self, key: str, student_id: str, first_name: str) -> DeviceSession:
        """A joining device (``DeviceSession.key``) picked its student (name or personal code)."""
        with self._lock:
            session = self._sessions.get(key)
            if session is None or session.role is not Role.JOINING:
                raise AccessRefused(401, "Join the class first.")
            session.role = Role.STUDENT
            session.student_id = student_id
            session.first_name = first_name
        self._save()
        self.changed()
        return session

    def check_personal(self, client: str, code: str, student_ids: list[str]) -> str:
        """The student whose personal code this is, of those given; counted as a guess."""
        self.limit.check(client)
        typed = _normal(code)
        for student_id in student_ids:
            if hmac.compare_digest(typed, self.personal_code(student_id)):
                return student_id
        self.limit.wrong(client)
        raise AccessRefused(403, "That personal code is not right. Ask your teacher.")

    # --- sessions -----------------------------------------------------------------

    def session(self, token: str | None) -> DeviceSession | None:
        if not token or len(token) > 100:
            return None
        with self._lock:
            found = self._sessions.get(_hashed(token))
            if found is None:
                return None
            now = self._now()
            if found.role is Role.TEACHER and now - found.connected_at > TEACHER_HOURS * 3600:
                del self._sessions[_hashed(token)]
                expired = True
            else:
                found.last_seen = now
                expired = False
        if expired:
            self._save()
            self.changed()
            return None
        return found

    def devices(self) -> list[DeviceSession]:
        with self._lock:
            return sorted(self._sessions.values(), key=lambda s: s.connected_at)

    def remove(self, token: str) -> None:
        """A device leaves (its own token)."""
        self.remove_device(_hashed(token))

    def remove_device(self, key: str) -> None:
        """The teacher removes a device from her list (``DeviceSession.key``)."""
        with self._lock:
            self._sessions.pop(key, None)
        self._save()
        self.changed()

    def end_students(self) -> None:
        with self._lock:
            for key in [k for k, s in self._sessions.items() if s.role is not Role.TEACHER]:
                del self._sessions[key]
        self._save()
        self.changed()

    def end_all(self) -> None:
        with self._lock:
            self._sessions.clear()
        self.new_pairing()
        self._save()
        self.changed()

    def _add(self, role: Role, label: str, *, run_id: str | None = None) -> DeviceSession:
        token = secrets.token_urlsafe(SECRET_BYTES)
        session = DeviceSession(token, role, label[:80], key=_hashed(token), run_id=run_id)
        with self._lock:
            self._sessions[_hashed(session.token)] = session
        self._save()
        self.changed()
        return session

    # --- kept across a restart ----------------------------------------------------

    def _save(self) -> None:
        """Write the sessions and this run's class code (atomically; 0600)."""
        if self._state_file is None:
            return
        with self._lock:
            state: dict[str, Any] = {
                "join": {"run": self.join_run, "secret": self.join_secret, "code": self.join_code},
                "sessions": [
                    {
                        "hash": key,
                        "role": s.role.value,
                        "label": s.label,
                        "run_id": s.run_id,
                        "student_id": s.student_id,
                        "first_name": s.first_name,
                        "connected_at": s.connected_at,
                    }
                    for key, s in self._sessions.items()
                ],
            }
        temporary = self._state_file.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self._state_file)

    def _load(self) -> None:
        if self._state_file is None:
            return
        try:
            state = json.loads(self._state_file.read_text(encoding="utf-8"))
            join = state["join"]
            sessions = {
                item["hash"]: DeviceSession(
                    token="",  # only its hash is kept
                    role=Role(item["role"]),
                    label=str(item["label"]),
                    key=str(item["hash"]),
                    run_id=item["run_id"],
                    student_id=item["student_id"],
                    first_name=str(item["first_name"]),
                    connected_at=float(item["connected_at"]),
                )
                for item in state["sessions"]
            }
        except (OSError, ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                self._state_file.unlink()  # unreadable: every device types its code again
            return
        self._sessions = sessions
        if join.get("run") and join.get("secret"):
            self.join_run, self.join_secret, self.join_code = (
                join["run"],
                join["secret"],
                join["code"],
            )
