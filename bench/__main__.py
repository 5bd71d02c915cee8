"""Run the benchmark suite: ``python -m bench [--quick] [--scale village|county|region]``.

Builds the demo posts it needs first if they are missing (seconds for the village, about a
minute for a county, two to eight for a region), in ``$CMDPOST_BENCH_DIR`` or beside the
user's demo posts. Each figure is printed against its target and its reference. ``--quick`` takes fewer
samples, for a check before each change; the full run takes more for docs/benchmarks.md.
Exits 0 when every benchmark ran (a missed target is a figure, not a failure), 1 when one broke.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench.posts import ROOT, SCALES, ensure_demo

# Module, and its --runs for a quick check (None: its own default).
SUITE = (
    ("bench.startup", 3),
    ("bench.coverage", 3),
    ("bench.registers", 1),
    ("bench.import_csv", 1),
    ("bench.import_small", 1),
    ("bench.chain", 1),
    ("bench.handoff", 30),
    ("bench.first_paints", 1),
    ("bench.passes", 1),
    ("bench.backup", 1),
    ("bench.roster_plan", 1),
    ("bench.county", 1),
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer samples: a quick check, not the published figures"
    )
    parser.add_argument(
        "--scale", choices=SCALES, default="county", help="the post measured (default: county)"
    )
    parser.add_argument("--only", nargs="+", metavar="MODULE", help="run only these, e.g. bench.startup")
    args = parser.parse_args()
    for scale in dict.fromkeys(("village", args.scale)):  # built once here, not inside a timed child
        ensure_demo(scale)
    failed = []
    for module, quick_runs in SUITE:
        if args.only and module not in args.only:
            continue
        extra = ["--scale", args.scale]
        if args.quick:
            extra += ["--runs", str(quick_runs)]
        print(f"== {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module, *extra], cwd=ROOT).returncode != 0:
            failed.append(module)
    if failed:
        print(f"broken: {', '.join(failed)}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
