"""Adding and updating households, from a handful of rows to a million streamed from a file.

One function does it (``upsert_household_batches``); ``writes.upsert_households`` is the same with
one batch. The rows come in batches and only a batch is held in memory: each is checked, looked up
(only its own doors are read, never the whole post's) and written inside the caller's one
transaction, so a bad row anywhere still writes nothing. Doors seen earlier in the same import are
remembered by household id in a temporary table, not in Python, so that a door given twice is
caught however far apart the two lines are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager

from db import fields as rules
from db.fields import FieldError
from db.grids import bulk
from db.grids.writes import BATCH, BatchError, Progress, _grid_index
from db.models import database_proxy as db
from db.records import HouseholdInput, RowProblem, WriteOutcome

# A masked number (138****5678) cannot be called: it never replaces a number the register holds.
_PHONE = "CASE WHEN instr(coalesce(?, ''), '*') > 0 AND phone <> '' THEN phone ELSE coalesce(?, phone) END"
_SEEN = "temp.household_import_seen"


def upsert_household_batches(
    batches: Iterable[Sequence[HouseholdInput]],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    total: int | None = None,
) -> WriteOutcome:
    """Add households, or update the one with the same door in the same grid; see upsert_households.

    Row indexes in problems count across all batches. Every batch is checked even after a bad one,
    so that one run lists every problem; then nothing is kept.
    """
    with temp_on_disk(), db.atomic() as txn:
        outcome, problems = _write_batches(batches, progress, total)
        if problems:
            raise BatchError(problems)  # the transaction rolls every batch back
        if dry_run:
            txn.rollback()
    return outcome


@contextmanager
def temp_on_disk() -> Iterator[None]:
    """The import's temporary table and its statements' journals in a temporary file, not in memory.

    The post keeps temp_store in memory for row-by-row writes (db/connection.py). A big import held
    its doors seen and its journals in memory too, so its peak grew with the file: 176 MiB for 1M
    households, against 111 MiB with them on disk (and no slower). The setting can change only
    outside a transaction; inside a caller's, the import keeps the connection's.
    """
    if db.in_transaction():
        yield
        return
    db.execute_sql("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA temp_store = MEMORY")


def _write_batches(
    batches: Iterable[Sequence[HouseholdInput]], progress: Progress | None, total: int | None
) -> tuple[WriteOutcome, list[RowProblem]]:
    with ExitStack() as upkeep:
        grids = _grid_index()
        codes = {gid: code for code, (gid, _, _) in grids.items()}
        db.execute_sql(f"CREATE TABLE IF NOT EXISTS {_SEEN} (id INTEGER PRIMARY KEY, line INTEGER NOT NULL)")
        db.execute_sql(f"DELETE FROM {_SEEN}")
        problems: list[RowProblem] = []
        created = changed = unchanged = offset = 0
        touched: set[int] | None = None
        for batch in batches:
            if touched is None:  # a big import keeps totals and the search index once (db/grids/bulk.py)
                big = len(batch) >= bulk.BULK_ROWS
                touched = upkeep.enter_context(bulk.deferred_upkeep()) if big else set()
            checked, found, existing = _check(batch, offset, grids)
            problems += found
            inserts = [c for c in checked if (c[1][1], c[1][2]) not in existing]
            updates = [
                (c[0], _moved(c[1], existing, codes), existing[(c[1][1], c[1][2])][1])
                for c in checked
                if (c[1][1], c[1][2]) in existing
            ]
            touched.update(c[1][1] for c in checked)
            changed_here = _write(inserts, updates)
            created += len(inserts)
            changed += changed_here
            unchanged += len(updates) - changed_here
            offset += len(batch)
            if progress:
                progress(offset, total or offset)
        db.execute_sql(f"DELETE FROM {_SEEN}")
    return WriteOutcome(created, changed, unchanged), problems


def _check(rows: Sequence[HouseholdInput], offset: int, grids: dict) -> tuple[list, list[RowProblem], dict]:
    """(index, checked values) of each good row, the problems of the bad ones, and the households
    that already have the batch's doors (_existing)."""
    heads: list[tuple[int, int, str] | FieldError] = []  # each row's grid and door, looked up at once
    for row in rows:
        try:
            code = rules.grid_code(row.grid_code, "grid")
            if code not in grids:
                raise FieldError("grid", "field.unknown_grid", value=code)
            heads.append(
                (
                    grids[code][0],
                    grids[code][1],
                    rules.required_text(rules.clean(row.door), "door", max_len=40),
                )
            )
        except FieldError as err:
            heads.append(err)
    existing = _existing([(head[1], head[2]) for head in heads if not isinstance(head, FieldError)])
    # A door is a duplicate of the first row that gave it, in this batch or an earlier one.
    seen = {key: line for key, (_, _, line) in existing.items() if line is not None}
    checked, problems = [], []
    for index, (row, head) in enumerate(zip(rows, heads), offset):
        try:
            if isinstance(head, FieldError):
                raise head
            gid, root, door = head
            if (root, door) in seen:
                raise FieldError("door", "field.duplicate_door", value=door, first=seen[(root, door)] + 1)
            seen[(root, door)] = index
            checked.append(
                (
                    index,
                    (
                        gid,
                        root,
                        door,
                        rules.natural_key(door),
                        None
                        if row.head_name is None
                        else rules.optional_text(row.head_name, "head_name", 30),
                        rules.people(row.people),
                        None if row.phone is None else rules.phone(row.phone),
                        None if row.care_tags is None else rules.care_tags(row.care_tags),
                        None if row.note is None else rules.optional_text(row.note, "note"),
                    ),
                )
            )
        except FieldError as err:
            problems.append(RowProblem(index, err.column, err.key, err.params))
    return checked, problems, existing


