"""Who may use the companion: pairing the teacher's phone, students joining, sessions.

Every secret is random from :mod:`secrets`: session tokens and the secrets a QR code
carries have 256 bits; the short codes a person types (6 digits to pair, 6 letters and
digits to join) are guessable only as fast as :class:`GuessLimit` allows. A pairing
code pairs one phone and is replaced; a class code and its sessions belong to one run.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from hashlib import sha256

SECRET_BYTES = 32
"""256 random bits for session tokens and QR secrets (the brief asks for at least 128)."""
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits a student cannot misread for another (no O/0, I/1/L)."""
CODE_LENGTH = 6
PERSONAL_CODE_LENGTH = 6


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

    token: str
    role: Role
    label: str
    run_id: str | None = None
    student_id: str | None = None
    first_name: str = ""
    connected_at: float = field(default_factory=time.monotonic)
    last_seen: float = field(default_factory=time.monotonic)


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

    def check(self, client: str) -> None:
        """Refuse (429) before the code is even looked at when the limit is reached."""
        now = self._now()
        while self._wrong and self._wrong[0][0] <= now - self._window:
            self._wrong.popleft()
        mine = [at for at, who in self._wrong if who == client]
        if len(mine) >= self._per_client or len(self._wrong) >= self._overall:
            oldest = mine[0] if len(mine) >= self._per_client else self._wrong[0][0]
            wait = max(1, int(oldest + self._window - now) + 1)
            raise AccessRefused(429, f"Too many wrong codes. Try again in {wait} seconds.", wait)

    def wrong(self, client: str) -> None:
        self._wrong.append((self._now(), client))


def _short_code(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _normal(code: str) -> str:
    """A typed code as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


class Access:
    """The companion's codes and sessions; thread-safe (the web thread and the GUI use it)."""

    def __init__(self, personal_key: bytes, *, now: Callable[[], float] = time.monotonic) -> None:
        self._personal_key = personal_key
        self._now = now
        self._lock = threading.Lock()
        self._sessions: dict[str, DeviceSession] = {}
        self.limit = GuessLimit(now=now)
        self.pair_secret = ""
        self.pair_code = ""
        self.new_pairing()
        self.join_run: str | None = None
        self.join_secret = ""
        self.join_code = ""
        self.changed: Callable[[], None] = lambda: None  # set by the classroom

    # --- codes --------------------------------------------------------------------

    def new_pairing(self) -> None:
        """A fresh pairing secret and code (after each pairing, or when the teacher asks)."""
        with self._lock:
            self.pair_secret = secrets.token_urlsafe(SECRET_BYTES)
            self.pair_code = _short_code("0123456789", CODE_LENGTH)

    def open_join(self, run_id: str) -> None:
        """A class code for this run; the previous run's code and student sessions end."""
        with self._lock:
            if self.join_run == run_id:
                return
            self.join_run = run_id
            self.join_secret = secrets.token_urlsafe(SECRET_BYTES)
            self.join_code = _short_code(JOIN_ALPHABET, CODE_LENGTH)
        self.end_students()

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

    def become_student(self, token: str, student_id: str, first_name: str) -> DeviceSession:
        """A joining device picked its student (by name, or by a personal code)."""
        with self._lock:
            session = self._sessions.get(token)
            if session is None or session.role is not Role.JOINING:
                raise AccessRefused(401, "Join the class first.")
            session.role = Role.STUDENT
            session.student_id = student_id
            session.first_name = first_name
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
        if not token:
            return None
        with self._lock:
            found = self._sessions.get(token)
            if found is not None:
                found.last_seen = self._now()
            return found

    def devices(self) -> list[DeviceSession]:
        with self._lock:
            return sorted(self._sessions.values(), key=lambda s: s.connected_at)

    def remove(self, token: str) -> None:
        with self._lock:
            self._sessions.pop(token, None)
        self.changed()

    def end_students(self) -> None:
        with self._lock:
            for token in [t for t, s in self._sessions.items() if s.role is not Role.TEACHER]:
                del self._sessions[token]
        self.changed()

    def end_all(self) -> None:
        with self._lock:
            self._sessions.clear()
        self.new_pairing()
        self.changed()

    def _add(self, role: Role, label: str, *, run_id: str | None = None) -> DeviceSession:
        session = DeviceSession(
            secrets.token_urlsafe(SECRET_BYTES), role, label[:80], run_id=run_id
        )
        with self._lock:
            self._sessions[session.token] = session
        self.changed()
        return session
