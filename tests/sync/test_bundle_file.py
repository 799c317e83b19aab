"""The sync file itself: whatever happens to the bytes on the stick, it is whole or refused."""

from __future__ import annotations

import gzip
import json
import random
import tracemalloc
from pathlib import Path

import pytest

from station_rotation.sync.bundle_file import (
    BundleError,
    read_bundle,
    seal_key,
    token_hash,
    write_bundle,
)

KEY = seal_key(token_hash("a device token"), "request")


def _bundle(path: Path) -> bytes:
    items = [{"change": {"n": n, "payload": {"name": f"Station {n}" * 5}}} for n in range(300)]
    write_bundle(path, "request", {"enrolment_id": "e1", "cursor": 7}, items, KEY)
    return path.read_bytes()


def test_a_written_file_reads_back_whole_and_sealed(tmp_path: Path) -> None:
    """What was written is what is read, and only the right key checks the seal."""
    path = tmp_path / "a.srsync"
    _bundle(path)
    bundle = read_bundle(path)
    assert (bundle.kind, bundle.header["cursor"], len(bundle.items)) == ("request", 7, 300)
    bundle.check_seal(KEY, who="the laptop")
    for wrong in (seal_key(token_hash("another token"), "request"), seal_key("x", "reply")):
        with pytest.raises(BundleError, match="was not made by the laptop"):
            bundle.check_seal(wrong, who="the laptop")
    assert not list(tmp_path.glob("*.partial"))  # written through a temp file, renamed
    assert path.stat().st_mode & 0o077 == 0  # student data: this user only


def test_every_cut_and_every_flipped_byte_is_caught(tmp_path: Path) -> None:
    """A copy cut short anywhere is refused; a changed byte either changes nothing the
    file says (gzip's header time or OS byte) or is refused."""
    path = tmp_path / "a.srsync"
    whole = _bundle(path)
    original = read_bundle(path)
    rng = random.Random(6)
    for cut in sorted(rng.sample(range(len(whole)), 150)):
        path.write_bytes(whole[:cut])
        with pytest.raises(BundleError):
            read_bundle(path)
    for at in rng.sample(range(len(whole)), 150):
        damaged = bytearray(whole)
        damaged[at] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(damaged))
        try:
            bundle = read_bundle(path)
        except BundleError:
            continue
        assert (bundle.sha256, bundle.mac) == (original.sha256, original.mac)
        assert bundle.items == original.items


def test_a_file_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    """A stick pulled out (the folder is gone): a plain message, nothing left behind."""
    with pytest.raises(BundleError, match="Could not write the sync file"):
        write_bundle(tmp_path / "gone" / "a.srsync", "request", {}, [], KEY)


def test_a_seal_with_odd_characters_is_refused_in_plain_words(tmp_path: Path) -> None:
    """A forged file whose seal holds non-ASCII text is refused like any wrong seal."""
    path = tmp_path / "a.srsync"
    _bundle(path)
    lines = gzip.decompress(path.read_bytes()).splitlines(keepends=True)
    end = json.loads(lines[-1])
    end["end"]["mac"] = "é" * 64
    lines[-1] = json.dumps(end).encode() + b"\n"
    path.write_bytes(gzip.compress(b"".join(lines)))
    with pytest.raises(BundleError, match="was not made by the laptop"):
        read_bundle(path).check_seal(KEY, who="the laptop")


def test_an_item_that_cannot_be_written_leaves_no_half_file(tmp_path: Path) -> None:
    """A change that cannot be encoded stops the write and leaves neither file behind."""
    path = tmp_path / "a.srsync"
    with pytest.raises(TypeError):
        write_bundle(path, "request", {}, [{"change": {"when": object()}}], KEY)
    assert list(tmp_path.iterdir()) == []


def test_a_gzip_bomb_is_refused_in_plain_words_without_filling_memory(tmp_path: Path) -> None:
    """A small file that unpacks past the cap is refused while streaming: it is never held
    whole in memory (the old reader read up to 2 GiB before looking at it)."""
    path = tmp_path / "bomb.srsync"
    header = {"format": "station-rotation-sync-bundle", "version": 1, "kind": "reply"}
    line = json.dumps({"pulled": {"payload": "x" * 1000}}).encode() + b"\n"
    block = line * 1024  # ~1 MB
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(json.dumps(header).encode() + b"\n")
        for _ in range(512 * 1024**2 // len(block) + 2):  # the documented cap, passed
            out.write(block)
    assert path.stat().st_size < 5 * 1024**2
    tracemalloc.start()
    try:
        with pytest.raises(BundleError, match="unpacks to more than 512 MB") as refused:
            read_bundle(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Nothing was changed" in str(refused.value)
    assert peak < 16 * 1024**2


def test_a_gzip_bomb_without_line_breaks_is_refused_at_a_line_s_length(tmp_path: Path) -> None:
    """No line breaks at all: refused once one line passes 16 MB, never read whole."""
    path = tmp_path / "bomb.srsync"
    with gzip.open(path, "wb", compresslevel=1) as out:
        for _ in range(64):
            out.write(b"x" * 1024**2)
    tracemalloc.start()
    try:
        with pytest.raises(BundleError, match="unpacks to more than"):
            read_bundle(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024**2
