"""The district server: an ASGI app (FastAPI) over its own SQLModel store.

Its tables live on their own SQLAlchemy registry (see ``tables.py``) so the laptop's
``SQLModel.metadata`` never gains server tables. Nothing here imports Qt.
"""
