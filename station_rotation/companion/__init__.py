"""The classroom companion: the teacher's phone and the students' devices on the LAN.

Qt-free. ``classroom`` turns the app's services and the run's state into per-role views
and applies what devices ask, ``access`` decides who may ask, ``web`` serves both over
HTTP and ``server`` runs that on its own thread. See docs/companion.md.
"""
