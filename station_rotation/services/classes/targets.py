"""The learning targets a class works on (what quick checks measure)."""

from __future__ import annotations

from station_rotation.services.classes.ordered import OrderedListService
from station_rotation.services.shapes import TargetCreate, TargetUpdate
from station_rotation.store.models import LearningTarget


class TargetService(OrderedListService[LearningTarget]):
    model = LearningTarget
    create_shape = TargetCreate
    update_shape = TargetUpdate
    noun = "learning target"
