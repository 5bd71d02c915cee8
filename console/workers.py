"""The one way screens run database work: in a thread, never on the event loop.

Errors are not handled here: they surface as a failed worker, and the app's
single handler (CmdpostApp.on_worker_state_changed) reports them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from textual import work

from db.models import database_proxy

F = TypeVar("F", bound=Callable)


def db_work(method: F) -> F:
    """Run ``method`` in an exclusive thread worker and close its connection after."""

    @functools.wraps(method)
    def run(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        finally:
            database_proxy.close()

    return work(thread=True, exclusive=True, exit_on_error=False, group=method.__name__)(run)
