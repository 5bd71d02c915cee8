"""Supply handoffs (物资配送, the seeds' "1-2-3" scheme): items, depot receipts, household orders,
delivery runs bound to one grid, door deliveries and corrections. Every write checks its rules in
one transaction (BEGIN IMMEDIATE), so two operators handing out the last units get one handoff and
one refusal.

The ledger (table ``handoff``) is append-only, enforced by triggers (db/schema/v6.py): nothing
here updates or deletes a ledger row. A correction is a new row that reverses an earlier one.
No 窜格: a run's volunteer must hold a VALID pass for the run's grid (db/passes/check.judge), and a
delivery is refused unless the pass is VALID at the household's grid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from db import fields as rules
from db.errors import CmdpostError, NotFound, RuleError
from db.grids.writes import BatchError
from db.models import database_proxy as db
from db.passes import check as pass_check
from db.records import RowProblem
from db.registers.writes import local_day
from db.supply import holdings as supply_holdings
from db.supply import queries as supply_queries
from db.vocab import SUPPLY_CATEGORIES as CATEGORIES

UNITS = ("斤", "kg", "份", "箱", "瓶", "盒", "袋", "包", "个", "桶")
MAX_QUANTITY = 9999  # more than any depot moves in one line: a typo, not an order
MAX_STOPS = 200


def quantity(raw: object) -> int:
    """A whole, positive, sane quantity in the item's own unit."""
    text = rules.clean(raw)
    # isdecimal, not isdigit: int() refuses some "digits" (𐩀); five figures already exceed the cap.
    if not text.isdecimal() or len(text) > 5:
        raise RuleError("supply.bad_quantity", value=text[:20])
    value = int(text)
    if not 1 <= value <= MAX_QUANTITY:
        raise RuleError("supply.bad_quantity", value=text)
    return value


def order_line(text: str) -> tuple[str, str]:
    """One ``ITEM=QTY`` as typed (a full-width ＝ too): the item as named, and its quantity as written,
    which add_order checks with ``quantity`` like any other. The item's name may itself hold "=".
    Raises RuleError("supply.bad_line") for text that names no item or has no "=" at all."""
    name, sep, qty = text.replace("＝", "=").rpartition("=")
    if not sep or not name:
        raise RuleError("supply.bad_line", value=text)
    return name, qty


def _item(name_or_id: object) -> tuple[int, str, str]:
    text = rules.plain(name_or_id)
    row = db.execute_sql(
        "SELECT id, name, unit FROM supply_item WHERE name = ? OR CAST(id AS TEXT) = ?"
        " ORDER BY name = ? DESC LIMIT 1",
        (text, text, text),
    ).fetchone()
    if row is None:
        raise NotFound("supply.unknown_item", item=text)
    return row


def _on_hand(item_id: int) -> int:
    return db.execute_sql("SELECT on_hand FROM supply_stock WHERE item_id = ?", (item_id,)).fetchone()[0]


def _log(kind: str, now: int, tz: ZoneInfo, actor: str, **cols: object) -> int:
    cols = {"kind": kind, "at": now, "day": local_day(now, tz), "actor": actor, **cols}
    names = ", ".join(cols)
    return db.execute_sql(
        f"INSERT INTO handoff ({names}) VALUES ({','.join('?' * len(cols))})", tuple(cols.values())
    ).lastrowid


# -- catalogue and depot --------------------------------------------------------------


def add_item(name: str, unit: str, category: str, *, actor: str, now: int) -> int:
    name = rules.required_text(name, "name", 30)
    unit = rules.plain(unit)
    if unit not in UNITS:
        raise RuleError("supply.bad_unit", value=unit, units=" ".join(UNITS))
    if category not in CATEGORIES:
        raise RuleError("supply.bad_category", value=category, categories=" ".join(CATEGORIES))
    with db.atomic():
        if db.execute_sql("SELECT 1 FROM supply_item WHERE name = ?", (name,)).fetchone():
            raise RuleError("supply.item_exists", item=name)
        return db.execute_sql(
            "INSERT INTO supply_item (name, unit, category, created_at, created_by) VALUES (?,?,?,?,?)",
            (name, unit, category, now, actor),
        ).lastrowid


