"""The audit trail's pickers step through their indexes value by value: the same list as DISTINCT,
for any names people and imports give (a trail of a million entries was read whole to list six)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.audit import trail as audit
from db.models import database_proxy

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=6)


@given(st.lists(st.tuples(names, names), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_pickers_are_every_actor_and_kind_once_in_order(post_db, entries):
    with database_proxy.atomic() as txn:  # undone after each example: the same small post each time
        for actor, kind in entries:
            post_db.guard.fallback_actor = actor  # the trail names whoever the connection is
            audit.record_event(kind, {"n": 1})
        rows = post_db.execute_sql("SELECT actor, table_name FROM audit_entry").fetchall()
        assert audit.actors() == sorted({r[0] for r in rows}, key=lambda s: s.encode())
        assert audit.tables() == sorted({r[1] for r in rows}, key=lambda s: s.encode())
        txn.rollback()
