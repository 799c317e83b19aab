"""Relay the core's "what changed" broadcasts into a Qt signal on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal, Slot

from station_rotation.core.events import ChangeBus, Changes


class ChangeRelay(QObject):
    """Emits :attr:`changed` on the GUI thread whichever thread published the change."""

    changed = Signal(object)  # Changes
    _incoming = Signal(object)

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued: a publish from a worker thread is delivered on this object's thread.
        self._incoming.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._incoming.emit)
        self.destroyed.connect(self._unsubscribe)

    @Slot(object)
    def _deliver(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        """Stop listening (call before the bus's owner goes away)."""
        self._unsubscribe()
