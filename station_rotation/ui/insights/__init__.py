"""The Insights page: class heat map, student timelines, trends, groups, private notes.

Importing the package guards the process against PySide6 6.12's lost ``None``
references (see ``none_guard.py``): these plots make thousands of void Qt calls per paint.
"""

from station_rotation.ui.insights.none_guard import make_none_immortal

make_none_immortal()
