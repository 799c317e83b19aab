# For mypy only: tests import docs_images by bare name (pytest puts its folder on sys.path).
from tests.docs_images import *  # noqa: F403