def receive(item: object, amount: object, supplier: str, *, actor: str, now: int, tz: ZoneInfo) -> int:
    """Goods into the depot from a supplier or an online platform."""
    qty = quantity(amount)
    supplier = rules.required_text(supplier, "supplier", 60)
    with db.atomic():
        item_id, _, _ = _item(item)
        return _log("receive", now, tz, actor, item_id=item_id, quantity=qty, stock_delta=qty, party=supplier)


# -- orders ---------------------------------------------------------------------------


def add_order(
    grid_code: str,
    door: str,
    lines: Sequence[tuple[object, object]],
    *,
    urgent: bool = False,
    note: str = "",
    source: str = "hand",
    actor: str,
    now: int,
) -> int:
    """An order of one household (by door, within a grid) for items and quantities."""
    code = rules.grid_code(grid_code, "grid")
    door = rules.clean(door)
    if not lines:
        raise RuleError("supply.empty_order")
    with db.atomic():
        grid = db.execute_sql("SELECT root_id, id FROM grid WHERE code = ?", (code,)).fetchone()
        if grid is None:
            raise NotFound("grid.not_found", code=code)
        root_id = grid[0] or grid[1]
        household = db.execute_sql(
            "SELECT h.id FROM household h JOIN grid g ON g.id = h.grid_id WHERE h.root_id = ? AND h.door = ?"
            " AND (g.code = ? OR substr(g.code, 1, ?) = ?)",
            (root_id, door, code, len(code) + 1, code + "-"),
        ).fetchone()
        if household is None:
            raise NotFound("supply.unknown_door", door=door, grid=code)
        wanted: dict[int, int] = {}
        for item, amount in lines:
            item_id = _item(item)[0]
            wanted[item_id] = wanted.get(item_id, 0) + quantity(amount)
        urgent = _urgent(urgent, "id", tuple(wanted))
        order_id = db.execute_sql(
            "INSERT INTO supply_order (household_id, root_id, urgent, source, note, created_at, created_by)"
            " VALUES (?,?,?,?,?,?,?)",
            (household[0], root_id, int(urgent), source, rules.optional_text(note, "note"), now, actor),
        ).lastrowid
        db.cursor().executemany(
            "INSERT INTO supply_order_line (order_id, item_id, quantity) VALUES (?,?,?)",
            [(order_id, item_id, qty) for item_id, qty in wanted.items()],
        )
        return order_id


def _urgent(asked: bool, column: str, items: tuple) -> bool:
    # A medicine run (送药) is urgent, whoever took the order and however it was written.
    marks = ",".join("?" * len(items))
    return asked or bool(
        items
        and db.execute_sql(
            f"SELECT 1 FROM supply_item WHERE category = 'medicine' AND {column} IN ({marks})", items
        ).fetchone()
    )


def order_urgent(item_names: Sequence[str], asked: bool = False) -> bool:
    """Whether an order of these items is urgent, as add_order will place it (for a review before)."""
    return _urgent(asked, "name", tuple(item_names))


