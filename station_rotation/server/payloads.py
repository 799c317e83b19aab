"""What a pushed record must be before the server applies it: the laptop's own models, strict.

The server stores what it accepts and every laptop of the teacher pulls it, so a payload
no laptop can read (a station whose name is a number, a field no version knows, a NUL
character PostgreSQL cannot keep) would stop all of them. Each change is checked against
its record type's model (``store.models``, the model the laptop reads it with) and its
version before it is applied; one that fails is refused with a reason the teacher reads
under "Needs your attention", and kept raw like every received change.

An accepted payload is stored as the model writes it (defaults filled in), which is what
the laptop's own row holds, so table digests agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from datetime import date, datetime
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, ConfigDict, create_model

from station_rotation.core.errors import ValidationError
from station_rotation.store.models import SYNCED_TABLES, SYNCED_TYPES
from station_rotation.store.outbox import DAMAGED_ON_LAPTOP, PAYLOAD_VERSION, STAND_IN_ENTITY
from station_rotation.store.plan_body import BODY_VERSION, load_body

BOOKKEEPING = frozenset({"id", "hlc"})
"""Fields every payload carries that a change never sets (``Change.before`` never names them)."""

NEWER_LAPTOP = (
    "This change was made by a newer version of Station Rotation than the district server "
    "runs, so the server cannot check it. It is kept on the server and nothing is lost; "
    "ask your district to update the server."
)

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""A NUL or a lone surrogate: PostgreSQL keeps neither, and a laptop cannot encode one."""

_CHECKERS: dict[str, type[BaseModel]] = {}


def _checker(entity: str) -> type[BaseModel]:
    """A strict, closed copy of ``entity``'s model: JSON types as they are, no extra keys.

    Dates and times stay lax (they arrive as ISO text); everything else must already
    be its type (a number is not a name, ``false`` is not a count).
    """
    found = _CHECKERS.get(entity)
    if found is not None:
        return found
    model = SYNCED_TABLES[entity]
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        if _is_moment(annotation):
            annotation = Annotated[annotation, pydantic.Strict(False)]
        fields[name] = (annotation, pydantic.fields.FieldInfo.merge_field_infos(info))
    checker = create_model(
        f"Pushed{model.__name__}",
        __config__=ConfigDict(strict=True, extra="forbid"),
        **fields,
    )
    _CHECKERS[entity] = checker
    return checker


def _is_moment(annotation: Any) -> bool:
    """A date or datetime field (optional or not)."""
    options = getattr(annotation, "__args__", (annotation,))
    return any(option in (date, datetime) for option in options)


def checked_payload(
    entity: str,
    record_id: str,
    payload: dict[str, Any],
    payload_version: int,
    changed: Collection[str] | None = None,
) -> tuple[dict[str, Any], str]:
    """The payload as the server stores it, and ``""``; or ``{}`` and why it is refused.

    ``changed``: the fields the edit names (``Change.before``'s keys), None for any. The
    reason quotes what was sent with any NUL or lone surrogate escaped: it is stored too.
    """
    checked, reason = _checked(entity, record_id, payload, payload_version, changed)
    return checked, _UNSTORABLE.sub(_escaped, reason)


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def _checked(
    entity: str,
    record_id: str,
    payload: dict[str, Any],
    payload_version: int,
    changed: Collection[str] | None,
) -> tuple[dict[str, Any], str]:
    if entity == STAND_IN_ENTITY:
        return {}, DAMAGED_ON_LAPTOP  # it still takes its place in the laptop's sequence
    synced = SYNCED_TYPES.get(entity)
    if synced is None:
        return {}, f"This server does not know records of type {entity!r}."
    word = synced.word
    if payload_version > PAYLOAD_VERSION:
        return {}, NEWER_LAPTOP
    odd = _unstorable_text(payload)
    if odd:
        return {}, (
            f"This {word} could not be stored: its field {odd!r} holds a character that is "
            "not text (a NUL or a broken character). Edit it on the laptop and sync again."
        )
    checker = _checker(entity)
    try:
        checked = checker.model_validate(payload)
    except pydantic.ValidationError as exc:
        return {}, _plain(word, exc)
    if checked.id != record_id:  # type: ignore[attr-defined]
        return {}, f"This {word}'s id differs from the change's record id."
    if changed is not None:
        names = set(changed)
        unknown = sorted(names - set(checker.model_fields) | (names & BOOKKEEPING))
        if unknown:
            return {}, f"This change names fields a {word} does not have: {', '.join(unknown)}."
    if entity == "rotation_plan":
        problem = _plan_problem(checked)
        if problem:
            return {}, problem
    return checked.model_dump(mode="json"), ""


def _plan_problem(plan: Any) -> str:
    """Why a plan's body cannot be read (a plan's content is one JSON document), or ``""``."""
    if plan.body_version > BODY_VERSION:
        return NEWER_LAPTOP
    try:
        load_body(plan.body, plan.body_version)
    except json.JSONDecodeError:
        return "This plan could not be stored: its content is not a readable document."
    except (ValidationError, TypeError, AttributeError) as exc:
        return f"This plan could not be stored: {exc}"
    return ""


def _unstorable_text(value: Any, name: str = "") -> str:
    """The name of the first field holding an ``_UNSTORABLE`` character, else ``""``."""
    if isinstance(value, str):
        return (name or "?") if _UNSTORABLE.search(value) else ""
    if isinstance(value, dict):
        for key, item in value.items():
            found = _unstorable_text(key, name or str(key)) or _unstorable_text(
                item, name or str(key)
            )
            if found:
                return found
    elif isinstance(value, list):
        for item in value:
            found = _unstorable_text(item, name)
            if found:
                return found
    return ""


_KINDS = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "missing": "is missing",
    "extra_forbidden": "is not a field this version knows",
}


def _plain(word: str, exc: pydantic.ValidationError) -> str:
    """The first problem of a refused payload, in words a teacher (or her help desk) reads."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "?"
    what = _KINDS.get(error["type"], str(error["msg"]).rstrip(".").lower())
    more = f" (and {len(exc.errors()) - 1} more problems)" if len(exc.errors()) > 1 else ""
    return (
        f"This {word} could not be stored: its field {field!r} {what}{more}. It was made by "
        "a damaged or unknown copy of the app; nothing else was affected."
    )
