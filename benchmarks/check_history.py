"""Generate a believable history of quick checks into a real store (benchmarks, tests, PNGs).

Each student has an ability and a learning rate per target, so levels drift upwards over
the days with noise; some checks are absences and a few are corrected the same day (the
correction supersedes the first entry), as in a real class. Rows go through the store's
own hot path (``write_fast``), with their outbox rows, one transaction per school day.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from station_rotation.core.scales import parse_scale
from station_rotation.services.app import AppServices
from station_rotation.store.models import QuickCheck, QuickCheckData


def add_targets(services: AppServices, class_id: str, count: int) -> list[str]:
    """Give the class ``count`` learning targets in all (codes T01, T02, ...)."""
    have = services.targets.list_for(class_id)
    for index in range(len(have), count):
        services.targets.create(
            class_id, code=f"T{index + 1:02d}", statement=f"I can do skill {index + 1}."
        )
    return [t.id for t in services.targets.list_for(class_id)][:count]


def generate_history(
    services: AppServices,
    class_id: str,
    *,
    days: int = 180,
    checks_per_student_day: float = 2.0,
    seed: int = 7,
    end: datetime | None = None,
) -> int:
    """Write ``days`` school days of checks for the class; returns how many rows."""
    rng = random.Random(seed)
    students = [e.student.id for e in services.roster.roster(class_id)]
    targets = services.targets.list_for(class_id)
    scales = {t.id: parse_scale(t.scale) for t in targets}
    ability = {s: rng.gauss(0.0, 0.8) for s in students}
    rate = {(s, t.id): rng.uniform(0.2, 1.6) for s in students for t in targets}
    end = end or datetime.now(UTC).replace(hour=15, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days * 7 // 5)
    written = 0
    day = start
    taught = 0
    while taught < days:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        taught += 1
        progress = taught / days
        # The class works on one or two targets at a time, moving through the list.
        focus = targets[min(len(targets) - 1, int(progress * len(targets)))]
        review = targets[rng.randrange(len(targets))]
        with services.store.write_fast() as tx:
            for student in students:
                count = int(checks_per_student_day) + (rng.random() < checks_per_student_day % 1)
                for n in range(count):
                    target = focus if n % 2 == 0 else review
                    moment = day.replace(hour=8 + n, minute=rng.randrange(60))
                    written += _one(tx, rng, class_id, student, target.id, scales[target.id],
                                    ability[student] + rate[(student, target.id)] * progress * 3,
                                    moment)  # fmt: skip
    return written


def _one(tx, rng, class_id, student, target, scale, skill, moment) -> int:  # type: ignore[no-untyped-def]
    if rng.random() < 0.04:
        tx.insert(
            QuickCheck,
            QuickCheckData(
                class_id=class_id,
                student_id=student,
                target_id=target,
                absent=True,
                observed_at=moment,
            ),
        )
        return 1
    top = len(scale.levels) - 1
    position = max(0, min(top, round(skill / 3 * top + rng.gauss(0, 0.6))))
    first = QuickCheckData(
        class_id=class_id,
        student_id=student,
        target_id=target,
        score=scale.first_value + position,
        note="explained it to a partner" if rng.random() < 0.03 else "",
        observed_at=moment,
    )
    tx.insert(QuickCheck, first)
    if rng.random() < 0.03:  # a slip of the finger, corrected a minute later
        fixed = max(0, position - 1)
        tx.insert(
            QuickCheck,
            QuickCheckData(
                class_id=class_id,
                student_id=student,
                target_id=target,
                score=scale.first_value + fixed,
                supersedes=first.id,
                observed_at=moment + timedelta(minutes=1),
            ),
        )
        return 2
    return 1
