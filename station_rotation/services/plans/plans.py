"""Rotation plans: saved, named, dated, copied and kept as templates; scheduled and run.

A plan's content is one versioned document (``plan_body.PlanBody``) in the
``rotation_plan`` row, written through ``Store.write()`` so every change is stamped,
queued for sync and announced on the change bus (entity ``rotation_plan``). Screens get
pydantic shapes (``PlanSummary``, ``Plan``) and core results, never table rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.core.moments import as_utc
from station_rotation.core.rotation.board import Board
from station_rotation.core.rotation.clock import RunSpec
from station_rotation.core.scheduling.export import timetable_csv
from station_rotation.core.scheduling.model import Infeasible, ScheduleResult, Timetable
from station_rotation.core.scheduling.schedule import generate_schedule
from station_rotation.services.plans.class_today import ClassContext, load_context
from station_rotation.services.plans.edits import (
    GroupFields,
    PaceFields,
    with_group_fields,
    with_own_path,
    with_pace_fields,
)
from station_rotation.services.plans.grouping import GroupMethod, default_body, form
from station_rotation.services.plans.observations import observations
from station_rotation.services.plans.pairs import (
    check_pairs,
    keep_pairs_of,
    pair_conflicts,
    set_pair,
)
from station_rotation.services.plans.rows import (
    MAX_NAME,
    clean_name,
    load_plan,
    plan_of,
    summary_of,
    write_body,
)
from station_rotation.services.plans.schedule import board_for, build_request, run_spec
from station_rotation.services.plans.validation import check_body, refresh, smallest_group_first
from station_rotation.store.database import Store
from station_rotation.store.models import RotationPlan, utc_now
from station_rotation.store.plan_body import (
    BODY_VERSION,
    Plan,
    PlanBody,
    PlanSummary,
    dump_body,
    load_body,
    parse_body,
)


@dataclass(frozen=True)
class FormedGroups:
    """The plan with its new groups, and what the teacher (not the projector) may see.

    ``student_tiers`` and ``group_tiers`` hold labels such as "Needs support"; the
    groups' names are colours only.
    """

    plan: Plan
    student_tiers: dict[str, str]
    group_tiers: dict[str, str | None]
    warnings: tuple[str, ...]


class PlanService:
    """Everything a plan page, the rotation panel and the quick-check page need of plans."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # --- listing and reading ------------------------------------------------------

    def list_plans(
        self, class_id: str, *, templates: bool | None = None, include_archived: bool = False
    ) -> list[PlanSummary]:
        """The class's plans, newest lesson first (``templates``: only / none / both)."""
        with self._store.read() as session:
            query = select(RotationPlan).where(
                RotationPlan.class_id == class_id, col(RotationPlan.deleted).is_(False)
            )
            if templates is not None:
                query = query.where(col(RotationPlan.is_template).is_(templates))
            if not include_archived:
                query = query.where(col(RotationPlan.archived).is_(False))
            rows = list(session.exec(query))
        rows.sort(key=lambda r: (r.lesson_date or date.min, as_utc(r.created_at)), reverse=True)
        return [summary_of(row) for row in rows]

    def get(self, plan_id: str) -> Plan:
        with self._store.read() as session:
            row = load_plan(session, plan_id)
        return plan_of(row)

    def plan_for_day(self, class_id: str, day: date | None = None) -> Plan | None:
        """The class's plan for ``day`` (today by default): the newest one of that date."""
        day = day or date.today()
        with self._store.read() as session:
            rows = list(
                session.exec(
                    select(RotationPlan).where(
                        RotationPlan.class_id == class_id,
                        RotationPlan.lesson_date == day,
                        col(RotationPlan.is_template).is_(False),
                        col(RotationPlan.archived).is_(False),
                        col(RotationPlan.deleted).is_(False),
                    )
                )
            )
        if not rows:
            return None
        return plan_of(max(rows, key=lambda r: as_utc(r.updated_at)))

    # --- creating and editing -----------------------------------------------------

    def default_body(self, class_id: str) -> PlanBody:
        """A plan that works out of the box: the stations in order, 4 balanced groups."""
        with self._store.read() as session:
            context = load_context(session, class_id)
        return default_body(context)

    def create(
        self,
        class_id: str,
        name: str,
        lesson_date: date | None = None,
        *,
        from_template: str | None = None,
    ) -> Plan:
        """A new plan: from a template (refreshed for today's roster), or the defaults."""
        name = clean_name(name)
        with self._store.write() as tx:
            context = load_context(tx.session, class_id)
            if from_template is not None:
                template = load_plan(tx.session, from_template)
                if template.class_id != class_id:
                    raise ValidationError("That template belongs to another class.")
                body = refresh(load_body(template.body, template.body_version), context)
                keep_pairs_of(body, context.active_ids)
            else:
                body = default_body(context, _latest_body(tx.session, class_id))
            row = RotationPlan(
                class_id=class_id, name=name, lesson_date=lesson_date, body=dump_body(body)
            )
            row.body_version = BODY_VERSION
            tx.put(row)
        return plan_of(row)

    def save(self, plan_id: str, body: PlanBody) -> Plan:
        """Replace the plan's document after checking it against the class."""
        body = parse_body(body)
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            load_body(row.body, row.body_version)  # never overwrite a newer app's plan
            _write_checked(tx.session, row, body)
            tx.put(row)
        return plan_of(row)

    def edit_group(self, plan_id: str, group_id: str, fields: GroupFields) -> Plan:
        """Change some of a group's fields (``own:<student id>``: a student's own path),
        checked as :meth:`save` checks a document. A student no longer on an own path:
        nothing to change, the plan is returned as it is."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            body = with_group_fields(load_body(row.body, row.body_version), group_id, fields)
            if body is not None:
                _write_checked(tx.session, row, parse_body(body))
                tx.put(row)
        return plan_of(row)

    def give_own_path(self, plan_id: str, student_id: str) -> Plan:
        """The student leaves their group for a path of their own (their group's, to
        start), checked as :meth:`save` checks; already on one: the plan as it is."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            body = with_own_path(load_body(row.body, row.body_version), student_id)
            if body is not None:
                _write_checked(tx.session, row, parse_body(body))
                tx.put(row)
        return plan_of(row)

    def edit_pace(self, plan_id: str, fields: PaceFields) -> Plan:
        """Change the pace (round and transition minutes, rounds, ordered paths), the
        period (start, end) or the fast-finisher text, checked as :meth:`save` checks."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            body = with_pace_fields(load_body(row.body, row.body_version), fields)
            _write_checked(tx.session, row, parse_body(body))
            tx.put(row)
        return plan_of(row)

    def rename(self, plan_id: str, name: str) -> PlanSummary:
        name = clean_name(name)
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            row.name = name
            row.updated_at = utc_now()
            tx.put(row)
        return summary_of(row)

    def set_lesson_date(self, plan_id: str, lesson_date: date | None) -> PlanSummary:
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            row.lesson_date = lesson_date
            row.updated_at = utc_now()
            tx.put(row)
        return summary_of(row)

    def copy(
        self, plan_id: str, *, name: str | None = None, lesson_date: date | None = None
    ) -> Plan:
        """ "Same as last Tuesday": groups, paths and pace kept, absences cleared."""
        return self._duplicate(plan_id, name=name, lesson_date=lesson_date, template=False)

    def save_as_template(self, plan_id: str, *, name: str | None = None) -> Plan:
        """Keep a plan's groups, paths and pace as a template (undated, nobody absent)."""
        return self._duplicate(plan_id, name=name, lesson_date=None, template=True)

    def set_archived(self, plan_id: str, archived: bool) -> PlanSummary:
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            row.archived = archived
            row.updated_at = utc_now()
            tx.put(row)
        return summary_of(row)

    def archive(self, plan_id: str) -> PlanSummary:
        return self.set_archived(plan_id, True)

    def delete(self, plan_id: str) -> None:
        """Tombstone the plan; the delete syncs like any other change."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            row.updated_at = utc_now()
            tx.delete(row)

    # --- absences and groups ------------------------------------------------------

    def set_absent(self, plan_id: str, student_id: str, absent: bool) -> ScheduleResult:
        """Mark a student absent (or back) today and re-plan at once."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            context = load_context(tx.session, row.class_id)
            if student_id not in context.members:
                raise NotFoundError("That student is not in this class.")
            body = load_body(row.body, row.body_version)
            ids = [sid for sid in body.absent_ids if sid != student_id]
            if absent:
                ids.append(student_id)
            else:
                smallest_group_first(body, student_id)
            body.absent_ids = ids
            write_body(row, body)
            tx.put(row)
        return _schedule(body, context)

    def move_student(self, plan_id: str, student_id: str, to_group_id: str) -> Plan:
        """Move a student into another group (drag and drop or the keyboard)."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            context = load_context(tx.session, row.class_id)
            if student_id not in context.members:
                raise NotFoundError("That student is not in this class.")
            body = load_body(row.body, row.body_version)
            target = body.group(to_group_id)
            body.own_paths = [own for own in body.own_paths if own.student_id != student_id]
            for group in body.groups:
                group.student_ids = [sid for sid in group.student_ids if sid != student_id]
            target.student_ids.append(student_id)
            write_body(row, body)
            tx.put(row)
        return plan_of(row)

    # --- pairs --------------------------------------------------------------------

    def set_pair(self, plan_id: str, first: str, second: str, wish: str | None) -> Plan:
        """Keep two students ``"apart"`` or ``"together"`` in this plan, or (None) no longer.

        Saved in the plan, so every later forming, copy and laptop honours it.
        """
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            context = load_context(tx.session, row.class_id)
            if first not in context.members or second not in context.members:
                raise NotFoundError("That student is not in this class.")
            body = load_body(row.body, row.body_version)
            set_pair(body, first, second, wish)
            write_body(row, body)
            tx.put(row)
        return plan_of(row)

    def clear_pairs(self, plan_id: str) -> Plan:
        """Forget every keep-apart and keep-together pair of this plan."""
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            body = load_body(row.body, row.body_version)
            body.keep_apart, body.keep_together = [], []
            write_body(row, body)
            tx.put(row)
        return plan_of(row)

    def pair_conflicts(self, plan_id: str) -> list[str]:
        """The pairs the saved plan's groups break today, in words (a warning, not a refusal)."""
        body, context = self._body_and_context(plan_id)
        return pair_conflicts(body, context.name_of)

    # --- forming ------------------------------------------------------------------

    def form_groups(
        self,
        plan_id: str,
        *,
        method: GroupMethod,
        count: int | None = None,
        size: int | None = None,
        target_ids: Sequence[str] = (),
        keep_apart: Sequence[tuple[str, str]] | None = None,
        keep_together: Sequence[tuple[str, str]] | None = None,
        seed: int | None = None,
    ) -> FormedGroups:
        """Replace the plan's groups by suggested ones, with paths, and save the plan.

        ``tiers`` and ``mixed`` use each student's latest standing quick check per chosen
        target (all targets when none are chosen) and the teacher's needs-support notes;
        ``balanced`` spreads flagged students evenly; ``random`` is random. The plan's
        pairs apply; ``keep_apart`` / ``keep_together``, when given, replace them first.
        """
        # Read and compute outside the write lock: a year of checks takes a moment to
        # read, and quick checks being typed meanwhile must not wait for it.
        with self._store.read() as session:
            row = load_plan(session, plan_id)
            context = load_context(session, row.class_id)
            body = load_body(row.body, row.body_version)
            if keep_apart is not None or keep_together is not None:
                _replace_pairs(body, keep_apart, keep_together)
                check_pairs(body, context.members)
            observed = (
                observations(session, row.class_id, context.active_ids, target_ids)
                if method in ("tiers", "mixed")
                else []
            )
        formed = form(
            context,
            body,
            method,
            count=count,
            size=size,
            observed=observed,
            target_ids=target_ids,
            keep_apart=body.apart_ids(),
            keep_together=body.together_ids(),
            seed=seed,
        )
        if not formed.groups:  # nobody present: keep the groups the plan has
            raise ValidationError(" ".join(formed.warnings))
        with self._store.write() as tx:
            row = load_plan(tx.session, plan_id)
            latest = load_body(row.body, row.body_version)  # the latest, with only groups new
            latest.groups = list(formed.groups)
            if keep_apart is not None or keep_together is not None:  # given: saved too
                latest.keep_apart, latest.keep_together = body.keep_apart, body.keep_together
            body = latest
            write_body(row, body)
            tx.put(row)
        return FormedGroups(plan_of(row), formed.student_tiers, formed.group_tiers, formed.warnings)

    # --- schedule, run and export -------------------------------------------------

    def schedule(self, plan_id: str) -> ScheduleResult:
        """The timetable of the plan as it stands, or why it cannot work and what would."""
        body, context = self._body_and_context(plan_id)
        return _schedule(body, context)

    def run_for(self, plan_id: str) -> tuple[RunSpec, Board]:
        """The timing and the board to start a rotation run of this plan."""
        body, context = self._body_and_context(plan_id)
        timetable = _timetable(body, context)
        if not timetable.group_ids:
            raise ValidationError(
                "Nobody is in a group today, so there is no rotation to run; form groups first."
            )
        return run_spec(body, timetable), board_for(plan_id, body, context, timetable)

    def timetable_csv(self, plan_id: str) -> str:
        """The timetable as CSV text (BOM, CRLF) that opens cleanly in a spreadsheet."""
        body, context = self._body_and_context(plan_id)
        timetable = _timetable(body, context)
        board = board_for(plan_id, body, context, timetable)
        return timetable_csv(
            timetable,
            group_names={g.id: g.name for g in board.groups},
            station_names={s.id: s.name for s in board.stations},
        )

    # --- internals ----------------------------------------------------------------

    def _body_and_context(self, plan_id: str) -> tuple[PlanBody, ClassContext]:
        with self._store.read() as session:
            row = load_plan(session, plan_id)
            context = load_context(session, row.class_id)
        return load_body(row.body, row.body_version), context

    def _duplicate(
        self, plan_id: str, *, name: str | None, lesson_date: date | None, template: bool
    ) -> Plan:
        with self._store.write() as tx:
            source = load_plan(tx.session, plan_id)
            context = load_context(tx.session, source.class_id)
            body = refresh(load_body(source.body, source.body_version), context)
            keep_pairs_of(body, context.active_ids)  # the wishes go with the groups
            default = f"{source.name} (template)" if template else f"{source.name} (copy)"
            row = RotationPlan(
                class_id=source.class_id,
                name=clean_name(name if name is not None else default[:MAX_NAME]),
                lesson_date=lesson_date,
                is_template=template,
                body=dump_body(body),
            )
            row.body_version = BODY_VERSION
            tx.put(row)
        return plan_of(row)


