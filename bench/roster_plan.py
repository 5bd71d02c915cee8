"""The roster plan against hand-filling, on the same gaps of the village and county demos.

    python -m bench.roster_plan [--village PATH] [--county PATH] [--county-days N] [--seconds S]

Hand-filling is the best-first greedy fill an operator does today: each open place in time order
takes the top of the ranked candidate list (db.roster.queries.candidates), overridden with a reason
when it has warnings, through writes.assign. Both run on copies of the demo, from the day after the
demo's "today", judged at 07:00 that day. Figures: places filled and left open, soft rules broken
(by rule), nights per person over the rolling week (min, max, spread), and the time taken: on the
clock, and in CPU seconds (all threads, the solver's too), which says what a machine to itself would
take when the bench shares its cores with other work.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

DUTY_TZ = ZoneInfo("Asia/Shanghai")


def first_day_and_now(path: Path):
    from db.connection import open_database
    from db.models import database_proxy as db

    database = open_database(path)
    first = db.execute_sql("SELECT min(starts_at) FROM shift").fetchone()[0]
    database.close()
    day = (
        datetime.fromtimestamp(first, DUTY_TZ) + timedelta(days=2)
    ).date()  # the demo starts a day before today
    return day, int(datetime(day.year, day.month, day.day, 7, tzinfo=DUTY_TZ).timestamp())


def run_plan(path: Path, days: int, seconds: int, stretch: bool = False) -> dict:
    from db.connection import open_database
    from db.roster import planner
    from db.roster.settings import Duty, Rules

    duty = Duty(Rules(), DUTY_TZ)
    day, now = first_day_and_now(path)
    database = open_database(path)
    began, cpu = time.perf_counter(), time.process_time()
    problem = planner.gather(duty, day, days, now)
    read = time.perf_counter() - began
    result = planner.solve_problem(problem, duty, seconds=seconds, stretch=stretch)
    total, cpu = time.perf_counter() - began, time.process_time() - cpu
    database.close()
    broken = Counter(v.code for a in result.assignments for v in a.warnings)
    return {
        "places": sum(problem.open_count.values()),
        "filled": len(result.assignments),
        "open": sum(o.open for o in result.open_places),
        "soft": dict(broken),
        "nights": (result.fairness.nights_min, result.fairness.nights_max, result.fairness.nights_spread),
        "seconds": total,
        "cpu_seconds": cpu,
        "read_seconds": read,
        "complete": result.complete,
    }


def run_greedy(path: Path, days: int) -> dict:
    from db.connection import open_database
    from db.models import database_proxy as db
    from db.roster import planner, writes
    from db.roster.queries import candidates
    from db.roster.settings import Duty, Rules

    duty = Duty(Rules(), DUTY_TZ)
    day, now = first_day_and_now(path)
    database = open_database(path)
    from db.audit.guard import Session, guard_of

    guard_of(database).session = Session(
        0, "bench", "operator"
    )  # a throw-away copy: the bench writes as operator
    problem = planner.gather(duty, day, days, now)
    began, cpu = time.perf_counter(), time.process_time()
    filled, broken = 0, Counter()
    for shift_id in sorted(problem.open_count, key=lambda s: (problem.shifts[s].starts_at, s)):
        for _ in range(problem.open_count[shift_id]):
            ranked = candidates(duty, shift_id, now, limit=1)
            if not ranked:
                break
            top = ranked[0]
            writes.assign(duty, top.staff_id, shift_id, actor="bench", override="人手不足", now=now)
            filled += 1
            broken.update(v.code for v in top.warnings)
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    people = [r[0] for r in db.execute_sql("SELECT id FROM staff WHERE active = 1").fetchall()]
    span = (min(problem.start, problem.end - 7 * 86400), problem.end)
    fair = planner.fairness(people, writes.booked_near(people, *span), span)
    database.close()
    places = sum(problem.open_count.values())
    return {
        "places": places,
        "filled": filled,
        "open": places - filled,
        "soft": dict(broken),
        "nights": (fair.nights_min, fair.nights_max, fair.nights_spread),
        "seconds": took,
        "cpu_seconds": cpu,
    }


def line(name: str, figures: dict) -> str:
    low, high, spread = figures["nights"]
    soft = sum(figures["soft"].values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(figures["soft"].items())) or "none"
    return (
        f"  {name:<8} filled {figures['filled']:>6} of {figures['places']:>6}, open {figures['open']:>6}; "
        f"soft rules broken {soft:>5} ({detail}); nights per person {low}-{high} (spread {spread}); "
        f"{figures['seconds']:.1f} s ({figures['cpu_seconds']:.1f} s of CPU)"
    )


def compare(label: str, source: Path, days: int, seconds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan_copy, greedy_copy = Path(folder) / "plan.db", Path(folder) / "greedy.db"
        shutil.copy(source, plan_copy)
        shutil.copy(source, greedy_copy)
        plan = run_plan(plan_copy, days, seconds)
        stretched = run_plan(
            plan_copy, days, seconds, stretch=True
        )  # a plan only reads: same copy, same gaps
        greedy = run_greedy(greedy_copy, days)
    print(f"{label}, {days} day(s):")
    print(line("plan", plan) + ("" if plan["complete"] else "  [best found in time]"))
    print(line("stretch", stretched) + ("" if stretched["complete"] else "  [best found in time]"))
    print(line("greedy", greedy))
    sys.stdout.flush()


def main() -> None:
    from bench.posts import SCALES, ensure_demo

    parser = argparse.ArgumentParser(prog="python -m bench.roster_plan", description=__doc__.splitlines()[0])
    parser.add_argument("--village", type=Path, help="village demo (default: the bench's village demo)")
    parser.add_argument("--county", type=Path, help="county demo (default: the bench's demo of --scale)")
    parser.add_argument(
        "--scale",
        choices=SCALES,
        default="county",
        help="the larger post compared (village: the village week only)",
    )
    parser.add_argument(
        "--county-days",
        type=int,
        default=1,
        help="days compared at county size (hand-filling a county week takes long)",
    )
    parser.add_argument("--seconds", type=int, default=120, help="the plan's time limit")
    parser.add_argument(
        "--runs", type=int, default=None, help="given by python -m bench --quick: a 10 s limit, one run each"
    )
    args = parser.parse_args()
    seconds = min(args.seconds, 10) if args.runs is not None else args.seconds
    compare("village", args.village or ensure_demo("village"), 7, seconds)
    if args.scale == "village" and args.county is None:
        return
    county = args.county or ensure_demo(args.scale)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "county.db"
        shutil.copy(county, copy)
        week = run_plan(copy, 7, seconds)
    print(f"{args.scale}, 7 days, plan only:")
    print(line("plan", week) + ("" if week["complete"] else "  [best found in time]"))
    compare(args.scale, county, args.county_days, seconds)


if __name__ == "__main__":
    main()