def add_orders(
    grid_code: str,
    orders: Sequence[tuple[str, Sequence[tuple[object, object]], bool, str]],
    *,
    source: str = "chain",
    actor: str,
    now: int,
    dry_run: bool = False,
) -> list[int]:
    """Many households' orders, (door, lines, urgent, note) each, as from a pasted chain: all or
    nothing. Every order that cannot be placed is a RowProblem at its index, and then nothing is
    written. Returns the new order ids (none kept with ``dry_run``)."""
    code = rules.grid_code(grid_code, "grid")
    problems, ids = [], []
    with db.atomic() as txn:
        if db.execute_sql("SELECT 1 FROM grid WHERE code = ?", (code,)).fetchone() is None:
            raise NotFound("grid.not_found", code=code)
        for index, (door, lines, urgent, note) in enumerate(orders):
            try:
                ids.append(
                    add_order(
                        code, door, lines, urgent=urgent, note=note, source=source, actor=actor, now=now
                    )
                )  # a savepoint each: a refused order leaves nothing behind
            except CmdpostError as err:
                problems.append(RowProblem(index, getattr(err, "column", "order"), err.key, dict(err.params)))
        if problems:
            raise BatchError(problems)
        if dry_run:
            txn.rollback()
    return ids


def _order(order_id: int) -> tuple:
    row = db.execute_sql(
        "SELECT o.id, o.state, o.root_id, o.run_id, g.code FROM supply_order o"
        " JOIN household h ON h.id = o.household_id JOIN grid g ON g.id = h.grid_id"
        " WHERE o.id = ?",
        (order_id,),
    ).fetchone()
    if row is None:
        raise NotFound("supply.no_order", order=order_id)
    return row


def cancel_order(order_id: int, reason: str, *, actor: str, now: int, tz: ZoneInfo) -> int:
    why = rules.reason(reason)
    with db.atomic():
        _, state, root_id, _, _ = _order(order_id)
        if state != "open":
            raise RuleError("supply.order_not_open", order=order_id, state=state)
        db.execute_sql("UPDATE supply_order SET state = 'cancelled' WHERE id = ?", (order_id,))
        return _log("cancel", now, tz, actor, order_id=order_id, root_id=root_id, reason=why)


# -- runs and deliveries ----------------------------------------------------------------


def _valid_pass(payload: str, key: Ed25519PublicKey, place: str, now: int):
    """The pass's register row, if the pass is VALID at ``place``; else refused with the verdict."""
    verdict, fields, row = pass_check.judge(payload, key, now=now, place=place, register=True)
    if verdict != "VALID":
        raise RuleError("supply.pass_refused", verdict=verdict, place=place)
    return row


def create_run_of_next(
    payload: str, grid_code: str, stops: int, *, key: Ed25519PublicKey, actor: str, now: int, tz: ZoneInfo
) -> tuple[int, int]:
    """(run, stops) for the grid's next ``stops`` open orders, in the order the open list shows them
    (urgent and special care first): what the console's "form a run" does."""
    if not 1 <= stops <= MAX_STOPS:
        raise RuleError("supply.too_many_stops", stops=stops, max=MAX_STOPS)
    code = rules.grid_code(grid_code, "grid").split("-")[0]  # a sub-grid's order goes out with its grid's run
    with db.atomic():  # the orders chosen and taken in one transaction: no other run takes them between
        orders = [row.id for row in supply_queries.orders(code, limit=stops)]
        return create_run(payload, orders, code, key=key, actor=actor, now=now, tz=tz), len(orders)


