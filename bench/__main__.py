"""Run the benchmark suite: ``python -m bench [--quick]``.

Builds the county demo first if it is missing (about a minute). ``--quick``
takes fewer samples, for a check before each change; the full run takes more
for the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

SUITE = ("bench.startup", "bench.coverage", "bench.registers", "bench.import_csv", "bench.chain", "bench.handoff",
         "bench.roster_plan")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples: a quick check, not the published figures")
    args = parser.parse_args()
    runs = ["--runs", "3"] if args.quick else []
    modules = list(SUITE)
    try:
        import bench.passes  # noqa: F401  (present once the passes benchmark lands)

        modules.append("bench.passes")
    except ImportError:
        pass
    failed = 0
    for module in modules:
        extra = runs if module not in ("bench.registers", "bench.import_csv", "bench.chain", "bench.handoff") else (
            ["--runs", "1"] if args.quick and module != "bench.handoff" else (["--runs", "30"] if args.quick else []))
        result = subprocess.run([sys.executable, "-m", module, *extra])
        failed += result.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
