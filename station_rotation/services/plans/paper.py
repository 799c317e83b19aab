"""What goes on paper when the screens fail: station cards, group cards, a record sheet.

Read from the saved plan, its timetable, the roster and the room, in words and colours
only (no Qt), so any printer, a PDF or a test can lay them out. Group cards name
students by first name and family initial; nothing here carries a score, a tier or a
support note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from station_rotation.core.errors import ValidationError
from station_rotation.core.scales import Scale, parse_scale
from station_rotation.core.scheduling.model import CellKind, Timetable
from station_rotation.core.scheduling.symbols import Symbol, symbols_for
from station_rotation.core.stations import StationKind
from station_rotation.services.app import AppServices
from station_rotation.services.plans.schedule import OWN_PATH_PREFIX


@dataclass(frozen=True)
class PaperGroup:
    """A group as the paper shows it: name, colour and shape."""

    id: str
    name: str
    colour: str  # "#RRGGBB"
    symbol: Symbol


@dataclass(frozen=True)
class RoundSlot:
    number: int
    start: time
    end: time


@dataclass(frozen=True)
class StationVisit:
    """Who comes to a station in one round (may-do visits are marked)."""

    round: RoundSlot
    groups: tuple[PaperGroup, ...]
    may_do: bool = False


@dataclass(frozen=True)
class StationCard:
    name: str
    kind: str  # "Teacher-led", ...
    instructions: str
    link: str  # "" when the station has no digital content
    position: int  # in the room, from 0: fixes the station's tint
    visits: tuple[StationVisit, ...]


@dataclass(frozen=True)
class PathStop:
    round: RoundSlot
    station: str  # the station's name, or "Free choice"
    position: int | None  # the station's place in the room (None: free choice)
    may_do: bool = False


@dataclass(frozen=True)
class GroupCard:
    group: PaperGroup
    members: tuple[str, ...]  # "Maya R.", in roster order, present today only
    path: tuple[PathStop, ...]


@dataclass(frozen=True)
class SheetTarget:
    code: str
    statement: str
    scale: Scale


@dataclass(frozen=True)
class RecordSheet:
    """A blank sheet: the rows and columns of the quick-check grid, in its order."""

    class_name: str
    students: tuple[str, ...]
    targets: tuple[SheetTarget, ...]
    lesson_date: date | None = None
    plan_name: str = ""


@dataclass(frozen=True)
class PlanPaper:
    """Everything the paper fallback prints for one plan."""

    plan_name: str
    class_name: str
    lesson_date: date | None
    station_cards: tuple[StationCard, ...]
    group_cards: tuple[GroupCard, ...]
    sheet: RecordSheet


def short_name(first: str, family: str) -> str:
    """ "Maya R.": the first name and the family name's initial."""
    first, family = first.strip(), family.strip()
    return f"{first} {family[0]}." if family else first


def record_sheet(
    services: AppServices,
    class_id: str,
    *,
    lesson_date: date | None = None,
    plan_name: str = "",
) -> RecordSheet:
    """The class's blank record sheet: the grid's rows (the roster) and columns (targets)."""
    section = services.classes.get_class(class_id)
    students = tuple(e.student.display_name for e in services.roster.roster(class_id))
    targets = tuple(
        SheetTarget(t.code, t.statement, parse_scale(t.scale))
        for t in services.targets.list_for(class_id)
    )
    return RecordSheet(section.name, students, targets, lesson_date, plan_name)


def _kind_label(kind: str) -> str:
    try:
        return StationKind(kind).label
    except ValueError:
        return ""


def plan_paper(services: AppServices, plan_id: str) -> PlanPaper:
    """The cards and the sheet of a saved plan, from its timetable as planned now.

    Raises a :class:`ValidationError` a teacher can act on when the plan has no
    timetable (it cannot work as it stands).
    """
    plan = services.plans.get(plan_id)
    result = services.plans.schedule(plan_id)
    if not isinstance(result, Timetable):
        raise ValidationError(
            "This plan has no timetable yet, so there is nothing to put on the cards: "
            "fix the plan on the Plan page first."
        )
    section = services.classes.get_class(plan.class_id)
    roster = services.roster.roster(plan.class_id)
    people = {e.student.id: e.student for e in roster}
    order = {e.student.id: n for n, e in enumerate(roster)}
    absent = set(plan.body.absent_ids)
    stations = services.stations.list_for(plan.class_id)
    place = {s.id: n for n, s in enumerate(stations)}
    names = {s.id: s.name for s in stations}

    body_groups = {g.id: g for g in plan.body.groups}
    own_colours = {OWN_PATH_PREFIX + o.student_id: o.colour for o in plan.body.own_paths}
    named: list[tuple[str, str, str, list[str]]] = []  # id, name, colour, member ids
    for group_id in result.group_ids:
        group = body_groups.get(group_id)
        if group is not None:
            named.append((group_id, group.name, group.colour, list(group.student_ids)))
        else:
            student_id = group_id.removeprefix(OWN_PATH_PREFIX)
            student = people.get(student_id)
            first = student.first_name if student else "Own path"
            named.append((group_id, first, own_colours.get(group_id, "#777777"), [student_id]))
    shapes = symbols_for([colour for _id, _name, colour, _ids in named])
    groups = [
        PaperGroup(gid, name, colour, shape)
        for (gid, name, colour, _ids), shape in zip(named, shapes, strict=True)
    ]
    rounds = [RoundSlot(r.number, r.start, r.end) for r in result.rounds]

    cards = []
    for station in stations:
        visits = []
        for row, slot in enumerate(rounds):
            here = [
                (groups[column], cell.kind is CellKind.MAY_DO)
                for column, cell in enumerate(result.cells[row])
                if cell.kind is not CellKind.FREE and cell.station_id == station.id
            ]
            visits.append(
                StationVisit(slot, tuple(g for g, _ in here), any(may for _, may in here))
            )
        if not any(visit.groups for visit in visits):
            continue  # nobody comes to it today: no card for an empty table
        cards.append(
            StationCard(
                station.name,
                _kind_label(station.kind),
                station.instructions.strip(),
                station.content_url.strip(),
                place[station.id],
                tuple(visits),
            )
        )

    group_cards = []
    for column, (shown, (_gid, _name, _colour, ids)) in enumerate(zip(groups, named, strict=True)):
        present = sorted((i for i in ids if i in people and i not in absent), key=order.__getitem__)
        members = tuple(short_name(people[i].first_name, people[i].family_name) for i in present)
        path = []
        for row, slot in enumerate(rounds):
            cell = result.cells[row][column]
            known = cell.kind is not CellKind.FREE and cell.station_id in names
            path.append(
                PathStop(
                    slot,
                    names[cell.station_id] if known and cell.station_id else "Free choice",
                    place[cell.station_id] if known and cell.station_id else None,
                    cell.kind is CellKind.MAY_DO,
                )
            )
        group_cards.append(GroupCard(shown, members, tuple(path)))

    sheet = record_sheet(services, plan.class_id, lesson_date=plan.lesson_date, plan_name=plan.name)
    return PlanPaper(
        plan.name, section.name, plan.lesson_date, tuple(cards), tuple(group_cards), sheet
    )