def _existing(pairs: list[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, int, int | None]]:
    """(root, door) -> (grid id, household id, the import's earlier row index or None), for the
    batch's own doors only: a 1,000-row import into a 465,000-household post reads 1,000 rows."""
    found: dict[tuple[int, str], tuple[int, int, int | None]] = {}
    keys = [list(pair) for pair in pairs]
    for start in range(0, len(keys), BATCH):
        found.update(
            ((root, door), (gid, hid, line))
            for root, door, gid, hid, line in db.execute_sql(
                "SELECT h.root_id, h.door, h.grid_id, h.id, s.line FROM json_each(?) j JOIN household h"
                f" ON h.root_id = j.value ->> 0 AND h.door = j.value ->> 1 LEFT JOIN {_SEEN} s ON s.id = h.id",
                (json.dumps(keys[start : start + BATCH], ensure_ascii=False),),
            ).fetchall()
        )
    return found


def _moved(c: tuple, existing: dict, codes: dict[int, str]) -> tuple:
    """The row with the grid it is filed under: "1" in a file does not undo a filing under "1-2-3"."""
    current = existing[(c[1], c[2])][0]
    return (current if codes[current].startswith(codes[c[0]] + "-") else c[0], *c[1:])


def _write(inserts: list[tuple], updates: list[tuple]) -> int:
    """Insert and update one batch, remembering each row's index; return how many updates altered a row."""
    cursor = db.cursor()
    if inserts:
        last = db.execute_sql("SELECT coalesce(max(id), 0) FROM household").fetchone()[0]
        cursor.executemany(
            "INSERT INTO household (grid_id, root_id, door, door_sort, head_name, people, phone, care_tags, note)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [tuple("" if v is None else v for v in c) for _, c in inserts],
        )
        ids = [row[0] for row in db.execute_sql("SELECT id FROM household WHERE id > ? ORDER BY id", (last,))]
        cursor.executemany(
            f"INSERT INTO {_SEEN} (id, line) VALUES (?, ?)", zip(ids, (index for index, _ in inserts))
        )
    if not updates:
        return 0
    cursor.executemany(
        "UPDATE household SET grid_id=?, head_name=coalesce(?, head_name), people=?,"
        f" phone={_PHONE}, care_tags=coalesce(?, care_tags), note=coalesce(?, note)"
        " WHERE root_id=? AND door=? AND NOT (grid_id IS ? AND head_name IS coalesce(?, head_name)"
        f" AND people IS ? AND phone IS {_PHONE} AND care_tags IS coalesce(?, care_tags)"
        " AND note IS coalesce(?, note))",
        [
            (c[0], c[4], c[5], c[6], c[6], c[7], c[8], c[1], c[2], c[0], c[4], c[5], c[6], c[6], c[7], c[8])
            for _, c, _ in updates
        ],
    )
    changed = max(cursor.rowcount, 0)  # rows actually altered; trigger writes not counted
    cursor.executemany(
        f"INSERT INTO {_SEEN} (id, line) VALUES (?, ?)", [(hid, index) for index, _, hid in updates]
    )
    return changed
