"""db/vocab.py holds the value lists; the live schema's CHECK constraints must allow exactly them.

The migrations keep frozen copies of their own, so a list edited in db/vocab.py alone no longer
edits an old schema: this test is what says a new migration is needed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from db import vocab
from db.connection import open_database

DB_DIR = Path(__file__).resolve().parent.parent / "db"

CHECKED = [  # (table, column, the list its CHECK constraint must hold)
    ("grid", "zone", vocab.ZONES),
    ("zone_change", "new_zone", vocab.ZONES),
    ("staff", "role", vocab.STAFF_ROLES),
    ("duty_post", "kind", vocab.POST_KINDS),
    ("account", "role", vocab.ACCOUNT_ROLES),
    ("supply_item", "category", vocab.SUPPLY_CATEGORIES),
    ("pass_scan", "verdict", vocab.PASS_VERDICTS),
]


@pytest.fixture(scope="module")
def table_sql(tmp_path_factory) -> dict[str, str]:
    database = open_database(tmp_path_factory.mktemp("vocab") / "post.db")
    try:
        rows = database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        database.close()
    return dict(rows)


@pytest.mark.parametrize(("table", "column", "values"), CHECKED, ids=[f"{t}.{c}" for t, c, _ in CHECKED])
def test_live_schema_allows_exactly_the_vocabulary(table_sql, table, column, values):
    found = re.search(rf"CHECK \({column} IN \(([^)]*)\)\)", table_sql[table])
    assert found, f"no CHECK on {table}.{column}"
    assert tuple(v.strip().strip("'") for v in found.group(1).split(",")) == values


def test_nothing_outside_schema_imports_a_migration():
    """Live code reads db/vocab.py and db/schema's own face, never a frozen migration module."""
    offenders = []
    for path in sorted(Path(DB_DIR.parent).glob("*/**/*.py")):
        # dot folders hold copies, not live code: .venv, and .mutation (.ci/mutation's workspaces)
        copy = any(part.startswith(".") for part in path.relative_to(DB_DIR.parent).parts)
        if path.is_relative_to(DB_DIR / "schema") or copy:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            offenders += [
                f"{path}: {n}"
                for n in names
                if n.startswith("db.schema.") and (DB_DIR / "schema" / f"{n.split('.')[2]}.py").exists()
            ]
    assert offenders == []
