"""A demo post whose every free-text column holds text that would steer a terminal if it were obeyed.

The columns are read from the schema, so a text column added later is covered without touching the
tests: only the columns listed in ``STRUCTURED`` (codes, states, times, hashes the program parses)
keep their values, each with the reason. A new structured column the app parses will show up as
a failing screen, and belongs in that list.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from db.demo import posts as demo
from db.schema import GRAMS_FUNCTION, grams

# Rich markup (bold, and a link that would quit the app), ESC sequences (clear screen, cursor home,
# window title), C1 CSI, BEL, CR, DEL, bidi overrides, isolates and marks. The markup comes first so
# that a column cut short still shows whether it was read as markup.
HOSTILE = (
    "[b]点我[/b]\x1b[2J\x9b31m\u202e\x1b[H\x1b]0;pwned\x07\r有效\x7f\x08\u2066\u2067\u2068\u2069\u200e"
    "\u200f\u061c\u202a\u202b\u202c\u202d[@click=app.quit]点我[/]"
)
SHORT = "[b]点我[/b]\x1b[2J\x9b1m\a\r\u202e[@click]"  # for columns of at most 40 characters
STEERING = {
    chr(c)
    for c in (
        *range(0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
} - {"\n"}

STRUCTURED = {
    ("post_meta", "key"): "names a setting",
    ("post_meta", "value"): "settings the program reads back",
    ("sync_outbox", "table_name"): "a table the county sync reads (db/county/outbox.py refuses odd names)",
    ("sync_outbox", "op"): "upsert or delete (CHECK)",
    ("grid", "code"): "the grid's code, parsed into its levels",
    ("grid", "sort_key"): "derived from the code",
    ("grid", "zone"): "one of three zone states (CHECK)",
    ("zone_change", "old_zone"): "a zone state",
    ("zone_change", "new_zone"): "a zone state",
    ("zone_change", "changed_at"): "a timestamp",
    ("staff", "role"): "one of the roles (CHECK)",
    ("staff", "last_negative_test"): "a date",
    ("household", "door_sort"): "derived from the door",
    ("duty_post", "kind"): "a kind of post (CHECK)",
    ("assignment", "state"): "a state (CHECK)",
    ("assignment", "warnings"): "a list of rule codes",
    ("assignment", "created_at"): "a timestamp",
    ("assignment", "removed_at"): "a timestamp",
    ("pass", "serial"): "signed into the QR payload and parsed",
    ("pass_scan", "verdict"): "a verdict word (CHECK)",
    ("pass_scan", "serial"): "a pass serial",
    ("test_round", "held_on"): "a date",
    ("test_round", "created_at"): "a timestamp",
    ("test_record", "source"): "where a mark came from (CHECK)",
    ("callback", "outcome"): "an outcome (CHECK)",
    ("care_checkin", "day"): "a date",
    ("care_checkin", "status"): "a status (CHECK)",
    ("unit_report", "day"): "a date",
    ("unit_report", "status"): "a status (CHECK)",
    ("supply_item", "category"): "a category (CHECK)",
    ("supply_run", "pass_serial"): "a pass serial",
    ("supply_order", "source"): "where an order came from (CHECK)",
    ("supply_order", "state"): "a state (CHECK)",
    ("handoff", "kind"): "a kind of handoff (CHECK)",
    ("handoff", "day"): "a date",
    ("account", "role"): "a role (CHECK)",
    ("account", "secret_hash"): "a PIN hash",
    ("audit_entry", "at"): "a timestamp",
    ("audit_entry", "op"): "insert, update, delete or an event name",
    ("audit_entry", "table_name"): "a table's name",
    ("audit_entry", "prev_hash"): "a hash",
    ("audit_entry", "hash"): "a hash",
}
JSON_COLUMNS = {
    ("audit_entry", "before"),
    ("audit_entry", "after"),
}  # each string value inside is made hostile


def _hostile_json(text: str | None) -> str | None:
    if not text:
        return text
    value = json.loads(text)
    if isinstance(value, dict):
        value = {key: HOSTILE + item if isinstance(item, str) else item for key, item in value.items()}
    return json.dumps(value, ensure_ascii=False)


def text_columns(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '%fts%' ORDER BY name"
        )
    ]
    return [
        (table, column)
        for table in tables
        for _, column, kind, *_ in connection.execute(f"PRAGMA table_info('{table}')")
        if "TEXT" in kind.upper() or "CHAR" in kind.upper()
    ]


def _rows_for_empty_tables(connection: sqlite3.Connection) -> None:
    """The demo has no scans or call-backs yet: one of each, so their columns are shown too."""
    connection.execute(
        "INSERT INTO pass_scan (scanned_at, place, operator, verdict, serial, version)"
        " SELECT valid_from + 60, '村口', 'admin', 'REVOKED', serial, version FROM pass LIMIT 1"
    )
    connection.execute(
        "INSERT INTO callback (round_id, household_id, outcome, note, called_at, called_by)"
        " SELECT (SELECT max(id) FROM test_round), id, 'away', '外出', 1649550000, 'admin'"
        " FROM household LIMIT 1"
    )
    # A revoked pass, so a revoke reason is on screen (the demo revokes none).
    connection.execute(
        "UPDATE pass SET revoked_at = valid_from + 30, revoked_by = 'admin', revoke_reason = '遗失'"
        " WHERE id = (SELECT min(id) FROM pass)"
    )


def _prefix(connection: sqlite3.Connection, table: str, column: str) -> None:
    """HOSTILE before every value; a column with a length limit (a name of at most 40) gets SHORT."""
    for text in (HOSTILE, SHORT):
        try:
            connection.execute("SAVEPOINT prefix")
            connection.execute(
                f'UPDATE "{table}" SET "{column}" = ? || "{column}" WHERE "{column}" IS NOT NULL', (text,)
            )
            connection.execute("RELEASE prefix")
            return
        except sqlite3.IntegrityError:
            connection.execute("ROLLBACK TO prefix")
            connection.execute("RELEASE prefix")
    raise AssertionError(
        f"{table}.{column} takes no hostile text: list it in STRUCTURED if the program parses it"
    )


def edit_as_another_tool(path: Path, statements: list[tuple[str, tuple]]) -> None:
    """Run ``statements`` on the file past cmdpost's guards (as sqlite3 or an older version could),
    then put every guard back as it was."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        triggers = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:
            connection.execute(f'DROP TRIGGER "{name}"')
        for sql, params in statements:
            connection.execute(sql, params)
        for _, sql in triggers:
            connection.execute(sql)
        connection.execute("COMMIT")
    finally:
        connection.close()


