"""The teacher's lock PIN: what a valid one is, its salted slow hash, and the wait after
wrong tries.

Plain Python (no Qt, no store): the lock screen and its tests use it the same way.

Only ``scrypt$n$r$p$salt$hash`` is ever kept, never the PIN. A slow hash stops the PIN
being read off the settings file; it cannot make a 4-digit PIN strong against someone
who copies that file and tries all 10,000 offline. What guards the room is the wait the
lock screen adds after wrong tries; encrypting the data file itself (issue 19) is what
will guard a copied folder, and is not built yet.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

MIN_DIGITS, MAX_DIGITS = 4, 8
FREE_TRIES = 3
"""Wrong tries allowed before the lock screen makes the teacher wait."""
FIRST_WAIT_S, LONGEST_WAIT_S = 5, 300

# ~75 ms on a school laptop and 16 MiB of memory: slow to guess in bulk, quick to type.
_N, _R, _P, _LENGTH = 2**14, 8, 1, 32


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN (a sentence for the teacher), or None if it can."""
    if not pin.isascii() or not pin.isdigit():
        return "A PIN is digits only."
    if not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return f"A PIN has {MIN_DIGITS} to {MAX_DIGITS} digits."
    return None


def hash_pin(pin: str) -> str:
    """The text to keep for ``pin``: a random salt and its scrypt hash."""
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """True when ``pin`` is the PIN ``stored`` was made from (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        found = _scrypt(pin, bytes.fromhex(salt), int(n), int(r), int(p), len(expected))
    except ValueError:  # a damaged setting matches nothing
        return False
    return hmac.compare_digest(found, expected)


def wait_after(wrong_tries: int) -> int:
    """Seconds to wait before the next try, after ``wrong_tries`` wrong ones in a row.

    None for the first three; then 5 s, doubling with each wrong try, up to 5 minutes.
    """
    if wrong_tries < FREE_TRIES:
        return 0
    doublings = min(wrong_tries - FREE_TRIES, 16)
    return min(LONGEST_WAIT_S, FIRST_WAIT_S << doublings)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int = _LENGTH) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=length)
