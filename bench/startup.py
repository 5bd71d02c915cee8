"""Cold start to the first painted dashboard, against a bare Textual app.

Each run is a fresh Python process (imports included), timed from outside,
headless. The figure is the median of several runs of each, interleaved so
that both see the same machine load. Peak memory is the child's max RSS.

    python -m bench.startup [--db PATH | --scale village|county|region] [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.posts import ROOT, SCALES, ensure_demo, verdict

TARGET_RATIO = 1.25
TARGET_RSS_MIB = 100

CMDPOST_CHILD = """
import sys
import time
from console.cli import build_parser, opens_console, resolve
from console.cli.tui import open_console
from console.cli.session import install_sign_in

# The path `cmdpost --db PATH --demo` takes (console.cli.main), up to the app's first paint.
argv = ["--db", sys.argv[1], "--demo"]
args = build_parser(commands=not opens_console(argv)).parse_args(argv)
config = resolve(args)
install_sign_in(args, config)
opened = open_console(args, config)
from console.app import CmdpostApp

class FirstPaint(CmdpostApp):
    def on_dashboard_screen_loaded(self, message):
        self.call_after_refresh(lambda: self.call_after_refresh(self.painted))

    def painted(self):
        self.painted_at = time.perf_counter(), time.process_time()
        self.exit()

app = FirstPaint(config=config, **opened)
app.run(headless=True, size=(120, 36))
print(*app.painted_at)
"""

BARE_CHILD = """
import time
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        # The reference issue 18 names: a header, a 30-row DataTable, a footer.
        table = self.query_one(DataTable)
        table.add_columns("door", "head", "people", "phone", "note")
        table.add_rows((f"row-{n}", "某某", "3", "17000000000", "") for n in range(30))
        self.call_after_refresh(lambda: self.call_after_refresh(self.painted))

    def painted(self):
        self.painted_at = time.perf_counter(), time.process_time()
        self.exit()

app = Bare()
app.run(headless=True, size=(120, 36))
print(*app.painted_at)
"""


def run_child(code: str, *args: str) -> dict[str, float]:
    """One fresh process running ``code``, which prints the monotonic clock and its own CPU seconds (all
    threads, the interpreter's start included) at its first paint: seconds to the first paint
    (``painted``) and to the process's end (``ended``), CPU seconds to the first paint
    (``painted_cpu``) and to the end (``cpu``, user and system), and the peak RSS in KiB (``rss``).

    The CPU seconds are what a loaded machine changes least: at a load of 9 on 2 cores the wall
    clock of the same child varied twofold between runs. The CPU to the first paint is the start-up's
    own; the CPU to the end adds how each app quits: the bare app's collector walks everything it made
    as it ends (65-87 ms of CPU after its first paint; 11-14 ms with its start frozen out of the
    collector, as the console's is)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    ended = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"child failed: {proc.stderr.read().decode()[-2000:]}")
    clock, cpu = proc.stdout.read().decode().split()[-2:]
    return {
        "painted": float(clock) - start,
        "ended": ended,
        "painted_cpu": float(cpu),
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss,
    }


def compile_sources() -> None:
    """Byte-compile the console as an install does: a checkout run with PYTHONDONTWRITEBYTECODE set
    would otherwise compile every module in every run (100 ms) while Textual's come compiled."""
    for package in ("console", "db", "widgets"):
        compileall.compile_dir(ROOT / package, quiet=1)


def measure(db: Path, runs: int) -> dict:
    compile_sources()
    samples: dict[str, dict[str, list[float]]] = {"cmdpost": {}, "bare": {}}
    run_child(BARE_CHILD)  # warm the file cache for both
    run_child(CMDPOST_CHILD, str(db))
    for _ in range(runs):
        for name, child in (("bare", run_child(BARE_CHILD)), ("cmdpost", run_child(CMDPOST_CHILD, str(db)))):
            for key, value in child.items():
                samples[name].setdefault(key, []).append(value)
    cmdpost = {key: statistics.median(values) for key, values in samples["cmdpost"].items()}
    bare = {key: statistics.median(values) for key, values in samples["bare"].items()}
    return {
        "cmdpost_s": cmdpost["painted"],
        "bare_s": bare["painted"],
        "ratio": cmdpost["painted"] / bare["painted"],
        "end_ratio": cmdpost["ended"] / bare["ended"],
        "cmdpost_end_s": cmdpost["ended"],
        "bare_end_s": bare["ended"],
        "peak_rss_mib": max(samples["cmdpost"]["rss"]) / 1024,
        "cmdpost_paint_cpu_s": cmdpost["painted_cpu"],
        "bare_paint_cpu_s": bare["painted_cpu"],
        "paint_cpu_ratio": cmdpost["painted_cpu"] / bare["painted_cpu"],
        "cmdpost_cpu_s": cmdpost["cpu"],
        "bare_cpu_s": bare["cpu"],
        "cpu_ratio": cmdpost["cpu"] / bare["cpu"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=Path, help="database to open (default: the demo of --scale, built if missing)"
    )
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db or ensure_demo(args.scale)
    result = measure(db, args.runs)
    print(
        f"start-up, first painted dashboard ({db.name}): cmdpost {result['cmdpost_s'] * 1000:.0f} ms, "
        f"reference: a bare Textual app (header, 30-row DataTable, footer) {result['bare_s'] * 1000:.0f} ms; "
        f"ratio {result['ratio']:.2f}x, target <= {TARGET_RATIO}x: {verdict(result['ratio'] <= TARGET_RATIO)}"
    )
    print(
        f"  console peak RSS {result['peak_rss_mib']:.0f} MiB, target <= {TARGET_RSS_MIB} MiB: "
        f"{verdict(result['peak_rss_mib'] <= TARGET_RSS_MIB)} (times: median of {args.runs}; memory: the most)"
    )
    print(
        f"  to the end of the process (quitting at once): cmdpost {result['cmdpost_end_s'] * 1000:.0f} ms, "
        f"bare {result['bare_end_s'] * 1000:.0f} ms, ratio {result['end_ratio']:.2f}x"
    )
    print(
        f"  CPU to the first paint: cmdpost {result['cmdpost_paint_cpu_s'] * 1000:.0f} ms, "
        f"bare {result['bare_paint_cpu_s'] * 1000:.0f} ms, ratio {result['paint_cpu_ratio']:.2f}x "
        "(the start-up's own, and the least load-bound figure)"
    )
    print(
        f"  CPU (user + system) to the end of the process: cmdpost {result['cmdpost_cpu_s'] * 1000:.0f} ms, "
        f"bare {result['bare_cpu_s'] * 1000:.0f} ms, ratio {result['cpu_ratio']:.2f}x"
    )


if __name__ == "__main__":
    main()