def make_hostile_demo(path: Path, today: date) -> list[tuple[str, str]]:
    """Build the village demo at ``path`` and make every free-text column hostile. Returns the columns changed."""
    demo.build(path, "village", seed=1, today=today)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        triggers = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:  # the guards stop these edits: the file is changed as another tool would
            connection.execute(f'DROP TRIGGER "{name}"')
        _rows_for_empty_tables(connection)
        changed = []
        for table, column in text_columns(connection):
            if (table, column) in STRUCTURED:
                continue
            if (table, column) in JSON_COLUMNS:
                rows = connection.execute(f'SELECT rowid, "{column}" FROM "{table}"').fetchall()
                connection.executemany(
                    f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?',
                    [(_hostile_json(value), rowid) for rowid, value in rows],
                )
            else:
                _prefix(connection, table, column)
            changed.append((table, column))
        connection.execute("INSERT INTO household_fts(household_fts) VALUES ('rebuild')")
        connection.create_function(GRAMS_FUNCTION, 3, grams, deterministic=True)
        connection.execute("INSERT INTO household_grams_fts(household_grams_fts) VALUES ('delete-all')")
        connection.execute(
            f"INSERT INTO household_grams_fts (rowid, grams)"
            f" SELECT id, {GRAMS_FUNCTION}(door, phone, head_name) FROM household"
        )
        for _, sql in triggers:
            connection.execute(sql)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return changed
