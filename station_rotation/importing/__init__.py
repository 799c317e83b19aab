"""Roster formats (OneRoster CSV, plain CSV): parse, validate and diff; no database, no Qt."""
