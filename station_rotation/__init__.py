"""Station Rotation: run a personalised-learning classroom on one laptop, offline first."""

__version__ = "0.1.0"
APP_NAME = "Station Rotation"
APP_ID = "station-rotation"
