"""The USB sync bundle's file: gzip'd JSON lines, sealed with a key only two parties hold.

Shared by the laptop (``sync/bundle.py``) and the district server (``server/bundle.py``);
no database here. A bundle is one file:

- line 1, the header: ``{"format": "station-rotation-sync-bundle", "version": 1,
  "kind": "request" | "reply", ...}`` (ids, cursor, protocol: see the two modules);
- one line per item (an outbox change, a push result, a pulled record);
- the last line, the seal: ``{"end": {"items": N, "sha256": ..., "mac": ...}}`` over the
  exact bytes of every line before it.

Why both a checksum and a MAC: gzip's own CRC and the missing seal catch a copy cut short
(a stick pulled out too early), the SHA-256 a damaged one, each with its own plain
message; the MAC proves who made it. Its key is derived from the device token's SHA-256 —
the one form of the token the server stores — so the laptop (which holds the token) and
the server (which holds its hash) can both seal and check, while the token itself never
goes on the stick. Someone who finds the stick can read it but cannot make a bundle the
server accepts as the laptop's, nor a reply the laptop accepts as the server's. The key
is labelled per direction, so a request can never pass for a reply or the other way round.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from station_rotation.core.errors import StationRotationError

MAGIC = "station-rotation-sync-bundle"
FORMAT_VERSION = 1
MAX_BYTES = 2 * 1024**3
"""A bundle larger than this once unpacked is refused (a year of a class is ~100 MB)."""

Kind = Literal["request", "reply"]


class BundleError(StationRotationError):
    """A bundle that cannot be used; the message says why and what to do. Nothing changed."""


def token_hash(token: str) -> str:
    """The device token as the server stores it (``server.security.digest``)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def seal_key(stored_token_hash: str, kind: Kind) -> bytes:
    """The key that seals bundles of ``kind`` for the device whose token hashes so."""
    label = f"station-rotation usb sync bundle v{FORMAT_VERSION} {kind}".encode()
    return hmac.new(stored_token_hash.encode("ascii"), label, hashlib.sha256).digest()


@dataclass(frozen=True)
class Bundle:
    """A bundle read from disk: whole and undamaged, but not yet checked for its seal."""

    path: Path
    kind: Kind
    header: dict[str, Any]
    items: list[dict[str, Any]]
    body: bytes
    mac: str

    def check_seal(self, key: bytes, *, who: str) -> None:
        """Refuse a bundle not sealed with ``key``; ``who`` names the expected maker."""
        expected = hmac.new(key, self.body, hashlib.sha256).hexdigest().encode("ascii")
        # Compared as bytes: a str with a non-ASCII character (a forged seal) would make
        # compare_digest raise TypeError instead of answering "no".
        if not hmac.compare_digest(expected, self.mac.encode("utf-8")):
            raise BundleError(
                f"The sync file {self.path.name} was not made by {who}, or it was changed "
                "after it was made. Nothing was changed; make a new sync file and copy it again."
            )


def _line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"


def write_bundle(
    path: Path, kind: Kind, header: dict[str, Any], items: Iterable[dict[str, Any]], key: bytes
) -> int:
    """Write a sealed bundle atomically (a temp file, flushed, then renamed); return its items.

    A copy interrupted mid-write leaves the old file (or none), never half a bundle under
    the final name.
    """
    sha = hashlib.sha256()
    mac = hmac.new(key, digestmod=hashlib.sha256)
    temp = path.with_name(path.name + ".partial")
    count = 0
    try:
        # Student data: readable by this user only where the file system has permissions
        # (a temp file left by a crash is removed first: O_CREAT's mode would not apply).
        temp.unlink(missing_ok=True)
        with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
                first = {**header, "format": MAGIC, "version": FORMAT_VERSION, "kind": kind}
                for item in (first, *items):
                    line = _line(item)
                    sha.update(line)
                    mac.update(line)
                    out.write(line)
                    count += 1
                count -= 1  # the header is not an item
                seal = {"items": count, "sha256": sha.hexdigest(), "mac": mac.hexdigest()}
                out.write(_line({"end": seal}))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise BundleError(
            f"Could not write the sync file {path} ({exc.strerror or exc}). Check that the "
            "USB stick is plugged in, not full and not read-only, then try again."
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)  # an item that could not be encoded: no half file left
        raise
    return count


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: the stick may be pulled out as soon as we say done.

    POSIX keeps a rename in the folder's entry, flushed only by an fsync of the folder;
    Windows cannot open a folder this way and flushes the entry with the file.
    """
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle's integrity (not its seal: the caller knows the key)."""
    damaged = (
        f"The sync file {path.name} is damaged or is not a Station Rotation sync file. "
        "Nothing was changed; copy it again from where it was made."
    )
    cut_short = (
        f"The sync file {path.name} is incomplete: it was cut short, perhaps the USB stick "
        "was removed before the copy finished. Nothing was changed; copy it again."
    )
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise BundleError(f"There is no sync file at {path}.") from exc
    except EOFError as exc:
        raise BundleError(cut_short) from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise BundleError(damaged) from exc
    except OSError as exc:
        if "CRC" in str(exc) or "length" in str(exc):
            raise BundleError(damaged) from exc
        raise BundleError(f"Could not read the sync file {path} ({exc.strerror or exc}).") from exc
    if len(data) > MAX_BYTES:
        raise BundleError(f"The sync file {path.name} is too large to be a sync file.")
    if not data.endswith(b"\n"):
        raise BundleError(cut_short)
    body, _, last = data[:-1].rpartition(b"\n")
    body += b"\n" if body else b""
    try:
        seal = json.loads(last)["end"]
        lines = [json.loads(line) for line in body.splitlines()]
        header = lines[0]
        count, checksum, mac = int(seal["items"]), str(seal["sha256"]), str(seal["mac"])
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        if body and b'"end"' not in last:
            raise BundleError(cut_short) from exc
        raise BundleError(damaged) from exc
    if not isinstance(header, dict) or header.get("format") != MAGIC:
        raise BundleError(damaged)
    if header.get("version") != FORMAT_VERSION:
        raise BundleError(
            f"The sync file {path.name} was made by another version of Station Rotation "
            f"(format {header.get('version')!r}). Update the app here or there; nothing "
            "was changed."
        )
    if hashlib.sha256(body).hexdigest() != checksum or count != len(lines) - 1:
        raise BundleError(damaged)
    kind = header.get("kind")
    if kind not in ("request", "reply") or not all(isinstance(i, dict) for i in lines):
        raise BundleError(damaged)
    return Bundle(path, kind, header, lines[1:], body, mac)
