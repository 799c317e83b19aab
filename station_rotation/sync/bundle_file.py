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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from station_rotation.core.errors import StationRotationError

MAGIC = "station-rotation-sync-bundle"
FORMAT_VERSION = 1
MAX_BYTES = 512 * 1024**2
"""A bundle larger than this once unpacked is refused: it is no sync file the app made.

A year of a class at the most the app is built for (35 students, 20 targets, a check of
each every day for 180 days: 126,000 quick checks at ~710 bytes a pulled line) is 90 MB
in a reply, ~100 MB with reflections; a class checked three times a day ~15 MB. 512 MB
is five such maximal class-years, or some thirty ordinary ones, in one trip. The cap
bounds what a gzip bomb costs (the file is streamed: memory holds one line).
"""

MAX_LINE_BYTES = 16 * 1024**2
"""One line (one record; a rotation plan, the largest, is tens of KB) longer than this is
refused too: a bomb without line breaks would otherwise be held whole as one line."""

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
    """A bundle read from disk: whole and undamaged, but not yet checked for its seal.

    Holds only the header and the body's SHA-256: checking the seal and reading the
    items stream the file again, each pass checked against that SHA-256 (a file swapped
    between the passes is refused, never half-read).
    """

    path: Path
    kind: Kind
    header: dict[str, Any]
    sha256: str
    mac: str

    def check_seal(self, key: bytes, *, who: str) -> None:
        """Refuse a bundle not sealed with ``key``; ``who`` names the expected maker."""
        mac = hmac.new(key, digestmod=hashlib.sha256)
        self._stream(mac.update)
        expected = mac.hexdigest().encode("ascii")
        # Compared as bytes: a str with a non-ASCII character (a forged seal) would make
        # compare_digest raise TypeError instead of answering "no".
        if not hmac.compare_digest(expected, self.mac.encode("utf-8")):
            raise BundleError(
                f"The sync file {self.path.name} was not made by {who}, or it was changed "
                "after it was made. Nothing was changed; make a new sync file and copy it again."
            )

    @cached_property
    def items(self) -> list[dict[str, Any]]:
        """Every item line, parsed (read once the seal is checked: a forged file of tiny
        lines would otherwise become millions of dicts)."""
        items: list[dict[str, Any]] = []
        seen_header = False

        def parse(line: bytes) -> None:
            nonlocal seen_header
            if not seen_header:
                seen_header = True
                return
            item = _json(self.path, line)
            if not isinstance(item, dict):
                raise BundleError(_damaged(self.path))
            items.append(item)

        self._stream(parse)
        return items

    def _stream(self, each: Callable[[bytes], object]) -> None:
        """Hand every body line (header included, seal left out) to ``each``."""
        sha = hashlib.sha256()
        last = b""
        with _lines(self.path) as lines:
            for line in lines:
                if last:
                    sha.update(last)
                    each(last)
                last = line
        if sha.hexdigest() != self.sha256:
            raise BundleError(
                f"The sync file {self.path.name} changed while it was being read. Nothing "
                "was changed; copy it again and import it once the copy has finished."
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
    """Read and check a bundle's integrity (not its seal: the caller knows the key).

    Streamed a line at a time with a running SHA-256: memory holds one line, however
    large the file unpacks (a gzip bomb is refused at :data:`MAX_BYTES`). Only the header
    is parsed here; the items are parsed when asked for (:attr:`Bundle.items`), after the
    caller has checked the seal.
    """
    sha = hashlib.sha256()
    header: Any = None
    count = -1  # lines before the seal, the header included
    last = b""
    with _lines(path) as lines:
        for line in lines:
            if last:
                sha.update(last)
                count += 1
                if header is None:
                    header = _json(path, last)
            last = line
    if not last.endswith(b"\n"):
        raise BundleError(_cut_short(path))
    try:
        seal = json.loads(last)["end"]
        count_said, checksum, mac = int(seal["items"]), str(seal["sha256"]), str(seal["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        if header is not None and b'"end"' not in last:
            raise BundleError(_cut_short(path)) from exc
        raise BundleError(_damaged(path)) from exc
    if not isinstance(header, dict) or header.get("format") != MAGIC:
        raise BundleError(_damaged(path))
    if header.get("version") != FORMAT_VERSION:
        raise BundleError(
            f"The sync file {path.name} was made by another version of Station Rotation "
            f"(format {header.get('version')!r}). Update the app here or there; nothing "
            "was changed."
        )
    if sha.hexdigest() != checksum or count != count_said:
        raise BundleError(_damaged(path))
    kind = header.get("kind")
    if kind not in ("request", "reply"):
        raise BundleError(_damaged(path))
    return Bundle(path, kind, header, checksum, mac)


def _damaged(path: Path) -> str:
    return (
        f"The sync file {path.name} is damaged or is not a Station Rotation sync file. "
        "Nothing was changed; copy it again from where it was made."
    )


def _cut_short(path: Path) -> str:
    return (
        f"The sync file {path.name} is incomplete: it was cut short, perhaps the USB stick "
        "was removed before the copy finished. Nothing was changed; copy it again."
    )


def _json(path: Path, line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError as exc:
        raise BundleError(_damaged(path)) from exc


@contextmanager
def _lines(path: Path) -> Iterator[Iterator[bytes]]:
    """The unpacked lines of ``path``, at most :data:`MAX_BYTES` in all; plain errors."""
    try:
        with gzip.open(path, "rb") as stream:
            yield _capped(path, stream)
    except FileNotFoundError as exc:
        raise BundleError(f"There is no sync file at {path}.") from exc
    except EOFError as exc:
        raise BundleError(_cut_short(path)) from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise BundleError(_damaged(path)) from exc
    except OSError as exc:
        if "CRC" in str(exc) or "length" in str(exc):
            raise BundleError(_damaged(path)) from exc
        raise BundleError(f"Could not read the sync file {path} ({exc.strerror or exc}).") from exc


def _capped(path: Path, stream: gzip.GzipFile) -> Iterator[bytes]:
    left = MAX_BYTES
    while line := stream.readline(min(left, MAX_LINE_BYTES) + 1):
        left -= len(line)
        if left < 0 or (len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")):
            raise BundleError(
                f"The sync file {path.name} unpacks to more than {MAX_BYTES // 1024**2} MB, "
                "more than any teacher's year of data: it is not a sync file Station "
                "Rotation made. Nothing was changed; sync over the network once if you "
                "can, or tell your district."
            )
        yield line
