"""The screen lock: the teacher's PIN, the idle timer, and the lock screen over every page."""
