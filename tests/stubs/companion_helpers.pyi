# For mypy only: tests import companion_helpers by bare name (pytest puts its folder on sys.path).
from tests.companion.companion_helpers import *  # noqa: F403
