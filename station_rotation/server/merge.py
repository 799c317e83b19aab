"""Per-field merge of a pushed edit into the record the server keeps.

A laptop's change carries the whole record and the names of the fields its edit changed
(``Change.fields``; None from an older laptop: every field). The server keeps the stamp of
each field's last edit (``Record.field_hlcs``), so:

- a field only the pushing laptop changed is taken if its stamp is later than the
  field's; a field it did not change is never touched, so another laptop's edit of
  another field is never lost, whichever syncs first and whatever their clocks say;
- a field both changed follows the stamps (the later edit wins) and the loser's laptop
  keeps a conflict record showing both (``exchange.py`` reports it);
- a field the district owns on a rostered record is never taken (``locked``).

Pure functions on plain dicts: no database, no HTTP.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

UNSTAMPED = frozenset({"id", "hlc"})
"""Payload keys that are no field of their own: the record's id and its stamp."""


@dataclass
class FieldMerge:
    """The outcome of one change merged into one stored record.

    ``payload`` and ``field_hlcs`` are the record's new state (every field's stamp: the
    caller compacts the map against the record's final stamp). ``taken``: the fields
    whose value the change set; ``lost``: the fields it changed that keep another value,
    with that value's stamp; ``locked``: the district's fields it tried to change.
    """

    payload: dict[str, Any]
    field_hlcs: dict[str, str]
    taken: list[str] = field(default_factory=list)
    lost: dict[str, str] = field(default_factory=dict)
    locked: list[str] = field(default_factory=list)
    replaced: dict[str, str] = field(default_factory=dict)
    """For each taken field, the stamp of the value it replaced."""


def stamps_of(
    payload: dict[str, Any], hlc: str, field_hlcs: dict[str, str] | None
) -> dict[str, str]:
    """Every field's stamp: the stored map, or the record's stamp for a field it lacks."""
    known = field_hlcs or {}
    return {name: known.get(name, hlc) for name in payload if name not in UNSTAMPED}


def merge_fields(
    stored: dict[str, Any],
    stored_hlc: str,
    stored_field_hlcs: dict[str, str] | None,
    pushed: dict[str, Any],
    pushed_hlc: str,
    changed: Collection[str] | None,
    locked: Collection[str] = (),
) -> FieldMerge:
    """Merge ``pushed`` (stamped ``pushed_hlc``, its edit changed ``changed``) into ``stored``.

    ``changed`` None: the edit may have changed every field (an older laptop, a record
    written whole). A field ``stored`` lacks (added by a newer schema) is taken as pushed.
    """
    stamps = stamps_of(stored, stored_hlc, stored_field_hlcs)
    merged = dict(stored)
    outcome = FieldMerge(merged, stamps)
    names = [n for n in pushed if n not in UNSTAMPED] if changed is None else list(changed)
    for name in pushed:
        if name not in UNSTAMPED and name not in merged:
            merged[name] = pushed[name]
            stamps[name] = pushed_hlc
    for name in names:
        if name in UNSTAMPED or name not in pushed:
            continue
        before = stamps.get(name, stored_hlc)
        if merged.get(name) == pushed[name]:
            stamps[name] = max(before, pushed_hlc)  # the later write of the same value
            continue
        if name in locked:
            outcome.locked.append(name)
            continue
        if pushed_hlc > before:
            merged[name] = pushed[name]
            stamps[name] = pushed_hlc
            outcome.taken.append(name)
            outcome.replaced[name] = before
        elif pushed_hlc < before:
            outcome.lost[name] = before
    return outcome


def same_fields(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """The two payloads hold the same values (their stamps aside)."""
    return {k: v for k, v in first.items() if k != "hlc"} == {
        k: v for k, v in second.items() if k != "hlc"
    }
