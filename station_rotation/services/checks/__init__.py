"""Quick checks and reflections: recording them, their export, what they say (Insights)."""
