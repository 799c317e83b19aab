"""Planning a rotation with no Qt and no database: schedules and grouping suggestions.

``schedule.generate_schedule`` turns stations, groups, paths and pace into a rounds ×
groups timetable that is guaranteed to work, or a plain explanation with verified fixes;
``grouping.suggest_groups`` forms groups from a roster and recent quick checks.
"""
