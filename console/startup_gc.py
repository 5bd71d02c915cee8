"""The cycle collector paused while the console starts, until its first frame.

A start makes some 50,000 objects that live as long as the console: modules, classes, styles, the
first screen's widgets. Each collection before the first frame walked them again, and as the first
look at a large post adds its rows a full collection came due as well: 40-90 ms of a start on this
machine under load, the bare Textual app's share included. Nothing made while starting is garbage
worth collecting then. After the first frame the collector runs again, with what the start made
moved out of its way (gc.freeze): it is never walked again, and memory is freed by reference
counting as usual.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Idempotent: called at the first frame, and again as the console ends in case it never came."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
