"""The ``station-rotation`` command: the GUI by default, headless subcommands beside it."""