def _latest_body(session: Session, class_id: str) -> PlanBody | None:
    """The class's most recently edited plan's document (its pairs seed a new plan)."""
    rows = session.exec(
        select(RotationPlan)
        .where(RotationPlan.class_id == class_id, col(RotationPlan.deleted).is_(False))
        .order_by(col(RotationPlan.updated_at).desc())
        .limit(10)
    ).all()
    for row in rows:
        try:
            return load_body(row.body, row.body_version)
        except ValidationError:
            continue  # a newer app's plan: its pairs are not ours to read
    return None


def _replace_pairs(
    body: PlanBody,
    apart: Sequence[tuple[str, str]] | None,
    together: Sequence[tuple[str, str]] | None,
) -> None:
    if apart is not None:
        body.keep_apart = []
    if together is not None:
        body.keep_together = []
    for pairs, wish in ((together or (), "together"), (apart or (), "apart")):
        for first, second in pairs:
            set_pair(body, first, second, wish)


def _write_checked(session: Session, row: RotationPlan, body: PlanBody) -> None:
    """Check ``body`` against the plan's class and its pairs, then put it in ``row``."""
    context = load_context(session, row.class_id)
    check_body(body, context)
    check_pairs(body, context.members)
    write_body(row, body)


def _schedule(body: PlanBody, context: ClassContext) -> ScheduleResult:
    return generate_schedule(build_request(body, context))


def _timetable(body: PlanBody, context: ClassContext) -> Timetable:
    result = _schedule(body, context)
    if isinstance(result, Infeasible):
        raise ValidationError(result.explanation())
    return result
