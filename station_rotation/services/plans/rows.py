"""Plan rows in and out: load a live row, write a body into it, and the shapes screens get.

Screens never see a ``RotationPlan`` row: :func:`plan_of` and :func:`summary_of` turn one
into the pydantic shapes of ``plan_body``.
"""

from __future__ import annotations

from sqlmodel import Session

from station_rotation.core.errors import NotFoundError, ValidationError
from station_rotation.core.moments import as_utc
from station_rotation.store.models import RotationPlan, utc_now
from station_rotation.store.plan_body import (
    BODY_VERSION,
    Plan,
    PlanBody,
    PlanSummary,
    dump_body,
    load_body,
)

MAX_NAME = 200


def clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("Name: cannot be empty.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Name: at most {MAX_NAME} characters.")
    return name


def load_plan(session: Session, plan_id: str) -> RotationPlan:
    row = session.get(RotationPlan, plan_id)
    if row is None or row.deleted:
        raise NotFoundError("That plan no longer exists.")
    return row


def write_body(row: RotationPlan, body: PlanBody) -> None:
    row.body = dump_body(body)
    row.body_version = BODY_VERSION
    row.updated_at = utc_now()


def summary_of(row: RotationPlan) -> PlanSummary:
    return PlanSummary(
        id=row.id,
        class_id=row.class_id,
        name=row.name,
        lesson_date=row.lesson_date,
        is_template=row.is_template,
        archived=row.archived,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def plan_of(row: RotationPlan) -> Plan:
    return Plan(**summary_of(row).model_dump(), body=load_body(row.body, row.body_version))
