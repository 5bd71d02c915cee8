"""The one way screens run database work: off the event loop, on the app's database thread.

Screens use ``@db_work`` (Textual thread workers, exclusive per method). The
worker hands the call to the app's single long-lived database thread, whose
connection keeps a warm page cache: a new connection per worker re-read the
same pages every time and made county queries ten times slower.

Errors are reported in one place, CmdpostApp.report_error: db_work hands them to it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar, cast

from textual import work

from widgets.worker_errors import report_from_thread

F = TypeVar("F", bound=Callable)


def db_work(method: F) -> F:
    """Run ``method`` in an exclusive thread worker, on the app's database thread."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return self.app.db_thread.call(method, self, *args, **kwargs)
        except Exception as error:  # reported once, here: the worker itself then ends quietly
            report_from_thread(self.app, error)
            return None

    # cast: the worker takes the method's own arguments. It returns the Worker, not the method's result,
    # but no caller reads it (a method posts its results back itself), so the method keeps its type.
    return cast(F, work(thread=True, exclusive=True, exit_on_error=False, group=method.__name__)(run))
