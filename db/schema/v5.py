"""Schema 5: the registers kept from the field (testing rounds, special-care check-ins,
building daily reports). Per-grid testing totals are kept by triggers, like grid_total.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).
"""

from __future__ import annotations

_ANCESTORS = (
    "SELECT id FROM grid WHERE id = {g} UNION SELECT parent_id FROM grid WHERE id = {g}"
    " UNION SELECT root_id FROM grid WHERE id = {g}"
)


def _bump(row: str, sign: str) -> str:
    grid = f"(SELECT grid_id FROM household WHERE id = {row}.household_id)"
    # NOT EXISTS rather than OR IGNORE: an outer upsert's conflict clause overrides a trigger's.
    return (
        f"INSERT INTO round_total (round_id, grid_id) SELECT {row}.round_id, id FROM grid"
        f" WHERE id IN ({_ANCESTORS.format(g=grid)}) AND NOT EXISTS (SELECT 1 FROM round_total t"
        f" WHERE t.round_id = {row}.round_id AND t.grid_id = grid.id);"
        f" UPDATE round_total SET households = households {sign} 1, people = people {sign} {row}.people"
        f" WHERE round_id = {row}.round_id AND grid_id IN ({_ANCESTORS.format(g=grid)});"
    )


V5 = (
    5,
    "registers: testing rounds and results, call-backs, special-care check-ins, building reports",
    (
        """CREATE TABLE test_round (
            id INTEGER PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE CHECK (number > 0),
            held_on TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL)""",
        """CREATE TABLE test_record (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES test_round(id),
            household_id INTEGER NOT NULL REFERENCES household(id),
            people INTEGER NOT NULL CHECK (people BETWEEN 1 AND 99),
            source TEXT NOT NULL CHECK (source IN ('chain', 'hand')),
            recorded_at INTEGER NOT NULL,
            recorded_by TEXT NOT NULL,
            UNIQUE (round_id, household_id))""",
        "CREATE INDEX test_record_household ON test_record(household_id)",
        """CREATE TABLE round_total (
            round_id INTEGER NOT NULL REFERENCES test_round(id),
            grid_id INTEGER NOT NULL REFERENCES grid(id),
            households INTEGER NOT NULL DEFAULT 0,
            people INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (round_id, grid_id))""",
        f"CREATE TRIGGER test_record_ins AFTER INSERT ON test_record BEGIN {_bump('NEW', '+')} END",
        f"CREATE TRIGGER test_record_del AFTER DELETE ON test_record BEGIN {_bump('OLD', '-')} END",
        f"CREATE TRIGGER test_record_upd AFTER UPDATE OF people ON test_record BEGIN"
        f" {_bump('OLD', '-')} {_bump('NEW', '+')} END",
        """CREATE TABLE callback (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES test_round(id),
            household_id INTEGER NOT NULL REFERENCES household(id),
            outcome TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'away', 'refused')),
            note TEXT NOT NULL DEFAULT '',
            called_at INTEGER NOT NULL,
            called_by TEXT NOT NULL)""",
        "CREATE INDEX callback_round ON callback(round_id, household_id)",
        """CREATE TABLE care_checkin (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES household(id),
            day TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('safe', 'problem')),
            note TEXT NOT NULL DEFAULT '',
            checked_at INTEGER NOT NULL,
            checked_by TEXT NOT NULL)""",
        "CREATE INDEX care_checkin_day ON care_checkin(day, household_id)",
        """CREATE TABLE unit_report (
            id INTEGER PRIMARY KEY,
            grid_id INTEGER NOT NULL REFERENCES grid(id),
            day TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('normal', 'problem')),
            observer TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            reported_at INTEGER NOT NULL,
            recorded_by TEXT NOT NULL)""",
        "CREATE INDEX unit_report_day ON unit_report(day, grid_id)",
    ),
)
