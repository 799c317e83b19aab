# mypy only: tests import plan_helpers by its bare name (pytest puts its folder on sys.path).
from tests.ui.plan_helpers import *
