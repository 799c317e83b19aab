"""Saving what the teacher types into the grid, and taking it back.

Saving runs on the GUI thread, on purpose. ``QuickCheckService.record`` is one Core
insert plus its outbox row in a ``synchronous=FULL`` commit: p50 0.6 ms, p99 1.7 ms in
``python -m benchmarks quick_check`` on a quiet disk. Through this grid a keystroke
costs about 1 ms of Python and Qt on top of that commit (cProfile of 28 keystrokes:
everything else is SQLite's fsync). On the shared, heavily loaded build machine
(load 9 on 2 cores, other test suites writing) the whole keystroke measured p50 5-16 ms,
max 20-50 ms (tests/ui/test_quick_check_entry.py prints it): still under what a typist
notices, and only a disk that stalls an fsync for longer would be felt. In exchange the
rule stays simple and strict: a cell turns "saved" in the same call that returned from
the durable commit, in typing order, with no queue of entries the screen shows ahead of
the disk that a crash could lose. (A worker thread would keep typing fluid on a stalling
disk, at the price of that queue, and of undo and notes waiting on ids not yet known.)

Undo takes back the last entry through ``QuickCheckService.undo``, which owns the rule
(a new fact, never a delete; the level the cell had before comes back, or a withdrawal).
The session keeps the ids of the checks it saved (:attr:`EntrySession.saved`), so the
page recognises the echo of its own saves on the change bus.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from station_rotation.services.app import AppServices
from station_rotation.services.checks.quick_checks import EarlierLevel
from station_rotation.services.records import QuickCheckData
from station_rotation.ui.checks.entry_model import Cell, PairKey, QuickCheckGridModel, SaveState


@dataclass(frozen=True)
class Entry:
    """One undoable step: the check saved and the saved cell it replaced (None: empty)."""

    student_id: str
    target_id: str
    check_id: str
    before: Cell | None


def cell_from(check: QuickCheckData, *, saved_now: bool) -> Cell:
    return Cell(
        score=check.score,
        absent=check.absent,
        note=check.note,
        check_id=check.id,
        observed_at=check.observed_at,
        saved_at=datetime.now(UTC) if saved_now else None,
    )


class EntrySession:
    """The entries of one sitting at the grid: save, note, undo (most recent first)."""

    def __init__(self, services: AppServices, model: QuickCheckGridModel) -> None:
        self._services = services
        self._model = model
        self._undo: list[Entry] = []
        self._saved_under: dict[PairKey, Cell | None] = {}  # below a cell that failed
        self.saved: set[str] = set()  # ids of the checks this sitting saved
        self.class_id: str | None = None
        self.run_id: str | None = None
        self.station_id: str | None = None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def failed(self) -> list[PairKey]:
        """Cells whose value is on screen but not in the file (a save failed)."""
        return [key for key, cell in self._model.cells().items() if cell.state is SaveState.FAILED]

    def enter(
        self, student_id: str, target_id: str, *, score: int | None = None, absent: bool = False
    ) -> Cell:
        """Save a level (or absent) for one cell; the cell reads "saved" only on return.

        On failure the typed value stays on screen marked "not saved" and the error is
        raised for the page to show.
        """
        assert self.class_id is not None
        key = (student_id, target_id)
        before = self._saved_cell(key)
        # Retyping a cell saved in this sitting corrects it; otherwise it is a new fact.
        supersedes = before.check_id if before is not None and before.saved_at else None
        pending = Cell(score=None if absent else score, absent=absent, state=SaveState.SAVING)
        self._model.put(student_id, target_id, pending)
        try:
            check = self._services.quick_checks.record(
                class_id=self.class_id,
                student_id=student_id,
                target_id=target_id,
                score=score,
                absent=absent,
                station_id=self.station_id,
                run_id=self.run_id,
                supersedes=supersedes,
            )
        except Exception:
            self._saved_under[key] = before
            self._model.put(student_id, target_id, replace(pending, state=SaveState.FAILED))
            raise
        self._saved_under.pop(key, None)
        self.saved.add(check.id)
        cell = cell_from(check, saved_now=True)
        self._model.put(student_id, target_id, cell)
        self._undo.append(Entry(student_id, target_id, check.id, before))
        return cell

    def set_note(self, student_id: str, target_id: str, note: str) -> Cell:
        """Give the cell's check a note: a correction with the same level (undoable)."""
        before = self._model.cell(student_id, target_id)
        if before is None or before.check_id is None or before.state is not SaveState.SAVED:
            raise LookupError("no saved check in this cell")
        check = self._services.quick_checks.correct(
            before.check_id, score=before.score, absent=before.absent, note=note
        )
        self.saved.add(check.id)
        cell = cell_from(check, saved_now=True)
        self._model.put(student_id, target_id, cell)
        self._undo.append(Entry(student_id, target_id, check.id, before))
        return cell

    def undo(self) -> Entry | None:
        """Take back the most recent entry; None when there is nothing to undo."""
        if not self._undo:
            return None
        entry = self._undo[-1]
        before = entry.before
        earlier = (
            None
            if before is None
            else EarlierLevel(before.score, before.absent, before.note, before.observed_at)
        )
        check = self._services.quick_checks.undo(
            entry.check_id, earlier=earlier, station_id=self.station_id, run_id=self.run_id
        )
        self.saved.add(check.id)
        self._undo.pop()
        restored = cell_from(check, saved_now=before is not None and before.saved_at is not None)
        self._model.put(entry.student_id, entry.target_id, restored)
        return entry

    def forget(self) -> None:
        """A new class: nothing of the old one can be undone from here."""
        self._undo.clear()
        self._saved_under.clear()
        self.saved.clear()

    def _saved_cell(self, key: PairKey) -> Cell | None:
        cell = self._model.cell(*key)
        if cell is not None and cell.state is SaveState.SAVED:
            return cell
        return self._saved_under.get(key)
