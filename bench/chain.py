"""Reading untrusted text: a 100,000-line chain message (households, and orders against a menu), the
decision over a village's chain matched against its register, and a 10 kB payload at the pass checker.

    python -m bench.chain [--runs N] [--scale village|county|region]

(The chain's length does not grow with the post; the village takes 10,000 lines, for a quick check.)
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.coverage import median_ms
from bench.posts import SCALES

MENU = [("大米", "斤"), ("食用油", "瓶"), ("青菜", "斤"), ("蔬菜包", "份"), ("土豆", "斤")]
VILLAGE = 5_000  # households in one grid, and lines in its chain


def plan_ms(runs: int) -> float:
    """db/chain_plan over a 5,000-line testing chain, doors written short and in other notations."""
    from db.connection import open_database
    from db.grids.writes import upsert_grids, upsert_households
    from db.intake import chain_plan
    from db.records import GridInput, HouseholdInput

    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "bench.db")
        try:
            upsert_grids([GridInput("1", "一网格")], actor="bench")
            upsert_households(
                [
                    HouseholdInput("1", f"花厅口村{n}号", 4, "", None, None, None)
                    for n in range(1, VILLAGE + 1)
                ],
                actor="bench",
            )
            text = "\n".join(
                f"{n}. {'' if n % 3 else '花厅口村'}{n}號 {n % 4 + 1}人已做" for n in range(1, VILLAGE + 1)
            )
            return median_ms(lambda: chain_plan.plan_chain("tests", "1", text), runs)
        finally:
            database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", choices=SCALES, default="county")
    args = parser.parse_args()
    from db.intake.chain import read_chain
    from db.passes import codec as pass_codec

    lines = 10_000 if args.scale == "village" else 100_000
    from db.intake.orders_chain import read_order_chain

    text = "\n".join(f"{n}. 花厅口村{n}号 {n % 6 + 1}人 138{n:08d}（含1名婴儿）" for n in range(1, lines + 1))
    chain_ms = median_ms(lambda: read_chain(text), args.runs)
    orders = "\n".join(
        f"{n}. 花厅口村{n}号 {n % 9 + 1}斤土豆 大米{n % 20 + 1}斤、食用油x1" for n in range(1, 100_001)
    )
    orders_ms = median_ms(lambda: read_order_chain(orders, MENU), max(1, args.runs // 2))
    village_ms = plan_ms(args.runs)
    junk = "CP1.1-0001.1.4.TOV0G0.TP7Z40." + "A" * 10_000
    assert pass_codec.parse(junk) is None  # refused as MALFORMED before any signature work
    junk_ms = median_ms(lambda: pass_codec.parse(junk), max(args.runs, 20))
    print(
        f"chain reader: {lines:,} lines in {chain_ms:.0f} ms; 100,000 order lines in {orders_ms:.0f} ms; "
        f"a {VILLAGE:,}-line chain decided against its register in {village_ms:.0f} ms; "
        f"a 10 kB payload refused in {junk_ms:.2f} ms (median of {args.runs})"
    )


if __name__ == "__main__":
    main()
