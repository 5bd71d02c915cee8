"""Schema 6: supply handoffs (物资配送): the item catalogue, depot stock, household orders,
delivery runs bound to one grid, and the append-only handoff ledger.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

The ledger (``handoff``) is append-only in the database itself: triggers abort any UPDATE or
DELETE of its rows, so no bug and no hand-typed SQL can quietly change a record. A correction is
a new row pointing at the one it reverses. Stock on hand is kept by a trigger from each row's
``stock_delta`` and can never go below zero (CHECK), whatever the code above it does.
"""

from __future__ import annotations

CATEGORIES = ("grain_oil", "vegetables", "masks", "disinfectant", "medicine", "baby", "other")
ORDER_STATES = ("open", "on_run", "delivered", "cancelled")
HANDOFF_KINDS = ("receive", "dispatch", "deliver", "return", "cancel", "correction")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


V6 = (
    6,
    "supply handoffs: items, depot stock, orders, delivery runs, append-only handoff ledger",
    (
        f"""CREATE TABLE supply_item (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            unit TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN {_in(CATEGORIES)}),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL)""",
        """CREATE TABLE supply_stock (
            item_id INTEGER PRIMARY KEY REFERENCES supply_item(id),
            on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0))""",
        "CREATE TRIGGER supply_stock_new AFTER INSERT ON supply_item BEGIN"
        " INSERT INTO supply_stock (item_id) VALUES (NEW.id); END",
        """CREATE TABLE supply_run (
            id INTEGER PRIMARY KEY,
            root_id INTEGER NOT NULL REFERENCES grid(id),
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            pass_serial TEXT NOT NULL,
            pass_version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL)""",
        f"""CREATE TABLE supply_order (
            id INTEGER PRIMARY KEY,
            household_id INTEGER NOT NULL REFERENCES household(id),
            root_id INTEGER NOT NULL REFERENCES grid(id),
            urgent INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL CHECK (source IN ('hand', 'chain')),
            note TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN {_in(ORDER_STATES)}),
            run_id INTEGER REFERENCES supply_run(id),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL)""",
        "CREATE INDEX supply_order_state ON supply_order(state, root_id)",
        "CREATE INDEX supply_order_run ON supply_order(run_id)",
        """CREATE TABLE supply_order_line (
            order_id INTEGER NOT NULL REFERENCES supply_order(id),
            item_id INTEGER NOT NULL REFERENCES supply_item(id),
            quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 9999),
            PRIMARY KEY (order_id, item_id))""",
        # One row per handoff. item_id/quantity for goods moved; order_id for a door delivery.
        # day is the post's local calendar day, for "today's handoffs" without date arithmetic.
        f"""CREATE TABLE handoff (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN {_in(HANDOFF_KINDS)}),
            item_id INTEGER REFERENCES supply_item(id),
            quantity INTEGER NOT NULL DEFAULT 0,
            stock_delta INTEGER NOT NULL DEFAULT 0,
            order_id INTEGER REFERENCES supply_order(id),
            run_id INTEGER REFERENCES supply_run(id),
            staff_id INTEGER REFERENCES staff(id),
            root_id INTEGER REFERENCES grid(id),
            party TEXT NOT NULL DEFAULT '',
            corrects_id INTEGER REFERENCES handoff(id),
            reason TEXT NOT NULL DEFAULT '',
            at INTEGER NOT NULL,
            day TEXT NOT NULL,
            actor TEXT NOT NULL)""",
        "CREATE INDEX handoff_day ON handoff(day, root_id, kind)",
        "CREATE INDEX handoff_order ON handoff(order_id, kind)",
        "CREATE UNIQUE INDEX handoff_corrected_once ON handoff(corrects_id) WHERE corrects_id IS NOT NULL",
        "CREATE TRIGGER handoff_no_update BEFORE UPDATE ON handoff BEGIN"
        " SELECT RAISE(ABORT, 'handoff ledger is append-only: add a correction instead'); END",
        "CREATE TRIGGER handoff_no_delete BEFORE DELETE ON handoff BEGIN"
        " SELECT RAISE(ABORT, 'handoff ledger is append-only: add a correction instead'); END",
        "CREATE TRIGGER handoff_stock AFTER INSERT ON handoff WHEN NEW.stock_delta <> 0 BEGIN"
        " UPDATE supply_stock SET on_hand = on_hand + NEW.stock_delta WHERE item_id = NEW.item_id; END",
    ),
)
