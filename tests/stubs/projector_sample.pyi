# For mypy only: tests import projector_sample by bare name (pytest puts its folder on sys.path).
from tests.ui.projector_sample import *  # noqa: F403
