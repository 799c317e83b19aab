"""The local SQLite store: tables, sessions, migrations and the sync change log."""
