"""The console's one database thread, and the first look it takes at the post as the console starts.

Kept free of Textual so that the console can start it before Textual is imported: the first
queries on a cold connection then run while the main thread is still loading.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from peewee import SqliteDatabase


class DatabaseThread:
    """Runs calls one at a time on one thread, which keeps the database connection open."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdpost-db")

    def call(self, fn: Callable, *args, **kwargs):
        return self._executor.submit(fn, *args, **kwargs).result()

    def submit(self, fn: Callable, *args, **kwargs) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def close(self, database) -> None:
        self._executor.submit(database.close).result()
        self._executor.shutdown(wait=True)


def start_with_first_look(database: SqliteDatabase, day: str, demo: bool) -> tuple[DatabaseThread, Future]:
    """A database thread already taking the first look (db.grids.dashboard.first_look) for the post's day.

    A post whose accounts must sign in is not read beyond whether it is empty before the PIN.
    """
    from db.grids.dashboard import first_look

    thread = DatabaseThread()
    return thread, thread.submit(first_look, day, with_board=demo or not database.guard.closed, demo_sign_in=demo)
