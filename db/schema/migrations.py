"""Schema versions and the migrations between them.

The version lives in SQLite's ``PRAGMA user_version``. Each migration is a list
of SQL statements applied in one transaction together with the version bump,
so a power cut mid-upgrade leaves the file at the old version, intact.
Migrations are only ever appended: a released one is never edited.
"""

from __future__ import annotations

from dataclasses import dataclass

# Frozen copies for schemas 1 to 3: live code takes its lists from db/vocab.py.
ZONES = ("sealed", "controlled", "precaution")
ROLES = ("grid_leader", "grid_worker", "liaison", "volunteer", "cadre", "medic")
POST_KINDS = ("checkpoint", "control_point", "isolation_point", "depot", "delivery_point")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Migration:
    version: int
    summary: str
    statements: tuple[str, ...]


V1 = Migration(
    1,
    "grids, zone history, teams, staff, households, duty posts",
    (
        """CREATE TABLE post_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL)""",
        f"""CREATE TABLE grid (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            parent_id INTEGER REFERENCES grid(id),
            root_id INTEGER REFERENCES grid(id),
            level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 2),
            sort_key TEXT NOT NULL,
            leader_id INTEGER REFERENCES staff(id) ON DELETE SET NULL,
            zone TEXT NOT NULL DEFAULT 'precaution' CHECK (zone IN {_in(ZONES)}))""",
        "CREATE INDEX grid_parent ON grid(parent_id, sort_key)",
        "CREATE INDEX grid_root ON grid(root_id, sort_key)",
        f"""CREATE TABLE zone_change (
            id INTEGER PRIMARY KEY,
            grid_id INTEGER NOT NULL REFERENCES grid(id),
            old_zone TEXT CHECK (old_zone IS NULL OR old_zone IN {_in(ZONES)}),
            new_zone TEXT NOT NULL CHECK (new_zone IN {_in(ZONES)}),
            reason TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT NOT NULL)""",
        "CREATE INDEX zone_change_grid ON zone_change(grid_id, changed_at)",
        """CREATE TABLE team (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '')""",
        f"""CREATE TABLE staff (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            phone TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN {_in(ROLES)}),
            birth_year INTEGER,
            party_member INTEGER NOT NULL DEFAULT 0,
            home_grid_id INTEGER NOT NULL REFERENCES grid(id),
            root_id INTEGER NOT NULL REFERENCES grid(id),
            team_id INTEGER REFERENCES team(id),
            last_negative_test TEXT,
            note TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1)""",
        "CREATE UNIQUE INDEX staff_phone ON staff(phone) WHERE phone <> ''",
        "CREATE INDEX staff_root ON staff(root_id, name)",
        "CREATE INDEX staff_home ON staff(home_grid_id)",
        """CREATE TABLE household (
            id INTEGER PRIMARY KEY,
            grid_id INTEGER NOT NULL REFERENCES grid(id),
            root_id INTEGER NOT NULL REFERENCES grid(id),
            door TEXT NOT NULL,
            door_sort TEXT NOT NULL,
            head_name TEXT NOT NULL DEFAULT '',
            people INTEGER NOT NULL CHECK (people BETWEEN 1 AND 99),
            phone TEXT NOT NULL DEFAULT '',
            care_tags TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '')""",
        "CREATE UNIQUE INDEX household_door ON household(root_id, door)",
        "CREATE INDEX household_order ON household(root_id, door_sort)",
        "CREATE INDEX household_grid ON household(grid_id, door_sort)",
        "CREATE INDEX household_phone ON household(phone)",
        "CREATE INDEX household_head ON household(head_name)",
        f"""CREATE TABLE duty_post (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN {_in(POST_KINDS)}),
            grid_id INTEGER NOT NULL REFERENCES grid(id),
            name TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX duty_post_grid ON duty_post(grid_id)",
    ),
)

# Counts shown on the dashboard are kept by triggers in the same transaction as
# the write, so a tile never needs a scan of 150,000 households.
_ANCESTORS = (
    "SELECT id FROM grid WHERE id = {g} UNION SELECT parent_id FROM grid WHERE id = {g}"
    " UNION SELECT root_id FROM grid WHERE id = {g}"
)


def _bump(grid: str, sign: str, row: str) -> str:
    return (
        f"UPDATE grid_total SET households = households {sign} 1,"
        f" residents = residents {sign} {row}.people,"
        f" care_households = care_households {sign} ({row}.care_tags <> '')"
        f" WHERE grid_id IN ({_ANCESTORS.format(g=grid)});"
    )


def _staff_bump(grid: str, sign: str, row: str) -> str:
    return (
        f"UPDATE grid_total SET staff = staff {sign} {row}.active"
        f" WHERE grid_id IN ({_ANCESTORS.format(g=grid)});"
    )


V2 = Migration(
    2,
    "kept per-grid totals for the dashboard",
    (
        """CREATE TABLE grid_total (
            grid_id INTEGER PRIMARY KEY REFERENCES grid(id) ON DELETE CASCADE,
            households INTEGER NOT NULL DEFAULT 0,
            residents INTEGER NOT NULL DEFAULT 0,
            care_households INTEGER NOT NULL DEFAULT 0,
            staff INTEGER NOT NULL DEFAULT 0)""",
        """CREATE TRIGGER grid_total_new AFTER INSERT ON grid BEGIN
            INSERT INTO grid_total (grid_id) VALUES (NEW.id); END""",
        f"CREATE TRIGGER household_total_ins AFTER INSERT ON household BEGIN"
        f" {_bump('NEW.grid_id', '+', 'NEW')} END",
        f"CREATE TRIGGER household_total_del AFTER DELETE ON household BEGIN"
        f" {_bump('OLD.grid_id', '-', 'OLD')} END",
        f"CREATE TRIGGER household_total_upd AFTER UPDATE OF grid_id, people, care_tags"
        f" ON household BEGIN {_bump('OLD.grid_id', '-', 'OLD')}"
        f" {_bump('NEW.grid_id', '+', 'NEW')} END",
        f"CREATE TRIGGER staff_total_ins AFTER INSERT ON staff BEGIN"
        f" {_staff_bump('NEW.home_grid_id', '+', 'NEW')} END",
        f"CREATE TRIGGER staff_total_del AFTER DELETE ON staff BEGIN"
        f" {_staff_bump('OLD.home_grid_id', '-', 'OLD')} END",
        f"CREATE TRIGGER staff_total_upd AFTER UPDATE OF home_grid_id, active ON staff BEGIN"
        f" {_staff_bump('OLD.home_grid_id', '-', 'OLD')}"
        f" {_staff_bump('NEW.home_grid_id', '+', 'NEW')} END",
        # Backfill for files written at version 1.
        "INSERT INTO grid_total (grid_id) SELECT id FROM grid",
        """UPDATE grid_total SET
            households = (SELECT count(*) FROM household h JOIN grid g ON g.id = h.grid_id
                          WHERE grid_total.grid_id IN (g.id, g.parent_id, g.root_id)),
            residents = (SELECT coalesce(sum(h.people), 0) FROM household h
                          JOIN grid g ON g.id = h.grid_id
                          WHERE grid_total.grid_id IN (g.id, g.parent_id, g.root_id)),
            care_households = (SELECT count(*) FROM household h JOIN grid g ON g.id = h.grid_id
                          WHERE h.care_tags <> ''
                          AND grid_total.grid_id IN (g.id, g.parent_id, g.root_id)),
            staff = (SELECT count(*) FROM staff s JOIN grid g ON g.id = s.home_grid_id
                          WHERE s.active = 1
                          AND grid_total.grid_id IN (g.id, g.parent_id, g.root_id))""",
    ),
)

ASSIGNMENT_STATES = ("assigned", "present", "done", "no_show")

V3 = Migration(
    3,
    "duty rosters: staffing need per post, shifts, assignments with attendance",
    (
        "ALTER TABLE duty_post ADD COLUMN need INTEGER NOT NULL DEFAULT 2 CHECK (need BETWEEN 0 AND 50)",
        "ALTER TABLE duty_post ADD COLUMN night_need INTEGER CHECK (night_need BETWEEN 0 AND 50)",
        # Times are UTC epoch seconds: shifts cross midnight and daylight-free
        # arithmetic on integers keeps the overlap and rest rules exact.
        """CREATE TABLE shift (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES duty_post(id),
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            needed INTEGER NOT NULL CHECK (needed BETWEEN 0 AND 50),
            night INTEGER NOT NULL DEFAULT 0,
            cancelled INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            CHECK (ends_at > starts_at))""",
        "CREATE UNIQUE INDEX shift_post_start ON shift(post_id, starts_at) WHERE cancelled = 0",
        "CREATE INDEX shift_time ON shift(starts_at, ends_at)",
        f"""CREATE TABLE assignment (
            id INTEGER PRIMARY KEY,
            shift_id INTEGER NOT NULL REFERENCES shift(id),
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            state TEXT NOT NULL DEFAULT 'assigned' CHECK (state IN {_in(ASSIGNMENT_STATES)}),
            override_reason TEXT NOT NULL DEFAULT '',
            warnings TEXT NOT NULL DEFAULT '',
            checked_in_at INTEGER,
            checked_out_at INTEGER,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            removed_at TEXT,
            removed_by TEXT)""",
        "CREATE UNIQUE INDEX assignment_live ON assignment(shift_id, staff_id) WHERE removed_at IS NULL",
        "CREATE INDEX assignment_staff ON assignment(staff_id) WHERE removed_at IS NULL",
    ),
)

# Later migrations live in files of their own, one per version, as plain data.
from db.schema.v4 import V4  # noqa: E402
from db.schema.v5 import V5  # noqa: E402
from db.schema.v6 import V6  # noqa: E402
from db.schema.v7 import V7  # noqa: E402
from db.schema.v8 import V8  # noqa: E402
from db.schema.v9 import V9  # noqa: E402
from db.schema.v10 import V10  # noqa: E402
from db.schema.v11 import V11  # noqa: E402
from db.schema.v12 import V12  # noqa: E402
from db.schema.v13 import V13  # noqa: E402

MIGRATIONS: tuple[Migration, ...] = (
    V1,
    V2,
    V3,
    Migration(*V4),
    Migration(*V5),
    Migration(*V6),
    Migration(*V7),
    Migration(*V8),
    Migration(*V9),
    Migration(*V10),
    Migration(*V11),
    Migration(*V12),
    Migration(*V13),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
