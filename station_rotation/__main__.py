"""Allow ``python -m station_rotation``."""

from station_rotation.cli.main import main

raise SystemExit(main())
