"""Cold start to the first painted dashboard, against a bare Textual app.

Each run is a fresh Python process (imports included), timed from outside,
headless. The figure is the median of several runs of each, interleaved so
that both see the same machine load. Peak memory is the child's max RSS.

    python -m bench.startup [--db PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CMDPOST_CHILD = """
import sys
from pathlib import Path
from console import i18n
from console.config import Config
from console.app import CmdpostApp
from db.connection import open_database

class FirstPaint(CmdpostApp):
    def on_dashboard_screen_loaded(self, message):
        self.call_after_refresh(lambda: self.call_after_refresh(self.exit))

path = Path(sys.argv[1])
i18n.set_language("zh")
app = FirstPaint(Config(database=path), open_database(path), path, demo=True)  # the demo skips sign-in
app.run(headless=True, size=(120, 36))
"""

BARE_CHILD = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("a", "b")
        table.add_row("1", "2")
        self.call_after_refresh(lambda: self.call_after_refresh(self.exit))

Bare().run(headless=True, size=(120, 36))
"""


def run_child(code: str, *args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS in KiB of one fresh process running ``code``."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"child failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss


def measure(db: Path, runs: int) -> dict:
    cmdpost, bare, rss = [], [], []
    run_child(BARE_CHILD)  # warm the file cache for both
    run_child(CMDPOST_CHILD, str(db))
    for _ in range(runs):
        seconds, _ = run_child(BARE_CHILD)
        bare.append(seconds)
        seconds, peak = run_child(CMDPOST_CHILD, str(db))
        cmdpost.append(seconds)
        rss.append(peak)
    return {"cmdpost_s": statistics.median(cmdpost), "bare_s": statistics.median(bare),
            "ratio": statistics.median(cmdpost) / statistics.median(bare), "peak_rss_mib": max(rss) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database to open (default: the county demo, built if missing)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db or ensure_county_demo()
    result = measure(db, args.runs)
    print(f"start-up, first painted dashboard ({db.name}): cmdpost {result['cmdpost_s'] * 1000:.0f} ms, "
          f"bare Textual app {result['bare_s'] * 1000:.0f} ms, ratio {result['ratio']:.2f}x; "
          f"peak RSS {result['peak_rss_mib']:.0f} MiB (median of {args.runs})")


def ensure_county_demo() -> Path:
    from console.cli_demo import demo_path

    path = demo_path("county")
    if not path.exists():
        print(f"building the county demo at {path} (once) …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "console", "demo", "--scale", "county", "--db", str(path)],
                       cwd=ROOT, check=True)
    return path


if __name__ == "__main__":
    main()
