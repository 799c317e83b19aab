"""Start-up without the cyclic garbage collector, then a frozen heap.

Importing Qt, SQLAlchemy and SQLModel allocates hundreds of thousands of objects that
live for the whole session; the collector runs dozens of times over them and frees
almost nothing, which costs ~10% of the start. So the GUI pauses it while it starts, and
once the window is up freezes what was loaded (``gc.freeze``): later collections skip
those objects, which also keeps the pauses short while the rotation clock ticks.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    """Call before the heavy imports of a long-lived process."""
    gc.disable()


def resume_collection() -> None:
    """Call once start-up is done: freeze what start-up loaded and collect as usual again.

    Once only: a second call (an error path that resumes whatever happened) does nothing.
    """
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()