def create_run(
    payload: str,
    order_ids: Iterable[int],
    grid_code: str,
    *,
    key: Ed25519PublicKey,
    actor: str,
    now: int,
    tz: ZoneInfo,
    staff_id: int | None = None,
) -> int:
    """Gather open orders of one grid into a run for the pass holder; the goods leave the depot."""
    code = rules.grid_code(grid_code, "grid")
    order_ids = sorted(set(order_ids))
    if not order_ids:
        raise RuleError("supply.empty_run")
    if len(order_ids) > MAX_STOPS:  # one volunteer, one voucher, one afternoon
        raise RuleError("supply.too_many_stops", stops=len(order_ids), max=MAX_STOPS)
    with db.atomic():
        grid = db.execute_sql("SELECT id, level FROM grid WHERE code = ?", (code,)).fetchone()
        if grid is None:
            raise NotFound("grid.not_found", code=code)
        if grid[1]:
            raise RuleError("supply.run_needs_top_grid", code=code)
        holder = _valid_pass(payload, key, code, now)
        if staff_id is not None and holder.staff_id != staff_id:
            raise RuleError("supply.pass_not_staff", serial=holder.serial, staff=staff_id)
        for order_id in order_ids:
            _, state, root_id, _, _ = _order(order_id)
            if root_id != grid[0]:
                raise RuleError("supply.order_other_grid", order=order_id, grid=code)
            if state != "open":
                raise RuleError("supply.order_not_open", order=order_id, state=state)
        marks = ",".join("?" * len(order_ids))
        totals = db.execute_sql(
            f"SELECT l.item_id, i.name, i.unit, sum(l.quantity), s.on_hand FROM supply_order_line l"
            f" JOIN supply_item i ON i.id = l.item_id JOIN supply_stock s ON s.item_id = l.item_id"
            f" WHERE l.order_id IN ({marks}) GROUP BY l.item_id ORDER BY i.name",
            order_ids,
        ).fetchall()
        for _, name, unit, wanted, on_hand in totals:
            if wanted > on_hand:
                raise RuleError("supply.short", item=name, wanted=wanted, on_hand=on_hand, unit=unit)
        run_id = db.execute_sql(
            "INSERT INTO supply_run (root_id, staff_id, pass_serial, pass_version, created_at, created_by)"
            " VALUES (?,?,?,?,?,?)",
            (grid[0], holder.staff_id, holder.serial, holder.version, now, actor),
        ).lastrowid
        db.execute_sql(
            f"UPDATE supply_order SET state = 'on_run', run_id = ? WHERE id IN ({marks})",
            (run_id, *order_ids),
        )
        for item_id, _, _, wanted, _ in totals:
            _log(
                "dispatch",
                now,
                tz,
                actor,
                item_id=item_id,
                quantity=wanted,
                stock_delta=-wanted,
                run_id=run_id,
                staff_id=holder.staff_id,
                root_id=grid[0],
                party=holder.name,
            )
        return run_id


def _delivery(payload: str, order_id: int, key: Ed25519PublicKey, now: int, tz: ZoneInfo) -> tuple:
    """(root, run, holder) of a delivery that may be recorded now; else refused, saying why. Run
    inside the caller's transaction: what it checks still holds when the delivery is written."""
    _, state, root_id, run_id, household_grid = _order(order_id)
    if state == "delivered":
        handoff, at = db.execute_sql(
            "SELECT id, at FROM handoff WHERE order_id = ? AND kind = 'deliver' ORDER BY id DESC LIMIT 1",
            (order_id,),
        ).fetchone()
        raise RuleError(
            "supply.already_delivered",
            order=order_id,
            handoff=handoff,
            at=at,
            when=supply_holdings.when(at, tz),
        )
    if state != "on_run":
        raise RuleError("supply.order_not_on_run", order=order_id, state=state)
    holder = _valid_pass(payload, key, household_grid, now)
    run_staff = db.execute_sql("SELECT staff_id FROM supply_run WHERE id = ?", (run_id,)).fetchone()[0]
    if holder.staff_id != run_staff:
        raise RuleError("supply.not_your_run", order=order_id, run=run_id)
    supply_holdings.check_run_holds(order_id, run_id, tz)
    return root_id, run_id, holder


def check_delivery(payload: str, order_id: int, *, key: Ed25519PublicKey, now: int, tz: ZoneInfo) -> None:
    """Whether deliver() would record this delivery now, writing nothing: the same refusal it would
    give (the logging screen asks before it asks who received the goods)."""
    with db.atomic("DEFERRED"):  # one consistent look that takes no write lock; nothing is written
        _delivery(payload, order_id, key, now, tz)


