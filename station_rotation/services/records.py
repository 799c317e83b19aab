"""The records the services hand out, under the names their callers type them with.

The services return the store's SQLModel records (a ``Station``, a ``LearningTarget``,
a saved ``QuickCheckData``). The Qt layer names them from here, so it talks to the
services only and never imports the store (an import-linter contract keeps it so).
"""

from __future__ import annotations

from station_rotation.store.models import (
    ClassSection,
    LearningTarget,
    QuickCheckData,
    Station,
    Student,
)

__all__ = ["ClassSection", "LearningTarget", "QuickCheckData", "Station", "Student"]
