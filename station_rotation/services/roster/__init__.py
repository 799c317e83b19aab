"""A class's students: the roster, the teacher's private notes, roster import."""
