# mypy only: tests import schedule_checker by its bare name (pytest puts its folder on sys.path).
from tests.core.planning.schedule_checker import *
