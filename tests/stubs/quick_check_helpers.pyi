# For mypy only: tests import quick_check_helpers by bare name (pytest puts its folder on sys.path).
from tests.ui.quick_check_helpers import *  # noqa: F403
