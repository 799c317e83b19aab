"""The sync file itself: whatever happens to the bytes on the stick, it is whole or refused."""

from __future__ import annotations

import gzip
import json
import random
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
        assert (bundle.body, bundle.mac) == (original.body, original.mac)


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
