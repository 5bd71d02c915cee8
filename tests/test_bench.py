"""`python -m bench --quick` runs from a fresh clone: on a tiny post (the village demo, built into a
temporary folder), every benchmark runs, prints its figures against their targets, and the
suite exits 0. It broke unnoticed once (issue 18); this keeps it honest. No timing is asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.__main__ import SUITE

ROOT = Path(__file__).resolve().parent.parent


def test_quick_suite_runs_on_a_tiny_post_from_nothing(tmp_path):
    env = {
        **os.environ,
        "CMDPOST_BENCH_DIR": str(tmp_path / "bench"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "HOME": str(tmp_path / "home"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--scale", "village"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for module, _ in SUITE:
        assert f"== {module}" in out
    assert "Traceback" not in result.stderr
    assert out.count("target") >= 8, out  # every figure that has a target names it
    assert "reference: a bare Textual app (header, 30-row DataTable, footer)" in out
    assert "reference: one bare durable insert" in out and "reference: raw executemany" in out
    assert (tmp_path / "bench" / "demo-village.db").exists()
    outside = [p for p in tmp_path.rglob("*.db*") if not p.is_relative_to(tmp_path / "bench")]
    assert not outside, outside  # no post built in the user's folders
