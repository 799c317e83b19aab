# For mypy only: tests import plan_helpers by bare name (pytest puts its folder on sys.path).
from tests.ui.plan_helpers import *  # noqa: F403
