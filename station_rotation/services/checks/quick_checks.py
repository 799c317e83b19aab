"""Record quick checks and reflections in a keystroke, and read back the current picture.

Quick checks are append-only facts: a correction is a new check that supersedes the old
one, so nothing is ever overwritten and history stays for the teacher and for sync.
Saving uses the store's Core hot path; each call returns only after a durable commit, so
what the screen shows as saved survives a power cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.core.events import Changes
from station_rotation.core.ids import new_id
from station_rotation.core.scales import Scale, parse_scale
from station_rotation.store.database import Store
from station_rotation.store.models import (
    LearningTarget,
    QuickCheck,
    QuickCheckData,
    Reflection,
    ReflectionData,
    SyncedRecord,
    utc_now,
)

CONFIDENCE_LEVELS = (1, 2, 3, 4)
MAX_NOTE = 2000

PairKey = tuple[str, str]  # (student id, learning target id)
FactT = TypeVar("FactT", QuickCheckData, ReflectionData)


@dataclass(frozen=True)
class EarlierLevel:
    """What a cell showed before the entry being undone: its level, note and moment."""

    score: int | None
    absent: bool = False
    note: str = ""
    observed_at: datetime | None = None

    @property
    def blank(self) -> bool:
        """No level: nothing was recorded, or an entry was taken back."""
        return self.score is None and not self.absent


class QuickCheckService:
    """Quick checks and reflections of the classes on this laptop."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._scales: dict[str, Scale] = {}
        store.bus.subscribe(self._forget_scales)

    # --- recording ----------------------------------------------------------------

    def record(
        self,
        *,
        class_id: str,
        student_id: str,
        target_id: str,
        score: int | None = None,
        absent: bool = False,
        note: str = "",
        station_id: str | None = None,
        run_id: str | None = None,
        supersedes: str | None = None,
        observed_at: datetime | None = None,
        check_id: str | None = None,
    ) -> QuickCheckData:
        """Save one observation durably; returns it once committed.

        ``check_id``: the id a device made for this tap (the companion). Saving the same
        id again (a resend after a Wi-Fi drop) returns the check saved the first time and
        writes nothing; the id given to a different observation is refused.
        """
        self._validate(target_id, score, absent, note)
        check = QuickCheckData(
            id=check_id or new_id(),
            class_id=class_id,
            student_id=student_id,
            target_id=target_id,
            score=None if absent else score,
            absent=absent,
            note=note.strip(),
            station_id=station_id,
            run_id=run_id,
            supersedes=supersedes,
            observed_at=observed_at or utc_now(),
        )
        return self._insert_once(QuickCheck, check, given_id=check_id is not None)

    def correct(
        self, check_id: str, *, score: int | None = None, absent: bool = False, note: str = ""
    ) -> QuickCheckData:
        """Replace a check by a new one (the old one stays in the history)."""
        old = self._existing(check_id)
        return self.record(
            class_id=old.class_id,
            student_id=old.student_id,
            target_id=old.target_id,
            score=score,
            absent=absent,
            note=note,
            station_id=old.station_id,
            run_id=old.run_id,
            supersedes=old.id,
        )

    def record_reflection(
        self,
        *,
        class_id: str,
        student_id: str,
        confidence: int,
        words: str = "",
        target_id: str | None = None,
        reflection_id: str | None = None,
    ) -> ReflectionData:
        """Save a student's own rating durably; ``reflection_id`` as ``record``'s ``check_id``."""
        if confidence not in CONFIDENCE_LEVELS:
            raise ValidationError(
                "Confidence is a number from 1 (not yet) to 4 (I could teach it)."
            )
        reflection = ReflectionData(
            id=reflection_id or new_id(),
            class_id=class_id,
            student_id=student_id,
            target_id=target_id,
            confidence=confidence,
            words=words.strip()[:MAX_NOTE],
        )
        return self._insert_once(Reflection, reflection, given_id=reflection_id is not None)

    # --- reading ------------------------------------------------------------------

    def history(self, class_id: str, *, student_id: str | None = None) -> list[QuickCheck]:
        """Every check of the class (or one student), oldest first, corrections included."""
        with self._store.read() as session:
            query = select(QuickCheck).where(
                QuickCheck.class_id == class_id, col(QuickCheck.deleted).is_(False)
            )
            if student_id is not None:
                query = query.where(QuickCheck.student_id == student_id)
            return list(session.exec(query.order_by(col(QuickCheck.observed_at))))

    def current(self, class_id: str) -> dict[PairKey, QuickCheck]:
        """The latest standing check per (student, target): superseded checks drop out."""
        return latest_standing(self.history(class_id))

    def reflections(self, class_id: str, *, student_id: str | None = None) -> list[Reflection]:
        with self._store.read() as session:
            query = select(Reflection).where(
                Reflection.class_id == class_id, col(Reflection.deleted).is_(False)
            )
            if student_id is not None:
                query = query.where(Reflection.student_id == student_id)
            return list(session.exec(query.order_by(col(Reflection.observed_at))))

    # --- internals ----------------------------------------------------------------

    def _insert_once(
        self, model: type[QuickCheck] | type[Reflection], record: FactT, *, given_id: bool
    ) -> FactT:
        """Insert ``record`` durably; with an id a device made, at most once.

        A resent request finds its id taken: the stored record is returned if it is the
        same fact (same class, student and what was said), else the request is refused.
        """
        try:
            with self._store.write_fast() as tx:
                tx.insert(model, record)
        except IntegrityError:
            if not given_id:
                raise
            with self._store.read() as session:
                stored = session.get(model, record.id)
            if stored is None:
                raise  # another constraint (an unknown student or target)
            if _fact(stored) != _fact(record):
                raise ValidationError(
                    "That request id was already used for something else; nothing was saved."
                ) from None
            return cast(FactT, stored)  # the table's model is a subclass of its data model
        return record

    def _validate(self, target_id: str, score: int | None, absent: bool, note: str) -> None:
        if len(note) > MAX_NOTE:
            raise ValidationError(f"A note can be at most {MAX_NOTE} characters.")
        if absent:
            return
        if score is None:
            raise ValidationError("Choose a level, or mark the student absent.")
        scale = self._scale(target_id)
        if score not in scale.values:
            low, high = scale.values[0], scale.values[-1]
            raise ValidationError(f"{score} is not on this target's scale ({low} to {high}).")

    def _scale(self, target_id: str) -> Scale:
        if target_id not in self._scales:
            with self._store.read() as session:
                target = session.get(LearningTarget, target_id)
            if target is None or target.deleted:
                raise NotFoundError("That learning target no longer exists.")
            self._scales[target_id] = parse_scale(target.scale)
        return self._scales[target_id]

    def _forget_scales(self, changes: Changes) -> None:
        if changes.touches("learning_target"):
            self._scales.clear()

    def _existing(self, check_id: str) -> QuickCheck:
        """The stored check a correction, a withdrawal or an undo takes back."""
        with self._store.read() as session:
            old = session.get(QuickCheck, check_id)
        if old is None or old.deleted:
            raise NotFoundError("That quick check no longer exists.")
        return old

    def withdraw(self, check_id: str, *, new_check_id: str | None = None) -> QuickCheckData:
        """Take back a check typed by mistake into a cell that had no level before.

        Append-only like every correction: a new check with no level and no absence
        that supersedes ``check_id`` (see :func:`is_withdrawn`); the history keeps both.
        :meth:`undo` uses it where the cell had no level before. ``new_check_id`` as
        :meth:`record`'s ``check_id``.
        """
        old = self._existing(check_id)
        check = QuickCheckData(
            id=new_check_id or new_id(),
            class_id=old.class_id,
            student_id=old.student_id,
            target_id=old.target_id,
            score=None,
            absent=False,
            station_id=old.station_id,
            run_id=old.run_id,
            supersedes=old.id,
        )
        return self._insert_once(QuickCheck, check, given_id=new_check_id is not None)

    def undo(
        self,
        check_id: str,
        *,
        earlier: EarlierLevel | None,
        station_id: str | None = None,
        run_id: str | None = None,
        new_check_id: str | None = None,
    ) -> QuickCheckData:
        """Take back ``check_id`` with a new fact (append-only; the history keeps both).

        ``earlier``: what the cell showed before that check (None: nothing). A level is
        restored by a check that copies it (same moment, same note) and supersedes
        ``check_id``, recorded at ``station_id`` / ``run_id``; no level, by
        :meth:`withdraw`.
        """
        if earlier is None or earlier.blank:
            return self.withdraw(check_id, new_check_id=new_check_id)
        old = self._existing(check_id)
        return self.record(
            class_id=old.class_id,
            student_id=old.student_id,
            target_id=old.target_id,
            score=earlier.score,
            absent=earlier.absent,
            note=earlier.note,
            station_id=station_id,
            run_id=run_id,
            supersedes=check_id,
            observed_at=earlier.observed_at,
            check_id=new_check_id,
        )


_VOLATILE = frozenset({"id", "hlc", "observed_at", "deleted"})


def _fact(record: SyncedRecord) -> dict[str, object]:
    """What a record says, without what each save stamps anew (moment, clock stamp)."""
    return {
        name: getattr(record, name) for name in type(record).model_fields if name not in _VOLATILE
    }


def latest_standing(checks: Iterable[QuickCheck]) -> dict[PairKey, QuickCheck]:
    """Per (student, target), the most recent check that no other check supersedes."""
    checks = list(checks)
    superseded = {c.supersedes for c in checks if c.supersedes}
    latest: dict[PairKey, QuickCheck] = {}
    for check in checks:
        if check.id in superseded:
            continue
        key = (check.student_id, check.target_id)
        held = latest.get(key)
        if held is None or (check.observed_at, check.hlc) >= (held.observed_at, held.hlc):
            latest[key] = check
    return latest


def is_withdrawn(check: QuickCheckData) -> bool:
    """A check that only takes an earlier one back: no level, not absent (an undo)."""
    return check.score is None and not check.absent
