# For mypy only: tests import schedule_checker by bare name (pytest puts its folder on sys.path).
from tests.core.scheduling.schedule_checker import *  # noqa: F403
