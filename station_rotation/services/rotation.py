"""Run a rotation: start it, give it commands, and resume it after a crash.

Every command is appended to the run's event log and committed (``synchronous=FULL``)
before it is acknowledged, so the clock rebuilt from the log after a kill or a power cut
is the clock the teacher last saw, and the time that passed meanwhile counts.

The GUI and the companion's server thread (the teacher's phone) command the same runs,
so the live clocks are guarded by one lock; a command a phone resends carries the id it
made (``request_id``) and is applied once.

Changes made during a run (a late student, a station out: ``core/rotation/changes.py``)
go into the same log, as rows of kind ``change`` whose detail holds the run's lineup
after the change; the clock is rebuilt from the other rows only, so its replay is the
same with or without them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import insert, update
from sqlmodel import col, select

from station_rotation.core.errors import NotFoundError
from station_rotation.core.events import Changes
from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.changes import CHANGE_EVENT, ChangeRefused, RunChange
from station_rotation.core.rotation.clock import ClockView, Phase, RotationClock, RunSpec
from station_rotation.core.rotation.events import ClockEvent, EventKind
from station_rotation.core.rotation.lineup import Lineup
from station_rotation.core.rotation.timesource import Anchor, elapsed_since
from station_rotation.store.database import Store
from station_rotation.store.failures import translate_storage_errors
from station_rotation.store.models import RotationEvent, RotationRun

ROTATION_ENTITIES = frozenset({"rotation_run", "rotation_event"})
"""What a rotation command publishes on the change bus (tables it wrote)."""


@dataclass
class LiveRun:
    """A run's clock and the anchor of its time line.

    ``board`` is what the room is shown now; ``lineup`` (None until the first change)
    also holds who is in each group, and ``changes`` every change made so far.
    """

    run_id: str
    class_id: str
    title: str
    anchor: Anchor
    clock: RotationClock
    board: Board | None = None
    lineup: Lineup | None = None
    changes: list[RunChange] = field(default_factory=list)


class RotationService:
    """Start, command and resume rotation runs on this laptop."""

    def __init__(self, store: Store, *, now: Callable[[], Anchor] = Anchor.now) -> None:
        self._store = store
        self._now = now
        self._live: dict[str, LiveRun] = {}
        self._lock = threading.RLock()

    def start(
        self, class_id: str, spec: RunSpec, *, title: str = "", board: Board | None = None
    ) -> LiveRun:
        """Start a new run now; any unfinished run of the class is ended first.

        ``board`` (who goes where) is stored with the run, so a restart shows the same.
        """
        with self._lock:
            return self._start(class_id, spec, title, board)

    def _start(self, class_id: str, spec: RunSpec, title: str, board: Board | None) -> LiveRun:
        for earlier in self.unfinished_runs(class_id):
            self.command(earlier.run_id, EventKind.END)
        anchor = self._now()
        run = RotationRun(
            class_id=class_id,
            title=title,
            spec=json.dumps(
                {
                    "round_seconds": spec.round_seconds,
                    "transition_seconds": spec.transition_seconds,
                    "auto_advance": spec.auto_advance,
                    "board": board.to_dict() if board is not None else None,
                }
            ),
            anchor_wall=anchor.wall,
            anchor_mono=anchor.mono,
            anchor_boot=anchor.boot,
        )
        with self._store.write() as tx:
            tx.session.add(run)
        live = LiveRun(run.id, class_id, title, anchor, RotationClock(spec), board)
        self._live[run.id] = live
        self._append(live, ClockEvent(EventKind.START, 0.0))
        self._publish()
        return live

    def command(
        self,
        run_id: str,
        kind: EventKind,
        seconds: float = 0.0,
        *,
        request_id: str | None = None,
    ) -> ClockView:
        """Apply a command now, durably; returns what the screens should show.

        ``request_id``: the id a remote made for this command; a command whose id is in
        the run's log already (a resend) is not applied again.
        """
        with self._lock:
            live = self.live(run_id)
            at = self._elapsed(live)
            if request_id is not None and self._seen(request_id):
                return live.clock.view(at)
            self._append(live, ClockEvent(kind, at, seconds), request_id)
        self._publish()
        return live.clock.view(at)

    def change(
        self,
        run_id: str,
        decide: Callable[[LiveRun, ClockView], RunChange],
    ) -> RunChange:
        """Make a change to a running rotation now, durably, without touching its clock.

        ``decide`` gets the run and the clock's view at this moment (under the lock, so
        no round ends between deciding and writing) and returns the change, or raises
        :class:`ChangeRefused`: then nothing is written and the run goes on unchanged.
        """
        with self._lock:
            live = self.live(run_id)
            at = self._elapsed(live)
            view = live.clock.view(at)
            if live.board is None:
                raise ChangeRefused(
                    "A quick timer has no groups or stations to change. "
                    "Start a plan to change who goes where."
                )
            if view.phase is Phase.FINISHED:
                raise ChangeRefused("This rotation is over, so there is nothing to change.")
            made = replace(decide(live, view), at=at)
            self._append_change(live, made)
            live.lineup, live.board = made.lineup, made.lineup.board
            live.changes.append(made)
        self._publish()
        return made

    def view(self, run_id: str) -> ClockView:
        with self._lock:
            live = self.live(run_id)
            return live.clock.view(self._elapsed(live))

    def live(self, run_id: str) -> LiveRun:
        """The run's clock, rebuilt from the store if this process has not seen it yet."""
        with self._lock:
            if run_id not in self._live:
                self._live[run_id] = self._rebuild(run_id)
            return self._live[run_id]

    def unfinished_runs(self, class_id: str | None = None) -> list[LiveRun]:
        """Runs that were going when the app last stopped (to offer to resume them)."""
        with self._store.read() as session:
            query = select(RotationRun.id).where(col(RotationRun.finished).is_(False))
            if class_id is not None:
                query = query.where(RotationRun.class_id == class_id)
            ids = list(session.exec(query.order_by(col(RotationRun.created_at))))
        return [self.live(run_id) for run_id in ids]

    def resume_after_restart(self, run_id: str, *, paused: bool) -> ClockView:
        """Pick up a run after a restart; ``paused`` holds it until the teacher resumes."""
        view = self.view(run_id)
        if paused and view.running:
            return self.command(run_id, EventKind.PAUSE)
        return view

    def running_run(self, class_id: str) -> LiveRun | None:
        """The class's unfinished run that is still going now, if any (newest first)."""
        for live in reversed(self.unfinished_runs(class_id)):
            if self.view(live.run_id).phase is not Phase.FINISHED:
                return live
        return None

    def close_if_over(self, run_id: str) -> bool:
        """Mark a run whose last round ran out as finished, so no one offers to resume it.

        A run that ends by the clock (not by a command) writes no event; this records the
        end once the screens have seen it. Returns True if the run is over.
        """
        with self._lock:
            live = self.live(run_id)
            if self.view(run_id).phase is not Phase.FINISHED:
                return False
        with (
            translate_storage_errors(self._store.db_path),
            self._store.write_engine.begin() as conn,
        ):
            result = conn.execute(
                update(RotationRun)
                .where(col(RotationRun.id) == live.run_id, col(RotationRun.finished).is_(False))
                .values(finished=True)
            )
        if result.rowcount:
            self._publish()
        return True

    # --- internals ----------------------------------------------------------------

    def _publish(self) -> None:
        """Tell the screens (panel, projector, other pages) that a run changed."""
        self._store.bus.publish(Changes(ROTATION_ENTITIES))

    def _elapsed(self, live: LiveRun) -> float:
        at = elapsed_since(live.anchor, self._now())
        events = live.clock.events
        last = max(events[-1].at if events else 0.0, live.changes[-1].at if live.changes else 0.0)
        # After a reboot the wall clock stands in for the monotonic one; never go back.
        return max(at, last)

    def _seen(self, request_id: str) -> bool:
        with self._store.read() as session:
            found = session.exec(
                select(RotationEvent.seq).where(RotationEvent.request_id == request_id)
            ).first()
        return found is not None

    def _append(self, live: LiveRun, event: ClockEvent, request_id: str | None = None) -> None:
        live.clock.apply(event)  # validates first: an invalid command writes nothing
        finished = live.clock.view(event.at).phase is Phase.FINISHED
        # Core statements on this hot path: one insert, committed durably.
        with (
            translate_storage_errors(self._store.db_path),
            self._store.write_engine.begin() as conn,
        ):
            conn.execute(
                insert(RotationEvent).values(
                    run_id=live.run_id,
                    kind=event.kind.value,
                    at=event.at,
                    seconds=event.seconds,
                    request_id=request_id,
                )
            )
            if finished:
                conn.execute(
                    update(RotationRun)
                    .where(col(RotationRun.id) == live.run_id)
                    .values(finished=True)
                )

    def _append_change(self, live: LiveRun, made: RunChange) -> None:
        with (
            translate_storage_errors(self._store.db_path),
            self._store.write_engine.begin() as conn,
        ):
            conn.execute(
                insert(RotationEvent).values(
                    run_id=live.run_id,
                    kind=CHANGE_EVENT,
                    at=made.at,
                    detail=json.dumps(made.to_json()),
                )
            )

    def _rebuild(self, run_id: str) -> LiveRun:
        with self._store.read() as session:
            run = session.get(RotationRun, run_id)
            if run is None:
                raise NotFoundError("That rotation run no longer exists.")
            rows = session.exec(
                select(RotationEvent)
                .where(RotationEvent.run_id == run_id)
                .order_by(col(RotationEvent.seq))
            ).all()
        data = json.loads(run.spec)
        spec = RunSpec(
            tuple(data["round_seconds"]),
            data["transition_seconds"],
            bool(data.get("auto_advance", True)),  # runs started before the setting: on
        )
        events = [
            ClockEvent(EventKind(r.kind), r.at, r.seconds) for r in rows if r.kind != CHANGE_EVENT
        ]
        changes = [
            RunChange.from_json(json.loads(r.detail or "{}"), r.at)
            for r in rows
            if r.kind == CHANGE_EVENT
        ]
        anchor = Anchor(run.anchor_wall, run.anchor_mono, run.anchor_boot)
        board = Board.from_dict(data["board"]) if data.get("board") else None
        lineup = changes[-1].lineup if changes else None
        return LiveRun(
            run.id,
            run.class_id,
            run.title,
            anchor,
            RotationClock(spec, events),
            lineup.board if lineup is not None else board,
            lineup,
            changes,
        )
