"""Device tokens and enrolment codes: random, shown once, stored only as hashes.

Tokens carry 256 random bits, so a plain SHA-256 is the right stored form (no need
for a slow password hash). Enrolment codes are short (typed by a teacher) but
single-use, expire within minutes and wrong guesses are rate-limited (see ``app.py``).
"""

from __future__ import annotations

import hashlib
import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand
CODE_LENGTH = 10


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Forgive spaces, dashes and lower case in a typed code."""
    return "".join(ch for ch in code.upper() if ch.isalnum())
