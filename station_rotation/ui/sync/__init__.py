"""The Sync page, the background scheduler and the status line (district sync in the GUI)."""
