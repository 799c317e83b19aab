"""What the projector shows at one moment, worked out without Qt.

The window turns a :class:`ClockView` and a :class:`Board` into a :class:`Scene` (the
texts and rows to draw) only when something other than the seconds changed, so a tick
costs a comparison and, once a second, a repaint of the digits. Keeping this Qt-free
makes the privacy rule easy to check: a row only ever holds a group's name, colour, shape, the
first names when the teacher allows them, and station names, instructions and links.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from station_rotation.core.rotation.board import Board, BoardStation
from station_rotation.core.rotation.clock import ClockView, Phase

LAST_MINUTE = 60.0
FREE_CHOICE = "Free choice"
FINISHED_MESSAGE = "All done. Well done, everyone!"
WAITING_STATUS = "Next round starts when your teacher says"


class Mode(StrEnum):
    WAITING = "waiting"  # the run has not started yet
    ROUND = "round"
    TRANSITION = "transition"
    FINISHED = "finished"


class Tone(StrEnum):
    """How the countdown is coloured (the colours themselves live in ``theme``)."""

    CALM = "calm"
    LAST_MINUTE = "last_minute"
    PAUSED = "paused"
    TRANSITION = "transition"
    IDLE = "idle"


@dataclass(frozen=True)
class Row:
    """One group's line: its colour and name, where it is (or goes) and what comes next."""

    group: str
    colour: str
    members: str  # first names joined, or "" when the privacy setting hides them
    station: str  # the station now (round) or the one to move to (transition)
    instructions: str
    next_station: str  # in a round: the next round's station ("" in the last round)
    from_station: str  # in a transition: the station the group leaves
    content_url: str
    symbol: str = ""  # the group's shape ("circle", ...; see core.scheduling.symbols)


@dataclass(frozen=True)
class Scene:
    mode: Mode
    round_text: str  # "Round 2 of 4"
    status: str  # "Paused", "Clean up and move", "Last minute", ...
    rows: tuple[Row, ...]
    message: str = ""  # shown instead of the rows (the finished screen)


def countdown_text(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour), rounded up so 0:00 means the time is over."""
    whole = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def mode_of(view: ClockView) -> Mode:
    return {
        Phase.NOT_STARTED: Mode.WAITING,
        Phase.ROUND: Mode.ROUND,
        Phase.TRANSITION: Mode.TRANSITION,
        Phase.FINISHED: Mode.FINISHED,
    }[view.phase]


def in_last_minute(view: ClockView) -> bool:
    return view.phase is Phase.ROUND and view.remaining <= LAST_MINUTE


def tone_of(view: ClockView) -> Tone:
    if view.phase in (Phase.NOT_STARTED, Phase.FINISHED) or view.waiting:
        return Tone.IDLE
    if view.paused:
        return Tone.PAUSED
    if view.phase is Phase.TRANSITION:
        return Tone.TRANSITION
    return Tone.LAST_MINUTE if in_last_minute(view) else Tone.CALM


def status_of(view: ClockView) -> str:
    if view.phase is Phase.FINISHED:
        return "Finished"
    if view.paused:
        return "Paused"
    if view.phase is Phase.NOT_STARTED:
        return "Get ready"
    if view.waiting:
        return WAITING_STATUS
    if view.phase is Phase.TRANSITION:
        return "Clean up and move"
    if in_last_minute(view):
        return "Last minute"
    return ""


def round_text(view: ClockView) -> str:
    if view.phase is Phase.FINISHED:
        if view.round_number >= view.rounds:
            return "All rounds done" if view.rounds > 1 else "Round done"
        return f"Ended in round {view.round_number} of {view.rounds}"
    prefix = "Next: round" if view.phase is Phase.TRANSITION else "Round"
    return f"{prefix} {view.round_number} of {view.rounds}"


def scene_for(view: ClockView, board: Board | None, *, first_names: bool) -> Scene:
    """Everything the projector shows apart from the seconds."""
    mode = mode_of(view)
    rows: tuple[Row, ...] = ()
    if board is not None and mode is not Mode.FINISHED:
        rows = tuple(_rows(board, view.round_index, mode, first_names))
    message = FINISHED_MESSAGE if mode is Mode.FINISHED else ""
    return Scene(mode, round_text(view), status_of(view), rows, message)


def _rows(board: Board, round_index: int, mode: Mode, first_names: bool) -> list[Row]:
    has_next = round_index + 1 < len(board.rounds)
    before = board.moves(round_index - 1) if mode is Mode.TRANSITION and round_index else []
    shapes = board.symbols()
    out = []
    for index, move in enumerate(board.moves(round_index)):
        here: BoardStation | None = move.now
        following = _name(move.next) if has_next and mode is not Mode.TRANSITION else ""
        leaving = _name(before[index].now) if index < len(before) else ""
        out.append(
            Row(
                group=move.group.name,
                colour=move.group.colour,
                members=", ".join(move.group.first_names) if first_names else "",
                station=_name(here),
                instructions=here.instructions if here else "",
                next_station=following,
                from_station=leaving,
                content_url=here.content_url.strip() if here else "",
                symbol=shapes[move.group.id].name,
            )
        )
    return out


def _name(station: BoardStation | None) -> str:
    return station.name if station is not None else FREE_CHOICE
