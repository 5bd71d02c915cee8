"""Long lists read from the nearer end give exactly the rows a plain OFFSET gives."""

from __future__ import annotations

import sqlite3

from db.audit import trail as audit
from db.paging import nearer_end


def test_nearer_end_reads_the_same_window_as_offset_from_the_newest():
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    for total in range(0, 13):
        con.execute("DELETE FROM t")
        con.executemany("INSERT INTO t VALUES (?)", [(i * 3 + 1,) for i in range(total)])  # ids with gaps
        for limit in (1, 2, 5, 100):
            for offset in range(0, total + 3):
                plain = con.execute(
                    "SELECT id FROM t ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
                ).fetchall()
                order, lim, off, turned = nearer_end(offset, limit, total)
                rows = con.execute(
                    f"SELECT id FROM t ORDER BY id {order} LIMIT ? OFFSET ?", (lim, off)
                ).fetchall()
                assert (rows[::-1] if turned else rows) == plain, (total, limit, offset)
    assert nearer_end(999_900, 100, 1_000_000) == ("ASC", 100, 0, True)  # the last page: no rows skipped


def test_audit_pages_are_the_same_from_either_end(post_db):
    total = audit.count_entries()
    assert total > 10
    filters = audit.AuditFilter()
    for offset in range(0, total, 3):
        assert audit.page_entries(filters, offset, 4, total) == audit.page_entries(filters, offset, 4)
