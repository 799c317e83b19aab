"""The stations of a class's room."""

from __future__ import annotations

from station_rotation.services.classes.ordered import OrderedListService
from station_rotation.services.shapes import StationCreate, StationUpdate
from station_rotation.store.models import Station


class StationService(OrderedListService[Station]):
    model = Station
    create_shape = StationCreate
    update_shape = StationUpdate
    noun = "station"
