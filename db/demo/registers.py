"""A demo post's registers: yesterday's testing round nearly done and today's under way,
some special-care households checked, some buildings reported, so each list has work left."""

from __future__ import annotations

import random
from datetime import date, timedelta

from db.demo.roster import DEMO_DUTY
from db.models import database_proxy as db
from db.registers import writes as registers
from db.roster.writes import local_noon

ACTOR = "cmdpost demo"


def populate_registers(today: date, seed: int) -> None:
    rng = random.Random(seed * 104729)
    noon = local_noon(today, DEMO_DUTY)
    households = db.execute_sql(
        "SELECT h.id, g.code, h.door, h.people, h.care_tags <> '' FROM household h"
        " JOIN grid g ON g.id = h.grid_id ORDER BY h.id"
    ).fetchall()
    for number, day, share in ((1, today - timedelta(days=1), 0.96), (2, today, 0.45)):
        round_id = registers.create_round(number, day, actor=ACTOR)
        by_grid: dict[str, list[tuple[str, int]]] = {}
        for _, code, door, people, _ in households:
            if rng.random() < share:
                by_grid.setdefault(code.split("-")[0], []).append(
                    (door, max(1, people - (rng.random() < 0.1)))
                )
        for grid, entries in by_grid.items():
            registers.mark_tested(
                round_id,
                grid,
                entries,
                source=rng.choice(("chain", "hand")),
                actor=ACTOR,
                now=noon - (0 if number == 2 else 86_400),
            )
    for household_id, *_, care in households:
        if care and rng.random() < 0.6:
            problem = rng.random() < 0.08
            registers.care_checkin(
                household_id,
                "problem" if problem else "safe",
                "药快吃完了,需送药" if problem else "",
                checked_by="联户长",
                tz=DEMO_DUTY.tz,
                now=noon - rng.randrange(0, 3 * 3600),
            )
    units = db.execute_sql(
        "SELECT id FROM grid WHERE level = 2 OR (level = 1 AND NOT EXISTS"
        " (SELECT 1 FROM grid c WHERE c.parent_id = grid.id))"
    ).fetchall()
    for (unit_id,) in units:
        if rng.random() < 0.7:
            registers.unit_report(
                unit_id,
                "normal",
                "楼幢观察员",
                "",
                actor=ACTOR,
                tz=DEMO_DUTY.tz,
                now=noon - rng.randrange(0, 4 * 3600),
            )
