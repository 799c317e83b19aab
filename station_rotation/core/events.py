"""A tiny "what changed" broadcast, so each screen decides whether to redraw.

Services publish one :class:`Changes` per committed operation (Anki's OpChanges idea);
the Qt layer relays it as a signal. Subscribers are called on the publishing thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """Which kinds of record an operation touched (table names), and which records.

    ``records``: the ids of the records the write saved (empty when not known, as for a
    sync's pull). A screen that made the save recognises its own echo by them.
    """

    entities: frozenset[str] = field(default_factory=frozenset)
    records: frozenset[str] = field(default_factory=frozenset)

    def touches(self, *entities: str) -> bool:
        return bool(self.entities.intersection(entities))


Listener = Callable[[Changes], None]


class ChangeBus:
    """Publish/subscribe for :class:`Changes`; thread-safe subscription."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns a function that removes it again."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        if not changes.entities:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)
