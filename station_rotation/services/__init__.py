"""Use cases the GUI and the command line call; no Qt here."""
