"""The console's one database thread, and the first look it takes at the post as the console starts.

Kept free of Textual so that the console can start it before Textual is imported: the first
queries on a cold connection then run while the main thread is still loading.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from db.audit.guard import PostDatabase

CLOSE_WAIT_SECONDS = 2.0  # closing waits this long for a call still running, then leaves it to the exit
GIL_HANDOVER_SECONDS = 0.0002


def hand_over_the_gil_quickly() -> None:
    """The database thread gives up the GIL at every row SQLite steps to, and must then wait for the
    main thread to hand it back: at Python's default 5 ms, a 3 ms read took 30 ms while a screen was
    drawing, and the first look, taken while Textual is imported, 25-65 ms of a village's start.
    Only threads that wait for the GIL are affected."""
    sys.setswitchinterval(GIL_HANDOVER_SECONDS)


class DatabaseThread:
    """Runs calls one at a time on one thread, which keeps the database connection open.

    A daemon thread, not a ThreadPoolExecutor: the interpreter joins an executor's threads at exit,
    so one long read (or a read waiting on a lock) kept a console whose terminal had gone alive.
    Committed data is on disk whatever the thread is doing when the process ends (SQLite WAL).
    """

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._serve, name="cmdpost-db", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (item := self._calls.get()) is not None:
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to the caller, as an executor does
                future.set_exception(error)
            else:
                future.set_result(result)

    def call(self, fn: Callable, *args, **kwargs):
        return self.submit(fn, *args, **kwargs).result()

    def submit(self, fn: Callable, *args, **kwargs) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:  # nobody would ever run it: a caller waiting on it would wait forever
                raise RuntimeError("the database thread is closed")
            self._calls.put((future, fn, args, kwargs))
        return future

    def close(self, database=None, wait: float = CLOSE_WAIT_SECONDS) -> None:
        """Close the thread's connection to ``database`` (None: it has none) after the calls already
        queued, waiting at most ``wait``."""
        with self._lock:
            if self._closed:
                return
            if database is not None:
                closing: Future = Future()
                self._calls.put((closing, database.close, (), {}))
            self._calls.put(None)
            self._closed = True
        self._thread.join(wait)


def start_with_first_look(
    database: PostDatabase, day: str, demo: bool, first_tiles: int | None = None
) -> tuple[DatabaseThread, Future]:
    """A database thread already taking the first look (db.grids.dashboard.first_look) for the post's day,
    of the board's ``first_tiles`` tiles (None: all).

    A post whose accounts must sign in is not read beyond whether it is empty before the PIN.
    """
    hand_over_the_gil_quickly()
    thread = DatabaseThread()
    return thread, _take_first_look(thread, database, day, demo, first_tiles)


def open_with_first_look(
    path: Path, day: str, demo: bool, first_tiles: int | None = None, on_upgrade=None
) -> tuple[PostDatabase, DatabaseThread, Future]:
    """The post opened (db.connection.open_database) on a new database thread, which then takes the
    first look as start_with_first_look does.

    A connection belongs to the thread that opens it (peewee keeps one per thread): opened on the main
    thread, the post was connected to twice at every start, its schema parsed and the connection's
    hooks installed twice, 4 ms of CPU. Waits for the opening, so that a file that cannot be opened is
    told as before; its error is raised here, with the thread stopped.
    """
    from db.connection import open_database

    hand_over_the_gil_quickly()
    thread = DatabaseThread()
    try:
        database = thread.call(open_database, path, on_upgrade=on_upgrade)
    except BaseException:
        thread.close()
        raise
    return database, thread, _take_first_look(thread, database, day, demo, first_tiles)


def _take_first_look(
    thread: DatabaseThread, database: PostDatabase, day: str, demo: bool, first_tiles: int | None
) -> Future:
    from db.grids.dashboard import first_look

    return thread.submit(
        first_look,
        day,
        with_board=demo or not database.guard.closed,
        demo_sign_in=demo,
        first_tiles=first_tiles,
    )
