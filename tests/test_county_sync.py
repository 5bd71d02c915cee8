"""The county sync: outbox batches to PostgreSQL, idempotent, resumable, checked as they arrive."""

from __future__ import annotations

import psycopg
import pytest

from db.county import outbox, sync
from tests.county_pg import county_url, pg_cluster  # noqa: F401 - fixtures


def _county_rows(url, table):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT row_id, data FROM county.row_current WHERE table_name = %s ORDER BY row_id",
                            (table,)).fetchall()


def test_first_sync_sends_every_row(post_db, county_url):
    ident = outbox.identity(post_db)
    result = sync.sync(post_db, county_url, batch=50)
    assert result.sent == ident.last_seq and result.batches > 1
    households = _county_rows(county_url, "household")
    assert len(households) == post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    with psycopg.connect(county_url) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM county.change ORDER BY seq")]
    assert seqs == list(range(1, ident.last_seq + 1))
