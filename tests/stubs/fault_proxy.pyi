# For mypy only: tests import fault_proxy by bare name (pytest puts its folder on sys.path).
from tests.sync.fault_proxy import *  # noqa: F403
