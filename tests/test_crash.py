"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported as saved.

The writer is a forked process doing real cmdpost writes through db/ (three households per
call, one transaction). It reports a batch only after the write function has returned, the moment
the console would tell the operator "saved". After every kill the file must pass
``PRAGMA integrity_check``, hold every reported batch, and hold each batch whole or not at all.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from db.connection import open_database
from db.grids import writes
from db.records import GridInput, HouseholdInput

KILLS = 50
BATCH = 3
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def writer(path: str, first: int, report: int) -> None:
    """Runs in the child: write batches until killed, reporting each only once it is saved."""
    open_database(path)
    n = first
    while True:
        rows = [HouseholdInput("1", f"{n}-{part}号", 1 + part) for part in range(BATCH)]
        writes.upsert_households(rows, actor="crash-test")
        os.write(report, f"{n}\n".encode())  # one small write: never torn, even if killed right after
        n += 1


def survivors(path: Path) -> tuple[str, dict[int, int]]:
    """The integrity verdict and, per batch number, how many of its rows the file holds."""
    con = sqlite3.connect(path)  # a fresh connection recovers the WAL as a restarted console would
    try:
        verdict = con.execute("PRAGMA integrity_check").fetchone()[0]
        batches: dict[int, int] = {}
        for (door,) in con.execute("SELECT door FROM household"):
            number = int(door.split("-")[0])
            batches[number] = batches.get(number, 0) + 1
        return verdict, batches
    finally:
        con.close()


def test_killed_writer_loses_no_reported_write_and_leaves_a_sound_file(tmp_path):
    path = tmp_path / "post.db"
    database = open_database(path)
    writes.upsert_grids([GridInput("1", "第一网格", "封控区")], actor="test")
    database.close()
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    fork = multiprocessing.get_context("fork")
    reported: set[int] = set()
    next_batch = 0
    deadline = time.monotonic() + 60  # liveness only: a hung writer fails the test instead of hanging it
    for kill in range(KILLS):
        read_end, write_end = os.pipe()
        child = fork.Process(target=writer, args=(str(path), next_batch, write_end), daemon=True)
        child.start()
        os.close(write_end)
        if rng.random() < 0.8:  # most kills land mid-stream; the rest while the writer is still opening
            first = os.read(read_end, 64)
            assert first, f"writer died before writing (seed {seed})"
        else:
            first = b""
        time.sleep(rng.uniform(0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert child.exitcode == -signal.SIGKILL, f"kill {kill}: writer was not killed mid-work (seed {seed})"
        chunks = [first]
        while chunk := os.read(read_end, 65536):
            chunks.append(chunk)
        os.close(read_end)
        lines = b"".join(chunks).decode().split("\n")
        now_reported = {int(line) for line in lines[:-1]}  # the last piece is "" or a torn line
        reported |= now_reported
        verdict, batches = survivors(path)
        assert verdict == "ok", f"kill {kill}: integrity_check says {verdict} (seed {seed})"
        lost = sorted(reported - set(batches))
        assert not lost, f"kill {kill}: reported as saved but missing: {lost[:5]} (seed {seed})"
        torn = {b: count for b, count in batches.items() if count != BATCH}
        assert not torn, f"kill {kill}: half-written batches {torn} (seed {seed})"
        next_batch = max(batches, default=-1) + 1
        assert time.monotonic() < deadline, f"took too long after {kill + 1} kills (seed {seed})"
    assert len(reported) > KILLS  # the writer really wrote between kills
    assert len(survivors(path)[1]) >= len(reported)
