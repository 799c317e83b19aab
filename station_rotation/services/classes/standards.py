"""A class's learning targets taken from a state's standards (a CASE package file).

The teacher (or IT) chooses the standards by code; each becomes a learning target with
the standard's human code and statement, and keeps the standard's and the framework's
GUIDs. A standard the class already has (same GUID, archived or not) is never added
twice: its code and statement follow the framework's if they were revised, and the
teacher's scale, order and archive stay. Written in one transaction: all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from station_rotation.core.errors import ImportError_
from station_rotation.importing.case import CasePackage, Standard, read_case_package
from station_rotation.services.classes.sections import load_class
from station_rotation.store.database import Store
from station_rotation.store.models import LearningTarget


@dataclass(frozen=True)
class StandardsImport:
    """What an import did (or, for a dry run, would do), by the standards' labels."""

    framework: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} already there"
        )


class StandardsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def read_package(self, path: Path) -> CasePackage:
        return read_case_package(path)

    def import_standards(
        self,
        class_id: str,
        package: CasePackage,
        standards: Sequence[Standard],
        *,
        dry_run: bool = False,
    ) -> StandardsImport:
        """Add (or refresh) these standards of ``package`` as the class's targets."""
        if not standards:
            raise ImportError_(
                "No standards were chosen. Give their codes (--codes 6.RP.A.1,6.RP.A.3) or "
                "a code they are under (--under 6.RP)."
            )
        if dry_run:
            with self._store.read() as session:
                load_class(session, class_id)
                return _plan(_targets(session, class_id), class_id, package, standards)[0]
        with self._store.write() as tx:
            load_class(tx.session, class_id)
            result, adds, revised = _plan(
                _targets(tx.session, class_id), class_id, package, standards
            )
            for target, standard in revised:
                target.code = standard.code
                target.statement = standard.statement
                target.framework_id = package.framework_id
            writes = [*adds, *(target for target, _ in revised)]
            if writes:
                tx.put_many(writes)
        return result


def _targets(session: Session, class_id: str) -> list[LearningTarget]:
    query = select(LearningTarget).where(
        LearningTarget.class_id == class_id, col(LearningTarget.deleted).is_(False)
    )
    return list(session.exec(query))


def _plan(
    existing: list[LearningTarget],
    class_id: str,
    package: CasePackage,
    standards: Sequence[Standard],
) -> tuple[StandardsImport, list[LearningTarget], list[tuple[LearningTarget, Standard]]]:
    """The new targets (at the end of the list) and the targets whose standard was revised;
    changes nothing, so a dry run can call it on records of a read session."""
    result = StandardsImport(package.title)
    by_standard = {t.standard_id: t for t in existing if t.standard_id}
    position = max((t.position for t in existing), default=-1)
    adds: list[LearningTarget] = []
    revised: list[tuple[LearningTarget, Standard]] = []
    seen: set[str] = set()
    for standard in standards:
        if standard.identifier in seen:
            continue
        seen.add(standard.identifier)
        found = by_standard.get(standard.identifier)
        if found is None:
            position += 1
            adds.append(
                LearningTarget(
                    class_id=class_id,
                    code=standard.code,
                    statement=standard.statement,
                    position=position,
                    standard_id=standard.identifier,
                    framework_id=package.framework_id,
                )
            )
            result.added.append(standard.label)
        elif (found.code, found.statement, found.framework_id) != (
            standard.code,
            standard.statement,
            package.framework_id,
        ):
            revised.append((found, standard))
            result.updated.append(standard.label)
        else:
            result.unchanged.append(standard.label)
    return result, adds, revised
