"""Validated input shapes for creating and editing records (pydantic).

The UI and the CLI build these; the services turn their validation failures into
:class:`~station_rotation.core.errors.ValidationError` with a sentence a teacher can act on.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator

from station_rotation.core.errors import ValidationError
from station_rotation.core.scales import DEFAULT_SCALE, parse_scale
from station_rotation.core.stations import MAX_CAPACITY, MAX_MINUTES, StationKind

_FIELD_LABELS = {
    "name": "Name",
    "given_name": "Given name",
    "statement": "Statement",
    "capacity": "Capacity",
    "default_minutes": "Default minutes",
    "content_url": "Content link",
    "scale": "Scale",
    "kind": "Kind",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ClassCreate(_Shape):
    name: str = Field(min_length=1, max_length=200)
    subject: str = Field(default="", max_length=200)
    grade: str = Field(default="", max_length=50)
    period: str = Field(default="", max_length=50)
    school_year: str = Field(default="", max_length=50)
    source_id: str | None = None


class ClassUpdate(_Shape):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    subject: str | None = Field(default=None, max_length=200)
    grade: str | None = Field(default=None, max_length=50)
    period: str | None = Field(default=None, max_length=50)
    school_year: str | None = Field(default=None, max_length=50)


class StudentCreate(_Shape):
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(default="", max_length=200)
    preferred_name: str = Field(default="", max_length=200)
    source_id: str | None = None
    identifier: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320)
    grade: str = Field(default="", max_length=50)
    support_notes: str = ""
    iep: bool = False
    ell: bool = False

    @field_validator("source_id", mode="before")
    @classmethod
    def _empty_source_is_none(cls, value: Any) -> Any:
        value = _strip(value)
        return value or None


class StudentUpdate(_Shape):
    given_name: str | None = Field(default=None, min_length=1, max_length=200)
    family_name: str | None = Field(default=None, max_length=200)
    preferred_name: str | None = Field(default=None, max_length=200)
    source_id: str | None = None
    identifier: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    grade: str | None = Field(default=None, max_length=50)
    support_notes: str | None = None
    iep: bool | None = None
    ell: bool | None = None


class StationCreate(_Shape):
    name: str = Field(min_length=1, max_length=120)
    kind: StationKind = StationKind.INDEPENDENT
    capacity: int = Field(default=8, ge=1, le=MAX_CAPACITY)
    default_minutes: int = Field(default=15, ge=1, le=MAX_MINUTES)
    instructions: str = ""
    content_url: str = Field(default="", max_length=2000)

    @field_validator("content_url")
    @classmethod
    def _url_looks_like_a_link(cls, value: str) -> str:
        return _check_url(value)


class StationUpdate(_Shape):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    kind: StationKind | None = None
    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    default_minutes: int | None = Field(default=None, ge=1, le=MAX_MINUTES)
    instructions: str | None = None
    content_url: str | None = Field(default=None, max_length=2000)

    @field_validator("content_url")
    @classmethod
    def _url_looks_like_a_link(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)


class TargetCreate(_Shape):
    code: str = Field(default="", max_length=80)
    statement: str = Field(min_length=1, max_length=1000)
    scale: str = DEFAULT_SCALE

    @field_validator("scale")
    @classmethod
    def _known_scale(cls, value: str) -> str:
        return parse_scale(value).spec


class TargetUpdate(_Shape):
    code: str | None = Field(default=None, max_length=80)
    statement: str | None = Field(default=None, min_length=1, max_length=1000)
    scale: str | None = None

    @field_validator("scale")
    @classmethod
    def _known_scale(cls, value: str | None) -> str | None:
        return None if value is None else parse_scale(value).spec


def _check_url(value: str) -> str:
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValueError("a content link must start with http:// or https://")
    return value


ShapeT = TypeVar("ShapeT", bound=BaseModel)


def build(shape: type[ShapeT], **fields: Any) -> ShapeT:
    """Validate ``fields`` into ``shape``; raise a teacher-readable ValidationError."""
    try:
        return shape(**fields)
    except ValidationError:
        raise
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            label = _FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "string_too_short":
                message = "cannot be empty"
            problems.append(f"{label}: {message}")
        raise ValidationError("; ".join(problems) + ".") from None
