"""The plan document: groups, paths, pace, pairs and today's absences, as one JSON body.

A plan is edited as a whole and merges as a whole (``RotationPlan.body``), so its content
is one pydantic document rather than rows. ``BODY_VERSION`` is stored next to it in
``RotationPlan.body_version``; :func:`load_body` is where an older document is upgraded.
The summaries handed to the screens are frozen pydantic shapes, never table rows.

Versions: 1 had no pairs; 2 adds ``keep_apart`` and ``keep_together`` (a version-1 body
loads with none). An app that knows only version 1 refuses a version-2 body with its
"newer version" message rather than dropping the pairs when it saves. 3 adds the pace's
``auto_advance`` (an older body loads with it on, as runs always were).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from datetime import time as clock_time
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from station_rotation.core.errors import ValidationError
from station_rotation.core.ids import new_id

BODY_VERSION = 3
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"
OWN_PATH_COLOUR = "#7F7F7F"  # neutral grey: a one-student path is not a team colour
MAX_GROUPS = 12
MAX_PAIRS = 200  # far more than a class of 35 needs; bounds a synced document


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanStop(_Doc):
    """One station on a path; a may-do stop (``must_do=False``) is visited if a slot is left."""

    station_id: str = Field(min_length=1)
    must_do: bool = True


class PlanGroup(_Doc):
    """Students who rotate together; ``name`` and ``colour`` are what the projector shows.

    ``teacher_round`` (1-based) is the round a needs-support group meets the teacher;
    None means the first round. Extra minutes round up to whole extra rounds per stop.
    """

    id: str = Field(default_factory=new_id, min_length=1)
    name: str = Field(min_length=1, max_length=60)
    colour: str = Field(pattern=HEX_COLOUR)
    student_ids: list[str] = Field(default_factory=list)
    path: list[PlanStop] = Field(default_factory=list)
    needs_support: bool = False
    teacher_round: int | None = Field(default=None, ge=1, le=30)
    extra_minutes: int = Field(default=0, ge=0, le=180)
    extra_rounds: int = Field(default=0, ge=0, le=10)


class OwnPath(_Doc):
    """A single student's own path: scheduled as a one-student group, named by first name."""

    student_id: str = Field(min_length=1)
    path: list[PlanStop] = Field(default_factory=list)
    colour: str = Field(default=OWN_PATH_COLOUR, pattern=HEX_COLOUR)
    needs_support: bool = False
    teacher_round: int | None = Field(default=None, ge=1, le=30)
    extra_minutes: int = Field(default=0, ge=0, le=180)
    extra_rounds: int = Field(default=0, ge=0, le=10)


class StudentPair(_Doc):
    """Two students the teacher wants kept apart, or together, whenever groups are formed."""

    first: str = Field(min_length=1)
    second: str = Field(min_length=1)

    @model_validator(mode="after")
    def _two_students(self) -> StudentPair:
        if self.first == self.second:
            raise ValueError("a pair needs two different students")
        return self

    def ids(self) -> tuple[str, str]:
        return (self.first, self.second)

    def same_as(self, first: str, second: str) -> bool:
        return {self.first, self.second} == {first, second}


def _unique_pairs(pairs: list[StudentPair]) -> list[StudentPair]:
    seen: set[frozenset[str]] = set()
    kept = []
    for pair in pairs:
        if frozenset(pair.ids()) not in seen:
            seen.add(frozenset(pair.ids()))
            kept.append(pair)
    return kept


class PlanPace(_Doc):
    """``rounds=None``: as many rounds as the paths need and the period holds.

    ``auto_advance``: after each transition the next round starts by itself (True), or
    waits until the teacher starts it (False: "Ready: press Space to start round 3").
    On by default, because that is what a rotation timer does and what a teacher at the
    teacher-led table expects: she is sitting with a small group, not at the laptop, the
    transition is the move time she planned, and the chime and the projector tell the room
    to move. A teacher whose class needs her signal before each round turns it off.
    """

    round_minutes: int = Field(default=15, ge=1, le=180)
    transition_minutes: int = Field(default=2, ge=0, le=60)
    rounds: int | None = Field(default=None, ge=1, le=30)
    ordered_paths: bool = True
    auto_advance: bool = True


