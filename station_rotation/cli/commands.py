"""The list of subcommands that live in their own modules.

Each entry is a ``register(subparsers)`` function; keep imports inside the handlers.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from station_rotation.cli import (
    export_checks,
    import_roster,
    import_standards,
    roster,
    self_test,
    sync,
)

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRARS: list[Registrar] = [self_test.register, import_roster.register, sync.register]
REGISTRARS += [export_checks.register, roster.register, import_standards.register]
