"""The Plan page: today's groups, their paths and pace, and the timetable to print.

Imported only when the teacher first opens the page (see ``ui/pages/__init__.py``).
"""
