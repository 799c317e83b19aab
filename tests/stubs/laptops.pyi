# For mypy only: tests import laptops by bare name (pytest puts its folder on sys.path).
from tests.sync.laptops import *  # noqa: F403
