"""One app window per data folder: a second start brings the first one to the front.

A ``QLockFile`` in the data folder says whether an instance runs; a ``QLocalServer``
named after the folder lets the second instance ask the first to raise its window.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from station_rotation.services.data_folder import make_private_data_folder

LOCK_NAME = "station-rotation.lock"
_RAISE = b"raise\n"


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"station-rotation-{digest}"


class SingleInstance(QObject):
    """Holds the data folder's lock while the app runs."""

    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # only a live process holds it (stale ones are removed)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this is the only instance; otherwise ask the other one to show itself."""
        make_private_data_folder(self._data_dir)  # 0700 from the start
        if not self._lock.tryLock(100):
            self._ask_running_instance_to_raise()
            return False
        name = server_name(self._data_dir)
        QLocalServer.removeServer(name)  # a crashed instance may have left its socket
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)
        self._server.listen(name)
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _ask_running_instance_to_raise(self) -> None:
        socket = QLocalSocket()
        socket.connectToServer(server_name(self._data_dir))
        if socket.waitForConnected(500):
            socket.write(_RAISE)
            socket.waitForBytesWritten(500)
            socket.disconnectFromServer()

    def _on_connection(self) -> None:
        assert self._server is not None
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.readyRead.connect(self.raise_requested.emit)
            connection.disconnected.connect(connection.deleteLater)
