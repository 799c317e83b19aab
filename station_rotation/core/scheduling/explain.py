"""An impossible plan's explanation: the broken constraints and the verified fixes."""

from __future__ import annotations

from station_rotation.core.scheduling.diagnose import problems
from station_rotation.core.scheduling.fixes import fixes
from station_rotation.core.scheduling.model import Infeasible, PlanRequest


def explain(request: PlanRequest) -> Infeasible:
    return Infeasible(tuple(problems(request)), tuple(fixes(request)))
