"""Offline-first sync with the district server: wire models, HTTP client and sync engine.

Nothing here imports Qt; the GUI drives :class:`station_rotation.sync.engine.SyncEngine`
through qasync, the command line through ``asyncio.run``.
"""
