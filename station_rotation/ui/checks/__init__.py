"""Quick checks: the keyboard-first entry grid and the student check-in view."""
