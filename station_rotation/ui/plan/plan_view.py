"""From the saved plan, the roster and the room to what the Plan page's widgets show.

Kept apart from the page so the mapping (names, colours, who is present) is written
once and read by the grid, the group columns, the absence list and the printed sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from station_rotation.core.scheduling.model import Timetable
from station_rotation.services.plans.document import OWN_PATH_COLOUR, Plan
from station_rotation.services.plans.schedule import OWN_PATH_PREFIX
from station_rotation.ui.plan.groups_editor import OWN_COLUMN, GroupView
from station_rotation.ui.plan.members_model import MemberRow
from station_rotation.ui.plan.plan_list import day_text
from station_rotation.ui.plan.plan_print import PlanSheet
from station_rotation.ui.plan.timeline_data import GroupLabel, StationLabel, TimelineData


@dataclass(frozen=True)
class Student:
    id: str
    name: str  # as the teacher reads it
    first_name: str


@dataclass(frozen=True)
class PlanView:
    """One plan seen against the class's active roster (roster order) and room."""

    plan: Plan
    students: tuple[Student, ...]
    stations: tuple[StationLabel, ...]

    @property
    def absent(self) -> set[str]:
        return set(self.plan.body.absent_ids)

    def name(self, student_id: str) -> str:
        return next((s.name for s in self.students if s.id == student_id), "A former student")

    def _rows(self, ids: list[str]) -> tuple[MemberRow, ...]:
        order = {s.id: n for n, s in enumerate(self.students)}
        absent = self.absent
        known = sorted((i for i in ids if i in order), key=order.__getitem__)
        return tuple(MemberRow(i, self.name(i), i in absent) for i in known)

    def group_views(self) -> list[GroupView]:
        """The groups, then a column of the students on their own path (if any)."""
        views = [
            GroupView(g.id, g.name, g.colour, self._rows(g.student_ids), g.needs_support)
            for g in self.plan.body.groups
        ]
        alone = [own.student_id for own in self.plan.body.own_paths]
        if alone:
            rows = self._rows(alone)
            views.append(GroupView(OWN_COLUMN, "Own paths", OWN_PATH_COLOUR, rows, fixed=True))
        return views

    def own_path_names(self) -> dict[str, str]:
        """ "own:<id>" -> first name, for the path editor's group list."""
        firsts = {s.id: s.first_name for s in self.students}
        return {
            OWN_PATH_PREFIX + own.student_id: firsts.get(own.student_id, "A former student")
            for own in self.plan.body.own_paths
        }

    def absence_rows(self) -> list[MemberRow]:
        absent = self.absent
        return [MemberRow(s.id, s.name, s.id in absent) for s in self.students]

    def present_counts(self) -> dict[str, int]:
        """Present students per scheduled group id (as the schedule request sizes them)."""
        here = {s.id for s in self.students} - self.absent
        counts = {g.id: len([i for i in g.student_ids if i in here]) for g in self.plan.body.groups}
        for own in self.plan.body.own_paths:
            counts[OWN_PATH_PREFIX + own.student_id] = int(own.student_id in here)
        return {gid: n for gid, n in counts.items() if n}

    def group_labels(self) -> tuple[GroupLabel, ...]:
        counts = self.present_counts()
        labels = [
            GroupLabel(g.id, g.name, g.colour, counts.get(g.id, 0)) for g in self.plan.body.groups
        ]
        for own in self.plan.body.own_paths:
            first = next((s.first_name for s in self.students if s.id == own.student_id), "")
            labels.append(GroupLabel(OWN_PATH_PREFIX + own.student_id, first, own.colour, 1))
        return tuple(labels)

    def timeline(self, timetable: Timetable) -> TimelineData:
        return TimelineData(timetable, self.group_labels(), self.stations)

    def heading(self) -> str:
        plan = self.plan
        when = "Template" if plan.is_template else day_text(plan.lesson_date)
        return f"{plan.name}  ·  {when}"

    def sheet(self, timetable: Timetable, class_name: str) -> PlanSheet:
        data = self.timeline(timetable)
        members: list[tuple[str, ...]] = []
        absent = self.absent
        by_id = {g.id: g for g in self.plan.body.groups}
        for group_id in timetable.group_ids:
            group = by_id.get(group_id)
            ids = group.student_ids if group else [group_id.removeprefix(OWN_PATH_PREFIX)]
            members.append(tuple(r.name for r in self._rows(ids) if r.id not in absent))
        subtitle = f"{class_name}  ·  {self.heading().split('  ·  ')[-1]}  ·  {data.period_text()}"
        return PlanSheet(
            title=self.plan.name,
            subtitle=subtitle,
            timeline=data,
            members=tuple(members),
            absent=tuple(s.name for s in self.students if s.id in absent),
            fast_finisher=self.plan.body.fast_finisher,
        )
