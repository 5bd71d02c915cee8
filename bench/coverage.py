"""The coverage board at county scale: its queries, the candidate list, and the board opened by a key.

    python -m bench.coverage [--db PATH | --scale village|county|region] [--runs N]

The figures are medians of several runs on the county demo (500 posts, a week of shifts).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.posts import SCALES, ensure_demo, verdict

HOUR = 3600
TARGET_MS = 100


def median_ms(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def demo_moment() -> int:
    """Now, or the middle of the demo's week of shifts once that week is past (a demo built days ago)."""
    from db.models import database_proxy
    from db.roster import writes as roster

    first, last = database_proxy.execute_sql("SELECT min(starts_at), max(starts_at) FROM shift").fetchone()
    now = roster.epoch_now()
    return now if first <= now <= last - 24 * HOUR else (first + last) // 2


def measure_queries(db: Path, runs: int) -> dict:
    from db.connection import open_database
    from db.roster import queries as roster_queries
    from db.roster.settings import Duty, Rules

    database = open_database(db)
    duty = Duty(Rules(), ZoneInfo("Asia/Shanghai"))
    now = demo_moment()
    rows = roster_queries.coverage(now, now + 24 * HOUR)
    gap = next((r for r in rows if r.gap), rows[0])
    result = {
        "posts": len({r.post_id for r in rows}),
        "shifts": len(rows),
        "coverage_ms": median_ms(lambda: roster_queries.coverage(now, now + 24 * HOUR), runs),
        "headline_ms": median_ms(lambda: roster_queries.headline(now, duty), runs),
        "candidates_ms": median_ms(
            lambda: roster_queries.candidates(duty, gap.shift_id, now), max(3, runs // 2)
        ),
    }
    database.close()
    return result


async def _open_board(db: Path) -> tuple[float, float, float]:
    """(first frame drawing the board's first post, until the app is idle again, the main thread's CPU
    until that frame) in ms after `d`."""
    from rich.cells import set_cell_size

    from bench.registers import Frames
    from console.app import CmdpostApp
    from console.config import Config
    from console.screens.roster.coverage import CoverageScreen
    from db.connection import open_database
    from widgets.coverage_timeline import LABEL_WIDTH, CoverageTimeline

    database = open_database(db)
    moment = datetime.fromtimestamp(demo_moment(), ZoneInfo("Asia/Shanghai"))
    app = CmdpostApp(
        Config(database=db), database, db, demo=True, clock=lambda: moment
    )  # a demo skips sign-in
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        frames = Frames(app)
        start, cpu = time.perf_counter(), time.thread_time()
        await pilot.press("d")  # returns once the app is idle again
        idle = (time.perf_counter() - start) * 1000
        timeline = app.screen.query_one(CoverageTimeline)
        assert isinstance(app.screen, CoverageScreen) and timeline.rows
        drawn = set_cell_size(" " + timeline.rows[0].label, LABEL_WIDTH)  # as the timeline draws it
        at = frames.first_showing(drawn, start)
        return (at - start) * 1000, idle, (frames.cpu[at] - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db or ensure_demo(args.scale)
    figures = measure_queries(db, args.runs)
    boards = [asyncio.run(_open_board(db)) for _ in range(3)]
    first, idle, cpu = (statistics.median(b[i] for b in boards) for i in (0, 1, 2))
    print(
        f"coverage board ({figures['posts']} posts, {figures['shifts']} shifts in 24 h): "
        f"coverage query {figures['coverage_ms']:.1f} ms, headline {figures['headline_ms']:.1f} ms, "
        f"candidates for a gap {figures['candidates_ms']:.0f} ms; `d` to the first frame showing the board "
        f"{first:.0f} ms (main thread CPU {cpu:.0f} ms), target <= {TARGET_MS} ms: {verdict(first <= TARGET_MS)};"
        f" until idle {idle:.0f} ms"
        f" (queries: median of {args.runs}; board: median of 3)"
    )


if __name__ == "__main__":
    main()
