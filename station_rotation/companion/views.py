"""What a device may receive and send: one explicit allow-list per role.

A student's view is its own type with no field for scores, notes, supports, tiers, group
reasons or other students, so privacy is a type, not a filter someone may forget
(DESIGN.md §7). Requests forbid unknown fields: a student's reflection that names a
student is refused, not read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

UUID_TEXT = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
RequestId = Annotated[str, StringConstraints(pattern=UUID_TEXT)]
"""The id a page makes for one tap (a UUID) and sends again with every resend."""
Key = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{1,64}$")]
Code = Annotated[str, StringConstraints(max_length=40)]
Secret = Annotated[str, StringConstraints(max_length=100)]


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClockState(_View):
    """The countdown, as the page draws it from the deadline (docs/companion.md)."""

    phase: Literal["not_started", "round", "transition", "finished"]
    round: int
    rounds: int
    paused: bool
    waiting: bool  # the next round waits for the teacher to start it (no auto-advance)
    remaining_ms: int
    segment_ms: int
    deadline_ms: int | None
    now_ms: int


class GroupLine(_View):
    name: str
    colour: str
    symbol: str  # the group's shape ("circle", "triangle", ...), as on the cards
    now: str | None
    next: str | None


class PadLevel(_View):
    value: int
    label: str


class PadTarget(_View):
    id: str
    statement: str
    levels: list[PadLevel]


class StandingLevel(_View):
    value: int | None
    absent: bool
    check_id: str


class PadStudent(_View):
    id: str
    name: str
    levels: dict[str, StandingLevel]  # by target id: what the grid shows now


class Pad(_View):
    label: str
    station_id: str
    targets: list[PadTarget]
    students: list[PadStudent]


class DeviceCounts(_View):
    students: int
    teachers: int


class TeacherView(_View):
    role: Literal["teacher"] = "teacher"
    title: str
    clock: ClockState | None
    blank: bool
    checkin_open: bool
    checkin_target: str | None
    groups: list[GroupLine]
    pad: Pad | None
    devices: DeviceCounts


class GroupBadge(_View):
    name: str
    colour: str
    symbol: str


class StationNow(_View):
    name: str
    instructions: str
    content_url: str


class StationNext(_View):
    name: str


class CheckInPrompt(_View):
    target_id: str
    statement: str


class StudentView(_View):
    """Everything a student's device is ever sent: her own group and station, the clock."""

    role: Literal["student"] = "student"
    title: str
    first_name: str
    group: GroupBadge | None
    clock: ClockState | None
    now: StationNow | None
    next: StationNext | None
    checkin: CheckInPrompt | None
    reflected: bool


class JoinGroup(_View):
    key: str
    name: str
    colour: str
    symbol: str


class JoinStudent(_View):
    key: str
    first_name: str


# --- requests -------------------------------------------------------------------------


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PairRequest(_Request):
    secret: Secret = ""
    code: Code = ""


class LeaveRequest(_Request):
    """Nothing to say: a device leaving (a JSON body like every other POST)."""


class PickRequest(_Request):
    group: Key
    student: Key


class PersonalRequest(_Request):
    code: Code


Command = Literal["pause", "resume", "begin", "add_minute", "next", "back", "blank", "unblank"]


class CommandRequest(_Request):
    id: RequestId
    command: Command


class CheckRequest(_Request):
    id: RequestId
    student_id: Annotated[str, StringConstraints(max_length=36)]
    target_id: Annotated[str, StringConstraints(max_length=36)]
    score: int | None = Field(default=None, ge=-1000, le=1000, strict=True)
    absent: bool = False
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class UndoRequest(_Request):
    id: RequestId
    check_id: Annotated[str, StringConstraints(max_length=36)]


class CheckInRequest(_Request):
    open: bool
    target_id: Annotated[str, StringConstraints(max_length=36)] | None = None


class ReflectionRequest(_Request):
    id: RequestId
    confidence: int = Field(ge=1, le=4, strict=True)
    words: Annotated[str, StringConstraints(max_length=200)] = ""
