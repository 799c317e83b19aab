"""Counts in words, the same way on every page, in every message and on the command line."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str = "") -> str:
    """``1 change``, ``3 changes``; ``plural`` where adding "s" is wrong (``classes``)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