def deliver(
    payload: str,
    order_id: int,
    *,
    key: Ed25519PublicKey,
    received_by: str = "",
    actor: str,
    now: int,
    tz: ZoneInfo,
) -> int:
    """A door delivery by the run's volunteer, whose pass must be VALID at the household's grid, of
    goods the run still holds."""
    received_by = rules.optional_text(received_by, "received_by", 30)
    with db.atomic():
        root_id, run_id, holder = _delivery(payload, order_id, key, now, tz)
        db.execute_sql("UPDATE supply_order SET state = 'delivered' WHERE id = ?", (order_id,))
        return _log(
            "deliver",
            now,
            tz,
            actor,
            order_id=order_id,
            run_id=run_id,
            staff_id=holder.staff_id,
            root_id=root_id,
            party=received_by,
        )


def correct(handoff_id: int, reason: str, *, actor: str, now: int, tz: ZoneInfo) -> int:
    """A new ledger row reversing an earlier one: its stock movement is undone, a delivery reopened."""
    why = rules.reason(reason)
    with db.atomic():
        row = db.execute_sql(
            "SELECT kind, item_id, quantity, stock_delta, order_id, run_id, staff_id, root_id"
            " FROM handoff WHERE id = ?",
            (handoff_id,),
        ).fetchone()
        if row is None:
            raise NotFound("supply.no_handoff", handoff=handoff_id)
        kind, item_id, qty, delta, order_id, run_id, staff_id, root_id = row
        if kind == "correction":
            raise RuleError("supply.correct_correction", handoff=handoff_id)
        if (
            kind == "dispatch"
        ):  # its orders are out on the run: undoing only the stock would count goods twice
            raise RuleError("supply.correct_dispatch", handoff=handoff_id, run=run_id)
        if db.execute_sql("SELECT id FROM handoff WHERE corrects_id = ?", (handoff_id,)).fetchone():
            raise RuleError("supply.already_corrected", handoff=handoff_id)
        if delta > 0 and _on_hand(item_id) < delta:  # received goods already handed on cannot be un-received
            name, unit = db.execute_sql(
                "SELECT name, unit FROM supply_item WHERE id = ?", (item_id,)
            ).fetchone()
            raise RuleError("supply.short", item=name, wanted=delta, on_hand=_on_hand(item_id), unit=unit)
        if kind == "deliver":
            db.execute_sql("UPDATE supply_order SET state = 'on_run' WHERE id = ?", (order_id,))
        elif kind == "cancel":
            db.execute_sql("UPDATE supply_order SET state = 'open' WHERE id = ?", (order_id,))
        return _log(
            "correction",
            now,
            tz,
            actor,
            item_id=item_id,
            quantity=qty,
            stock_delta=-delta,
            order_id=order_id,
            run_id=run_id,
            staff_id=staff_id,
            root_id=root_id,
            corrects_id=handoff_id,
            reason=why,
        )


def return_goods(
    run_id: int,
    item: object,
    amount: object,
    *,
    received_by: str,
    reason: str = "",
    actor: str,
    now: int,
    tz: ZoneInfo,
) -> int:
    """Goods a volunteer brings back to the depot from a run (退回): back into stock. No more can come
    back than the run still holds: what went out, less what reached a door and what came back before."""
    qty = quantity(amount)
    received_by = rules.required_text(received_by, "received_by", 30)
    with db.atomic():
        run = db.execute_sql("SELECT staff_id, root_id FROM supply_run WHERE id = ?", (run_id,)).fetchone()
        if run is None:
            raise NotFound("supply.no_run", run=run_id)
        item_id, name, unit = _item(item)
        held = supply_holdings.held(run_id, item_id)
        if qty > held:
            raise RuleError(
                "supply_returns.too_many", item=name, wanted=qty, held=max(held, 0), unit=unit, run=run_id
            )
        return _log(
            "return",
            now,
            tz,
            actor,
            item_id=item_id,
            quantity=qty,
            stock_delta=qty,
            run_id=run_id,
            staff_id=run[0],
            root_id=run[1],
            party=received_by,
            reason=rules.optional_text(reason, "reason"),
        )
