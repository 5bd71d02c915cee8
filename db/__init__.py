"""cmdpost data layer: every rule, write and read, one package per capability.

grids, roster, passes, supply, registers, intake, accounts, audit, backup, demo and schema; on top,
what they share: connection, thread, models, records, errors, paging, fields and vocab. See
docs/architecture.md. This package must never import Textual or the console (the import contracts
in pyproject.toml, checked by tests/test_db_layering.py).
"""

import sys as _sys


def _import_peewee_without_psycopg() -> None:
    """Import peewee with psycopg hidden from it, before any module of this package imports it.

    Peewee imports psycopg when it is installed, for a PostgreSQL adapter cmdpost never uses (the
    county sync talks to psycopg itself, db/county/sync.py): that was most of what importing
    peewee cost every start of the console and of each CLI command (40 ms quiet, 440 ms at load
    10). A None in sys.modules makes that one import fail as if psycopg were absent; it is
    removed at once, so an ``import psycopg`` later loads it as usual.
    """
    if "peewee" in _sys.modules or "psycopg" in _sys.modules:
        return
    _sys.modules["psycopg"] = None  # type: ignore[assignment]
    try:
        import peewee  # noqa: F401
    finally:
        del _sys.modules["psycopg"]


_import_peewee_without_psycopg()
