"""Logging a handoff at county scale: a million ledger rows, one delivery saved durably.

    python -m bench.handoff [--runs N] [--scale village|county|region | --rows N] [--rebuild]

The database is the village demo with about a million more ledger records at county scale (3M
at a region; 500,000 delivered orders a million: a dispatch and a door delivery each, over 30
days), added with direct ``executemany`` (row audit off: a bulk load, not a million deliveries)
and kept in the bench folder beside the demo posts (built once, about a minute a million).

Measured through the real paths: ``db.supply.writes.deliver`` (pass check, the order's rules, the
ledger row; WAL with synchronous=FULL, so each delivery is on disk when it returns) and
``db.passes.check.judge`` / ``scan`` for a scanned pass, signed in as the demo's operator. Target:
a delivery saved in 2 ms or less (median), at 3M ledger rows.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.posts import LEDGER_ROWS, SCALES, bench_dir, ensure_demo, verdict
from db.audit.guard import Guard

DAY = 86400
TARGET_MS = 2.0


def bench_path(rows: int) -> Path:
    return bench_dir() / f"bench-handoff-{rows}.db"


def build(path: Path, rows: int) -> None:
    """The village demo, then ``rows`` more ledger records written straight into the tables."""
    tmp = path.with_suffix(".tmp")
    shutil.copyfile(ensure_demo("village"), tmp)
    con = sqlite3.connect(tmp)
    # The schema's triggers call the functions every cmdpost connection carries; with row audit off
    # they record nothing (a bench load, not a million deliveries), and the open guard allows all.
    Guard(row_audit={"insert": False, "update": False, "delete": False}).install(con)
    rng = random.Random(8)
    households = con.execute("SELECT id, root_id FROM household").fetchall()
    staff = [r[0] for r in con.execute("SELECT id FROM staff")]
    items = [r[0] for r in con.execute("SELECT id FROM supply_item")]
    start = int(time.time()) - 31 * DAY
    orders = rows // 2
    base_order = con.execute("SELECT coalesce(max(id), 0) FROM supply_order").fetchone()[0] + 1
    base_run = con.execute("SELECT coalesce(max(id), 0) FROM supply_run").fetchone()[0] + 1
    with con:
        # Enough stock received up front that no dispatch below takes the depot under zero.
        con.executemany(
            "INSERT INTO handoff (kind, item_id, quantity, stock_delta, party, at, day, actor)"
            " VALUES ('receive', ?, ?, ?, 'bench', ?, date(?, 'unixepoch'), 'bench')",
            [(item, 10 * orders, 10 * orders, start, start) for item in items],
        )
        con.executemany(
            "INSERT INTO supply_run (id, root_id, staff_id, pass_serial, pass_version, created_at,"
            " created_by) VALUES (?, 1, ?, 'bench', 1, ?, 'bench')",
            [(base_run + n, rng.choice(staff), start) for n in range(orders // 8 + 1)],
        )
        order_rows, line_rows, ledger = [], [], []
        for n in range(orders):
            oid, run = base_order + n, base_run + n // 8
            household, root = rng.choice(households)
            at = start + n * (30 * DAY // orders)
            item, qty = rng.choice(items), rng.randint(1, 10)
            order_rows.append((oid, household, root, run, at))
            line_rows.append((oid, item, qty))
            day = time.strftime("%Y-%m-%d", time.gmtime(at + 8 * 3600))
            ledger.append(("dispatch", item, qty, -qty, None, run, root, at, day))
            ledger.append(("deliver", None, 0, 0, oid, run, root, at + 1800, day))
        con.executemany(
            "INSERT INTO supply_order (id, household_id, root_id, urgent, source, state, run_id,"
            " created_at, created_by) VALUES (?, ?, ?, 0, 'chain', 'delivered', ?, ?, 'bench')",
            order_rows,
        )
        con.executemany(
            "INSERT INTO supply_order_line (order_id, item_id, quantity) VALUES (?, ?, ?)", line_rows
        )
        con.executemany(
            "INSERT INTO handoff (kind, item_id, quantity, stock_delta, order_id, run_id, root_id, at, day,"
            " actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')",
            ledger,
        )
    con.execute("ANALYZE")
    con.close()
    tmp.replace(path)


def bare_commit_ms(folder: Path, runs: int) -> float:
    """The reference: one row inserted and committed durably (WAL, synchronous=FULL) on the same
    disk, so that a delivery's time can be read against what the disk's flush costs right now."""
    scratch = folder / "bench-handoff-bare.db"
    con = sqlite3.connect(scratch, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("CREATE TABLE IF NOT EXISTS t (x)")
    samples = []
    for n in range(runs):
        began = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t VALUES (?)", (n,))
        con.execute("COMMIT")
        samples.append((time.perf_counter() - began) * 1000)
    con.close()
    for leftover in folder.glob(scratch.name + "*"):
        leftover.unlink(missing_ok=True)
    return statistics.median(samples)


def measure(path: Path, runs: int) -> dict:
    from db.accounts import operators as accounts
    from db.connection import open_database
    from db.demo.accounts import DEMO_PIN
    from db.passes import check as pass_check
    from db.passes import issuing as passes
    from db.supply import writes as supply

    database = open_database(path)
    accounts.sign_in("zhiban", DEMO_PIN, now=int(time.time()))  # the demo's operator logs handoffs
    tz = ZoneInfo("Asia/Shanghai")
    now = int(time.time())
    holder = next(r for r in passes.register(now) if r.status == "active")
    key = Ed25519PrivateKey.generate()  # the register row is real; only the signature is the bench's own
    payload, verifier = passes.payload_for(holder, key), key.public_key()
    door = database.execute_sql(
        "SELECT h.door FROM household h JOIN grid g ON g.id = h.root_id WHERE g.code = ? LIMIT 1",
        (holder.grid_code,),
    ).fetchone()[0]
    item = database.execute_sql("SELECT name FROM supply_item ORDER BY id LIMIT 1").fetchone()[0]
    orders = [
        supply.add_order(holder.grid_code, door, [(item, 1)], actor="bench", now=now) for _ in range(runs)
    ]
    supply.create_run(payload, orders, holder.grid_code, key=verifier, actor="bench", now=now, tz=tz)
    ledger = database.execute_sql("SELECT count(*) FROM handoff").fetchone()[0]

    def timed(action) -> list[float]:
        samples = []
        for arg in orders:
            began = time.perf_counter()
            action(arg)
            samples.append((time.perf_counter() - began) * 1000)
        return samples

    deliver = timed(
        lambda oid: supply.deliver(
            payload, oid, key=verifier, received_by="户主", actor="bench", now=now, tz=tz
        )
    )
    judge = timed(
        lambda _: pass_check.judge(payload, verifier, now=now, place=holder.grid_code, register=True)
    )
    scan = timed(
        lambda _: pass_check.scan(payload, verifier, now=now, place=holder.grid_code, operator="bench")
    )
    database.close()

    def figures(samples: list[float]) -> tuple[float, float]:
        return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]

    return {
        "ledger": ledger,
        "deliver": figures(deliver),
        "judge": figures(judge),
        "scan": figures(scan),
        "bare": bare_commit_ms(path.parent, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="deliveries (and scans) timed")
    parser.add_argument("--scale", choices=SCALES, default="county", help="the ledger's size (LEDGER_ROWS)")
    parser.add_argument("--rows", type=int, help="ledger records to add to the village demo instead")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    rows = args.rows or LEDGER_ROWS[args.scale]
    path = bench_path(rows)
    if args.rebuild or not path.exists():
        began = time.perf_counter()
        build(path, rows)
        print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - began:.0f} s")
    # Each sample adds a delivery to the cached file: start from a copy so that runs compare.
    work = path.with_name("bench-handoff-run.db")
    shutil.copyfile(path, work)
    try:
        result = measure(work, max(args.runs, 20))
    finally:
        for leftover in work.parent.glob(work.name + "*"):  # -wal, -shm, and a migration's .vN.bak
            leftover.unlink(missing_ok=True)
    for label, key in (
        ("delivery saved (db.supply.writes.deliver, synchronous=FULL)", "deliver"),
        ("pass verified (pass_check.judge)", "judge"),
        ("pass scanned and recorded (scan)", "scan"),
    ):
        median, p95 = result[key]
        print(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms, at {result['ledger']:,} ledger rows")
    print(
        f"  target: a delivery saved in <= {TARGET_MS:.0f} ms (median): {verdict(result['deliver'][0] <= TARGET_MS)};"
        f" reference: one bare durable insert on the same disk {result['bare']:.2f} ms,"
        f" ratio {result['deliver'][0] / max(result['bare'], 0.01):.1f}x"
    )


if __name__ == "__main__":
    main()
