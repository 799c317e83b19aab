"""The sample class a newcomer can try: a realistic grade-6 maths section.

Used by the first-start "Try a sample class" action, the self-test and the tests. It is
deterministic for a given seed so tests and screenshots are repeatable.
"""

from __future__ import annotations

import random
from datetime import date

from station_rotation.core.stations import StationKind
from station_rotation.services.app import AppServices
from station_rotation.store.models import ClassSection

GIVEN_NAMES = (
    "Amara", "Ben", "Chloe", "Diego", "Elif", "Farah", "Gabriel", "Hana", "Isaac", "Jada",
    "Kofi", "Leah", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tala",
    "Uma", "Victor", "Wren", "Ximena", "Yusuf", "Zoe", "Aiden", "Bella", "Carlos", "Dana",
)  # fmt: skip
FAMILY_NAMES = (
    "Adeyemi", "Brooks", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito",
    "Johnson", "Kowalski", "Lopez", "Mensah", "Nguyen", "Okafor", "Patel", "Quispe", "Rossi",
    "Schmidt", "Tanaka", "Usman", "Vargas", "Walker", "Xu", "Yilmaz", "Zhang",
)  # fmt: skip

# Some students go by another name; the roster shows "Gabe (Gabriel) ...".
NICKNAMES = {"Gabriel": "Gabe", "Victor": "Vic", "Isaac": "Ike", "Ximena": "Mena"}

SAMPLE_STATIONS = (
    dict(
        name="Teacher table",
        kind=StationKind.TEACHER_LED,
        capacity=8,
        default_minutes=15,
        instructions="Bring your notebook and a pencil. We'll work on today's target together.",
    ),
    dict(
        name="Online practice",
        kind=StationKind.ONLINE,
        capacity=10,
        default_minutes=15,
        instructions="Log in and finish today's playlist. Headphones on.",
        content_url="https://example.org/playlists/ratios",
    ),
    dict(
        name="Collaborative task",
        kind=StationKind.COLLABORATIVE,
        capacity=8,
        default_minutes=15,
        instructions="Solve the recipe challenge as a team. Everyone explains one step.",
    ),
    dict(
        name="Independent practice",
        kind=StationKind.INDEPENDENT,
        capacity=10,
        default_minutes=15,
        instructions="Work through the practice sheet quietly. Check answers on the back.",
    ),
)

SAMPLE_TARGETS = (
    ("6.RP.1", "I can use ratio language to describe a relationship between two quantities."),
    ("6.RP.2", "I can find a unit rate and explain what it means."),
    ("6.RP.3a", "I can make tables of equivalent ratios and plot them."),
    ("6.RP.3c", "I can find a percent of a quantity as a rate per 100."),
)

SAMPLE_CLASS_NAME = "Sample: Math 6, period 2"
SAMPLE_PLAN_NAME = "Sample rotation"


def create_sample_class(
    services: AppServices,
    *,
    students: int = 28,
    seed: int = 6,
    todays_plan: date | None = None,
) -> ClassSection:
    """Create a class with ``students`` students, 4 stations and 4 learning targets.

    ``todays_plan``: also a ready rotation plan dated that day (the welcome screen gives
    today), so "Try a sample class", Rotation, "Start today's plan" projects round 1.
    """
    rng = random.Random(seed)
    section = services.classes.create_class(
        name=SAMPLE_CLASS_NAME, subject="Mathematics", grade="6", period="2"
    )
    given = rng.sample(GIVEN_NAMES, k=min(students, len(GIVEN_NAMES)))
    while len(given) < students:
        given.append(rng.choice(GIVEN_NAMES))
    for index, first in enumerate(given):
        services.roster.add_student(
            section.id,
            given_name=first,
            preferred_name=NICKNAMES.get(first, ""),
            family_name=rng.choice(FAMILY_NAMES),
            identifier=f"S{1000 + index}",
            grade="6",
            iep=index % 9 == 4,
            ell=index % 7 == 3,
            support_notes="Extended time; check in at the start of each round."
            if index % 9 == 4
            else "",
        )
    for station in SAMPLE_STATIONS:
        services.stations.create(section.id, **station)
    for code, statement in SAMPLE_TARGETS:
        services.targets.create(section.id, code=code, statement=statement)
    if todays_plan is not None:
        services.plans.create(section.id, SAMPLE_PLAN_NAME, todays_plan)
    return section
