"""Passes for a demo post: every delivery volunteer holds one, one was lost and revoked, one ran out.

Rows only: the signing key is made beside the database the first time a pass is printed or shown,
so a demo file can be built anywhere and moved into place without a key to carry along.
"""

from __future__ import annotations

from datetime import date, timedelta

from db.demo.roster import DEMO_DUTY
from db.models import database_proxy as db
from db.passes import issuing as passes
from db.roster.writes import local_noon

LOST = "志愿者报告通行证遗失"


def populate_passes(today: date, actor: str) -> int:
    """Issue the passes as of ``today``; returns how many are in force."""
    volunteers = db.execute_sql(
        "SELECT s.id, g.code FROM staff s JOIN grid g ON g.id = s.root_id"
        " WHERE s.role = 'volunteer' AND s.active = 1 ORDER BY g.sort_key, s.id"
    ).fetchall()
    if len(volunteers) < 3:
        return 0
    with db.atomic():
        lapsed_id, lapsed_grid = volunteers[-1]  # had a pass for three days last week and none since
        passes.issue(
            DEMO_DUTY,
            lapsed_id,
            lapsed_grid,
            actor=actor,
            days=3,
            now=local_noon(today - timedelta(days=10), DEMO_DUTY),
        )
        issued = [
            passes.issue(
                DEMO_DUTY,
                staff_id,
                code,
                actor=actor,
                now=local_noon(today - timedelta(days=2), DEMO_DUTY),
                days=9,
            )
            for staff_id, code in volunteers[:-1]
        ]
        passes.revoke(issued[1].serial, LOST, actor=actor, now=local_noon(today, DEMO_DUTY) - 3 * 3600)
    return len(issued) - 1
