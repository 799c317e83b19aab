"""The plan document's types, as the pages name them.

They live in ``store/plan_body.py``, below the services, so that the district server
checks a pushed plan with the same models; the Qt layer names them from here and never
imports the store (an import-linter contract keeps it so).
"""

from __future__ import annotations

from station_rotation.store.plan_body import (
    OWN_PATH_COLOUR,
    OwnPath,
    Plan,
    PlanBody,
    PlanGroup,
    PlanStop,
    PlanSummary,
)

__all__ = ["OWN_PATH_COLOUR", "OwnPath", "Plan", "PlanBody", "PlanGroup", "PlanStop", "PlanSummary"]
