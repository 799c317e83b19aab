"""District staff's operations (used by the admin CLI and by tests)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from station_rotation.server import audit
from station_rotation.server.security import digest, new_code
from station_rotation.server.tables import (
    ClassScope,
    Device,
    EnrolmentCode,
    ServerTeacher,
    utc_now,
)


def create_teacher(engine: Engine, name: str, email: str = "") -> str:
    with Session(engine) as session:
        teacher = ServerTeacher(name=name, email=email)
        session.add(teacher)
        session.commit()
        return teacher.id


def issue_code(engine: Engine, teacher_id: str, minutes: int = 15) -> str:
    """A one-time enrolment code for ``teacher_id``; only its hash is stored."""
    code = new_code()
    with Session(engine) as session:
        if session.get(ServerTeacher, teacher_id) is None:
            raise LookupError(f"No teacher with id {teacher_id}.")
        session.add(
            EnrolmentCode(
                code_hash=digest(code),
                teacher_id=teacher_id,
                expires_at=utc_now() + timedelta(minutes=minutes),
            )
        )
        session.commit()
    return code


def assign_class(engine: Engine, teacher_id: str, class_id: str) -> None:
    """The district roster assigns ``class_id`` to ``teacher_id``."""
    with Session(engine) as session:
        if session.get(ClassScope, (teacher_id, class_id)) is None:
            session.add(ClassScope(teacher_id=teacher_id, class_id=class_id, source="roster"))
            session.commit()


def revoke_device(engine: Engine, device_id: str, actor: str | None = None) -> int:
    """Revoke every enrolment of a laptop (by its device id or enrolment id).

    Audited in the same transaction (``actor``: the staff account, by default the OS
    user); revoking nothing is no action and leaves no row.
    """
    with Session(engine) as session:
        devices = session.exec(
            select(Device).where((Device.device_id == device_id) | (Device.id == device_id))
        ).all()
        for device in devices:
            device.revoked = True
            session.add(device)
        if devices:
            audit.record(
                session,
                "revoke-device",
                actor=actor or audit.staff_actor(),
                records=len(devices),
                scope={
                    "device": device_id,
                    "enrolments": sorted(d.id for d in devices),
                    "teachers": sorted({d.teacher_id for d in devices}),
                },
            )
        session.commit()
        return len(devices)
