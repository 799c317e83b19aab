"""The companion's use cases: what each device sees of the running rotation, and what
it may do, through the same services the laptop's pages use.

Every write goes through :class:`QuickCheckService` or :class:`RotationService` with the
id the device made, so it is durable before it is acknowledged and a resend is applied
once. The views are built from the run's deadline on each change; nothing here counts
time. Thread-safe: the web thread builds views and applies requests while the GUI
commands the same run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import col, select

from station_rotation.companion.access import Access, DeviceSession, Role
from station_rotation.companion.views import (
    CheckInPrompt,
    CheckInRequest,
    CheckRequest,
    ClockState,
    CommandRequest,
    DeviceCounts,
    GroupBadge,
    GroupLine,
    JoinGroup,
    JoinStudent,
    Pad,
    PadLevel,
    PadStudent,
    PadTarget,
    ReflectionRequest,
    StandingLevel,
    StationNext,
    StationNow,
    StudentView,
    TeacherView,
    UndoRequest,
)
from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.core.events import Changes
from station_rotation.core.hlc import wall_clock_ms
from station_rotation.core.rotation.board import BoardGroup, GroupMove
from station_rotation.core.rotation.clock import ClockView, Phase
from station_rotation.core.rotation.events import EventKind
from station_rotation.core.scales import parse_scale
from station_rotation.services.app import AppServices
from station_rotation.services.checks.groups import RunGroup, run_groups, teacher_led_group
from station_rotation.services.checks.quick_checks import (
    EarlierLevel,
    is_withdrawn,
    latest_standing,
)
from station_rotation.store.models import QuickCheck

WATCHED = frozenset(
    {
        "rotation_run",
        "rotation_event",
        "rotation_plan",
        "quick_check",
        "reflection",
        "student",
        "learning_target",
        "station",
    }
)
"""Tables whose changes may change what a device shows."""

_CLOCK_COMMANDS = {
    "pause": (EventKind.PAUSE, 0.0),
    "resume": (EventKind.RESUME, 0.0),
    "begin": (EventKind.BEGIN_ROUND, 0.0),  # a round waiting for the teacher starts
    "add_minute": (EventKind.ADD_TIME, 60.0),
    "next": (EventKind.SKIP_FORWARD, 0.0),
    "back": (EventKind.SKIP_BACK, 0.0),
}


class Refused(Exception):
    """A request that cannot be done now; ``status`` is the HTTP answer, words for people."""

    def __init__(self, status: int, words: str) -> None:
        super().__init__(words)
        self.status = status
        self.words = words


@dataclass(frozen=True)
class CheckIn:
    """A check-in the teacher opened: which target students rate themselves on."""

    target_id: str
    statement: str


class Classroom:
    """One class's running rotation as the teacher's phone and the students' devices see it."""

    def __init__(
        self,
        services: AppServices,
        access: Access,
        *,
        wall_ms: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self._services = services
        self.access = access
        self._wall_ms = wall_ms
        self._lock = threading.RLock()
        self.class_id: str | None = None
        self.run_id: str | None = None
        self.blank = False
        self.checkin: CheckIn | None = None
        self._reflected: set[str] = set()  # students who reflected on the open check-in
        self.version = 0
        self._listeners: list[Callable[[frozenset[str]], None]] = []
        self.on_blank: Callable[[bool], None] = lambda _on: None  # the projector follows
        access.changed = self._bump
        self._unsubscribe = services.bus.subscribe(self._on_changes)

    def close(self) -> None:
        self._unsubscribe()
        self.access.end_all()

    # --- what is running ----------------------------------------------------------

    def follow(self, class_id: str | None, run_id: str | None) -> None:
        """Serve this run (None: no run, nobody can join; students' sessions end)."""
        with self._lock:
            if (class_id, run_id) == (self.class_id, self.run_id):
                return
            self.class_id, self.run_id = class_id, run_id
            self.checkin = None
            self._reflected.clear()
        if run_id is None:
            self.access.close_join()
        else:
            self.access.open_join(run_id)
        self._bump()

    def listen(self, listener: Callable[[frozenset[str]], None]) -> Callable[[], None]:
        """Call ``listener`` (on any thread) whenever a view may have changed.

        It is given the tables that changed (``companion`` for the companion's own state:
        devices, check-in, blank), so a stream can skip what its screen does not show.
        """
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return stop

    def _bump(self, entities: frozenset[str] = frozenset({"companion"})) -> None:
        with self._lock:
            self.version += 1
            listeners = list(self._listeners)
        for listener in listeners:
            listener(entities)

    def _on_changes(self, changes: Changes) -> None:
        if not changes.entities & WATCHED:
            return
        if changes.touches("rotation_run", "rotation_event") and not self.end_if_over():
            self._end_sessions_of_students_gone()
        self._bump(changes.entities)

    def _end_sessions_of_students_gone(self) -> None:
        """A student marked gone mid-run (pulled out, sent home) is signed out of her device."""
        run_id = self.run_id
        if run_id is None:
            return
        students = [d for d in self.access.devices() if d.student_id is not None]
        if not students:
            return
        try:
            present = {sid for g in run_groups(self._services, run_id) for sid in g.student_ids}
        except NotFoundError:
            return
        for device in students:
            if device.student_id not in present:
                self.access.remove_device(device.key)

    def end_if_over(self) -> bool:
        """A run that ended (by End or by its clock) ends the students' sessions."""
        run_id = self.run_id
        if run_id is None:
            return False
        try:
            over = self._services.rotation.view(run_id).phase is Phase.FINISHED
        except NotFoundError:
            over = True
        if over:
            self.follow(self.class_id, None)
        return over

    def _clock(self) -> tuple[ClockView, ClockState] | None:
        if self.run_id is None:
            return None
        try:
            view = self._services.rotation.view(self.run_id)
        except NotFoundError:
            return None
        now = self._wall_ms()
        remaining = max(0, round(view.remaining * 1000))
        state = ClockState(
            phase=view.phase.value,
            round=view.round_number,
            rounds=view.rounds,
            paused=view.paused,
            waiting=view.waiting,
            remaining_ms=remaining,
            segment_ms=round(view.segment_seconds * 1000),
            deadline_ms=now + remaining if view.running else None,
            now_ms=now,
        )
        return view, state

    def seconds_to_next_change(self) -> float | None:
        """When the clock moves to another segment by itself (the web layer wakes then)."""
        found = self._clock()
        if found is None or not found[0].running:
            return None
        return found[0].remaining

    def _moves(self, view: ClockView) -> list[GroupMove]:
        assert self.run_id is not None
        board = self._services.rotation.live(self.run_id).board
        if board is None or view.phase is Phase.FINISHED:
            return []
        return board.moves(view.round_index)

    def _symbols(self) -> dict[str, str]:
        """Each group's shape name by group id: the board's rule, the paper cards' too."""
        if self.run_id is None:
            return {}
        board = self._services.rotation.live(self.run_id).board
        return {} if board is None else {gid: s.name for gid, s in board.symbols().items()}

    def _title(self) -> str:
        if self.run_id is None:
            return ""
        return self._services.rotation.live(self.run_id).title

    # --- views ----------------------------------------------------------------------

    def teacher_view(self) -> TeacherView:
        found = self._clock()
        clock = found[1] if found else None
        moves = self._moves(found[0]) if found else []
        devices = self.access.devices()
        shapes = self._symbols()
        return TeacherView(
            title=self._title(),
            clock=clock,
            blank=self.blank,
            checkin_open=self.checkin is not None,
            checkin_target=self.checkin.target_id if self.checkin else None,
            groups=[
                GroupLine(
                    name=m.group.name,
                    colour=m.group.colour,
                    symbol=shapes.get(m.group.id, ""),
                    now=m.now.name if m.now else None,
                    next=m.next.name if m.next else None,
                )
                for m in moves
            ],
            pad=self._pad() if found and found[0].phase is not Phase.FINISHED else None,
            devices=DeviceCounts(
                students=sum(d.role is not Role.TEACHER for d in devices),
                teachers=sum(d.role is Role.TEACHER for d in devices),
            ),
        )

    def _pad(self) -> Pad | None:
        assert self.run_id is not None and self.class_id is not None
        choice = teacher_led_group(self._services, self.run_id)
        if choice is None or choice.station_id is None:
            return None
        names = {
            entry.student.id: entry.student.display_name
            for entry in self._services.roster.roster(self.class_id)
        }
        targets = [
            PadTarget(
                id=target.id,
                statement=target.statement,
                levels=[
                    PadLevel(value=value, label=label)
                    for value, label in zip(scale.values, scale.levels, strict=True)
                ],
            )
            for target in self._services.targets.list_for(self.class_id)
            for scale in [parse_scale(target.scale)]
        ]
        standing = self._run_checks(choice.student_ids)
        students = []
        for student_id in choice.student_ids:
            levels = {
                target_id: StandingLevel(value=check.score, absent=check.absent, check_id=check.id)
                for (sid, target_id), check in standing.items()
                if sid == student_id and not is_withdrawn(check)
            }
            students.append(
                PadStudent(id=student_id, name=names.get(student_id, "?"), levels=levels)
            )
        return Pad(
            label=choice.label, station_id=choice.station_id, targets=targets, students=students
        )

    def _run_checks(self, student_ids: tuple[str, ...]) -> dict[tuple[str, str], QuickCheck]:
        """The standing checks of this run for these students (what the pad shows)."""
        if not student_ids:
            return {}
        with self._services.store.read() as session:
            rows = session.exec(
                select(QuickCheck)
                .where(col(QuickCheck.student_id).in_(student_ids))
                .where(QuickCheck.run_id == self.run_id, col(QuickCheck.deleted).is_(False))
                .order_by(col(QuickCheck.observed_at))
            ).all()
        return latest_standing(rows)

    def student_view(self, session: DeviceSession) -> StudentView:
        """Her own group, station and clock; nothing of anyone else."""
        found = self._clock()
        mine = self._move_of(session.student_id, found[0]) if found else None
        checkin = self.checkin
        return StudentView(
            title=self._title(),
            first_name=session.first_name,
            group=GroupBadge(
                name=mine.group.name,
                colour=mine.group.colour,
                symbol=self._symbols().get(mine.group.id, ""),
            )
            if mine
            else None,
            clock=found[1] if found else None,
            now=StationNow(
                name=mine.now.name,
                instructions=mine.now.instructions,
                content_url=_safe_link(mine.now.content_url),
            )
            if mine and mine.now
            else None,
            next=StationNext(name=mine.next.name) if mine and mine.next else None,
            checkin=CheckInPrompt(target_id=checkin.target_id, statement=checkin.statement)
            if checkin
            else None,
            reflected=checkin is not None and session.student_id in self._reflected,
        )

    def _move_of(self, student_id: str | None, view: ClockView) -> GroupMove | None:
        if student_id is None or self.run_id is None:
            return None
        group_id = next(
            (
                g.group_id
                for g in run_groups(self._services, self.run_id)
                if student_id in g.student_ids
            ),
            None,
        )
        return next((m for m in self._moves(view) if m.group.id == group_id), None)

    # --- joining ------------------------------------------------------------------

    def _groups(self) -> list[tuple[BoardGroup, RunGroup]]:
        if self.run_id is None:
            return []
        board = self._services.rotation.live(self.run_id).board
        if board is None:
            return []
        members = {g.group_id: g for g in run_groups(self._services, self.run_id)}
        return [(group, members[group.id]) for group in board.groups if group.id in members]

    def join_groups(self) -> list[JoinGroup]:
        """The run's groups by name, colour and shape: no names of students yet."""
        shapes = self._symbols()
        return [
            JoinGroup(
                key=self.access.keyed(group.id),
                name=group.name,
                colour=group.colour,
                symbol=shapes.get(group.id, ""),
            )
            for group, _ in self._groups()
        ]

    def join_students(self, group_key: str) -> list[JoinStudent]:
        """First names of one group only (what the projector may show anyway)."""
        for group, members in self._groups():
            if self.access.keyed(group.id) == group_key:
                first = self._first_names(members.student_ids)
                return [
                    JoinStudent(key=self.access.keyed(sid), first_name=first[sid])
                    for sid in members.student_ids
                    if sid in first
                ]
        raise Refused(404, "That group is not in today's rotation.")

    def pick(self, key: str, group_key: str, student_key: str) -> DeviceSession:
        for group, members in self._groups():
            if self.access.keyed(group.id) != group_key:
                continue
            for student_id in members.student_ids:
                if self.access.keyed(student_id) == student_key:
                    first = self._first_names((student_id,))
                    return self.access.become_student(key, student_id, first.get(student_id, ""))
        raise Refused(404, "That name is not in this group. Pick your group again.")

    def pick_personal(self, key: str, client: str, code: str) -> DeviceSession:
        present = [sid for _, members in self._groups() for sid in members.student_ids]
        student_id = self.access.check_personal(client, code, present)
        first = self._first_names((student_id,))
        return self.access.become_student(key, student_id, first.get(student_id, ""))

    def _first_names(self, student_ids: tuple[str, ...]) -> dict[str, str]:
        assert self.class_id is not None
        wanted = set(student_ids)
        return {
            entry.student.id: entry.student.preferred_name or entry.student.given_name
            for entry in self._services.roster.roster(self.class_id)
            if entry.student.id in wanted
        }

    # --- what devices do ----------------------------------------------------------

    def command(self, request: CommandRequest) -> None:
        """A remote's command: the clock's through the run's durable log; blank on screen."""
        if request.command in ("blank", "unblank"):
            self.set_blank(request.command == "blank")
            return
        run_id = self._running()
        kind, seconds = _CLOCK_COMMANDS[request.command]
        try:
            self._services.rotation.command(run_id, kind, seconds, request_id=request.id)
        except ValidationError as error:
            raise Refused(409, str(error)) from error

    def set_blank(self, on: bool) -> None:
        with self._lock:
            changed = self.blank != on
            self.blank = on
        if changed:
            self.on_blank(on)
            self._bump()

    def check(self, request: CheckRequest) -> str:
        """A tap on the pad: one check, durable before this returns; a resend saved once."""
        run_id = self._running()
        assert self.class_id is not None
        pad = teacher_led_group(self._services, run_id)
        if pad is None or request.student_id not in pad.student_ids:
            raise Refused(409, "That student is not at the teacher table now.")
        if request.score is None and not request.absent:
            raise Refused(422, "Choose a level, or mark the student absent.")
        standing = self._run_checks((request.student_id,)).get(
            (request.student_id, request.target_id)
        )
        try:
            check = self._services.quick_checks.record(
                class_id=self.class_id,
                student_id=request.student_id,
                target_id=request.target_id,
                score=request.score,
                absent=request.absent,
                note=request.note,
                station_id=pad.station_id,
                run_id=run_id,
                # Retyping a level of this run corrects it, as in the laptop's grid.
                supersedes=standing.id
                if standing is not None and standing.id != request.id
                else None,
                check_id=request.id,
            )
        except NotFoundError as error:
            raise Refused(404, str(error)) from error
        except ValidationError as error:
            raise Refused(422, str(error)) from error
        return check.id

    def undo(self, request: UndoRequest) -> str:
        """Take back a check of this run: the level it replaced comes back, or none."""
        run_id = self._running()
        with self._services.store.read() as session:
            taken = session.get(QuickCheck, request.check_id)
            earlier = (
                session.get(QuickCheck, taken.supersedes) if taken and taken.supersedes else None
            )
        if taken is None or taken.run_id != run_id:
            raise Refused(404, "That check is not one of this rotation's.")
        level = (
            EarlierLevel(earlier.score, earlier.absent, earlier.note, earlier.observed_at)
            if earlier is not None and not is_withdrawn(earlier)
            else None
        )
        check = self._services.quick_checks.undo(
            taken.id,
            earlier=level,
            station_id=taken.station_id,
            run_id=run_id,
            new_check_id=request.id,
        )
        return check.id

    def open_checkin(self, request: CheckInRequest) -> None:
        """Students rate themselves on a target (the first of the class unless one is named)."""
        self._running()
        assert self.class_id is not None
        if not request.open:
            with self._lock:
                self.checkin = None
                self._reflected.clear()
            self._bump()
            return
        targets = self._services.targets.list_for(self.class_id)
        chosen = next((t for t in targets if t.id == request.target_id), None)
        if request.target_id is None and targets:
            chosen = targets[0]
        if chosen is None:
            raise Refused(404, "That learning target is not one of this class's.")
        with self._lock:
            if self.checkin is None or self.checkin.target_id != chosen.id:
                self.checkin = CheckIn(chosen.id, chosen.statement)
                self._reflected.clear()
        self._bump()

    def reflect(self, session: DeviceSession, request: ReflectionRequest) -> str:
        """A student's own rating, saved for her (the session's student, nobody else)."""
        checkin = self.checkin
        if checkin is None:
            raise Refused(409, "Your teacher has not opened a check-in.")
        assert self.class_id is not None and session.student_id is not None
        try:
            reflection = self._services.quick_checks.record_reflection(
                class_id=self.class_id,
                student_id=session.student_id,
                confidence=request.confidence,
                words=request.words,
                target_id=checkin.target_id,
                reflection_id=request.id,
            )
        except ValidationError as error:
            raise Refused(422, str(error)) from error
        with self._lock:
            self._reflected.add(session.student_id)
        self._bump()
        return reflection.id

    def _running(self) -> str:
        run_id = self.run_id
        if run_id is None or self.end_if_over():
            raise Refused(409, "No rotation is running.")
        return run_id


def _safe_link(url: str) -> str:
    """Only web links reach a student's page (a ``javascript:`` link would run there)."""
    return url if url.lower().startswith(("https://", "http://")) else ""
