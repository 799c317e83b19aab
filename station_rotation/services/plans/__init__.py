"""Rotation plans: saved documents, their groups, their checks against the class, schedule."""