class PlanBody(_Doc):
    """Everything a lesson's plan holds besides its name and date.

    A student with an entry in ``own_paths`` is in no group (saving moves them out of it).
    Absent students stay in their group; scheduling counts only who is present.
    """

    version: int = BODY_VERSION
    groups: list[PlanGroup] = Field(default_factory=list, max_length=MAX_GROUPS)
    own_paths: list[OwnPath] = Field(default_factory=list)
    pace: PlanPace = Field(default_factory=PlanPace)
    start: clock_time = clock_time(9, 0)
    end: clock_time = clock_time(10, 0)
    absent_ids: list[str] = Field(default_factory=list)
    fast_finisher: str = Field(default="", max_length=1000)
    keep_apart: list[StudentPair] = Field(default_factory=list, max_length=MAX_PAIRS)
    keep_together: list[StudentPair] = Field(default_factory=list, max_length=MAX_PAIRS)

    @model_validator(mode="after")
    def _own_path_leaves_group(self) -> PlanBody:
        alone = {own.student_id for own in self.own_paths}
        if alone:
            for group in self.groups:
                group.student_ids = [s for s in group.student_ids if s not in alone]
        return self

    @model_validator(mode="after")
    def _pairs_once(self) -> PlanBody:
        """A pair is listed once, in either order; "apart" wins over a contradicting "together"."""
        self.keep_apart = _unique_pairs(self.keep_apart)
        apart = {frozenset(p.ids()) for p in self.keep_apart}
        self.keep_together = [
            p for p in _unique_pairs(self.keep_together) if frozenset(p.ids()) not in apart
        ]
        return self

    def apart_ids(self) -> list[tuple[str, str]]:
        return [p.ids() for p in self.keep_apart]

    def together_ids(self) -> list[tuple[str, str]]:
        return [p.ids() for p in self.keep_together]

    def group(self, group_id: str) -> PlanGroup:
        for group in self.groups:
            if group.id == group_id:
                return group
        raise ValidationError("That group is no longer in this plan.")

    def member_ids(self) -> set[str]:
        """Every student the plan places, in a group or on their own path."""
        placed = {s for g in self.groups for s in g.student_ids}
        return placed | {own.student_id for own in self.own_paths}


class PlanSummary(BaseModel):
    """A plan as a list shows it."""

    model_config = ConfigDict(frozen=True)

    id: str
    class_id: str
    name: str
    lesson_date: date | None
    is_template: bool
    archived: bool
    created_at: datetime
    updated_at: datetime


class Plan(PlanSummary):
    """A plan with its document; edit ``body`` (a copy is fine) and hand it to ``save``."""

    model_config = ConfigDict(frozen=False)

    body: PlanBody


_LABELS = {
    "groups": "Groups",
    "own_paths": "Own paths",
    "pace": "Pace",
    "round_minutes": "Round length",
    "transition_minutes": "Transition",
    "rounds": "Rounds",
    "colour": "Colour",
    "name": "Name",
    "teacher_round": "Teacher round",
    "extra_minutes": "Extra minutes",
    "extra_rounds": "Extra rounds",
    "fast_finisher": "Fast-finisher instructions",
    "start": "Start time",
    "end": "End time",
    "keep_apart": "Keep apart",
    "keep_together": "Keep together",
    "first": "Pair",
    "second": "Pair",
}


def parse_body(data: Any) -> PlanBody:
    """Validate a plan document (a dict or a PlanBody) with a message a teacher can read."""
    if isinstance(data, PlanBody):
        data = data.model_dump()
    try:
        return PlanBody.model_validate(data)
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors():
            names = [str(part) for part in error["loc"] if not isinstance(part, int)]
            label = _LABELS.get(names[-1], names[-1].replace("_", " ")) if names else "Plan"
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "string_pattern_mismatch" and names and names[-1] == "colour":
                message = "use a colour like #0072B2"
            elif error["type"] == "string_too_short":
                message = "cannot be empty"
            problems.append(f"{label}: {message}")
        raise ValidationError("; ".join(dict.fromkeys(problems)) + ".") from None


def load_body(text: str, version: int) -> PlanBody:
    """The stored document, upgraded from ``version`` when an older app wrote it."""
    if version > BODY_VERSION:
        raise ValidationError(
            "This plan was saved by a newer version of Station Rotation; update the app to open it."
        )
    data = json.loads(text or "{}")
    # Version 1 -> 2: no pairs yet; the defaults (none) are right, nothing to move.
    # Version 2 -> 3: no auto_advance yet; the default (on) is how runs always went.
    data["version"] = BODY_VERSION
    return parse_body(data)


def dump_body(body: PlanBody) -> str:
    return body.model_dump_json()
