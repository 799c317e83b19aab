# mypy only: tests import laptops by its bare name (pytest puts its folder on sys.path).
from tests.sync.laptops import *
