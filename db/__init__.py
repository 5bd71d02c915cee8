"""cmdpost data layer: every rule, write and read, one package per capability.

grids, roster, passes, supply, registers, intake, accounts, audit, backup, demo and schema; on top,
what they share: connection, thread, models, records, errors, paging, fields and vocab. See
docs/architecture.md. This package must never import Textual or the console (the import contracts
in pyproject.toml, checked by tests/test_db_layering.py).
"""
