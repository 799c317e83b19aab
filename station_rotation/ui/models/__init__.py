"""Qt item models that wrap the services' records (the widgets never hold the truth)."""
