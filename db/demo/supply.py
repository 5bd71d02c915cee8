"""Supplies for a demo post: a stocked depot, a day of orders (medicine runs among them), runs out
with volunteers, deliveries already logged, and one delivery reversed by a correction.

Every row goes through db.supply.writes, so the demo obeys the same rules as the console. A run needs a
pass that verifies; the demo builds no signing key (see db/demo/passes.py), so the volunteers'
registered passes are signed here with a throwaway key and checked against its public half:
the register's rows are the real ones, only the signature is never kept.
"""

from __future__ import annotations

import random
from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.demo.roster import DEMO_DUTY
from db.models import database_proxy as db
from db.passes import issuing as passes
from db.roster.writes import local_noon
from db.supply import writes as supply
from db.supply.queries import orders

CATALOGUE = (
    ("大米", "斤", "grain_oil", 2000, "粮油公司"),
    ("食用油", "瓶", "grain_oil", 300, "粮油公司"),
    ("挂面", "箱", "grain_oil", 200, "兴盛优选"),
    ("青菜", "斤", "vegetables", 1500, "爱心菜吧"),
    ("土豆", "斤", "vegetables", 1200, "美团优选"),
    ("蔬菜包", "份", "vegetables", 600, "爱心菜吧"),
    ("鸡蛋", "箱", "vegetables", 150, "兴盛优选"),
    ("口罩", "盒", "masks", 800, "镇指挥部"),
    ("消毒液", "瓶", "disinfectant", 500, "镇指挥部"),
    ("降压药", "盒", "medicine", 120, "镇卫生院"),
    ("退烧药", "盒", "medicine", 120, "镇卫生院"),
    ("奶粉", "盒", "baby", 80, "美团优选"),
)
EVERYDAY = (
    ("大米", 10),
    ("食用油", 1),
    ("挂面", 1),
    ("青菜", 3),
    ("土豆", 5),
    ("蔬菜包", 1),
    ("鸡蛋", 1),
    ("口罩", 1),
    ("消毒液", 1),
)
MEDICINE = ("降压药", "退烧药")
MAX_ORDERS = 400  # a day's orders for the whole post, whatever the scale
RUN_SIZE = 8


def populate_supply(today: date, seed: int, actor: str) -> None:
    rng = random.Random(seed * 7919)
    noon = local_noon(today, DEMO_DUTY)
    tz = DEMO_DUTY.tz
    with db.atomic():  # one transaction: the nested writes become savepoints
        for name, unit, category, amount, supplier in CATALOGUE:
            supply.add_item(name, unit, category, actor=actor, now=noon - 6 * 3600)
            supply.receive(name, amount, supplier, actor=actor, now=noon - 5 * 3600, tz=tz)
        households = db.execute_sql(
            "SELECT g.code, h.door, h.care_tags <> '' FROM household h"
            " JOIN grid g ON g.id = h.grid_id ORDER BY h.id"
        ).fetchall()
        picked = rng.sample(households, min(MAX_ORDERS, max(1, len(households) // 12))) if households else []
        for index, (code, door, care) in enumerate(picked):
            lines = rng.sample(EVERYDAY, rng.randint(1, 3))
            urgent = care and rng.random() < 0.5 or rng.random() < 0.05
            if urgent:  # a medicine run (送药)
                lines = [(rng.choice(MEDICINE), 1)] + lines[:1]
            supply.add_order(
                code,
                door,
                lines,
                urgent=urgent,
                source=rng.choice(("hand", "chain")),
                actor=actor,
                now=noon - 4 * 3600 + index * 20,
            )
        _runs(rng, noon, actor)


def _runs(rng: random.Random, noon: int, actor: str) -> None:
    """Up to two runs per grid for volunteers with a pass in force, half their stops delivered."""
    key = Ed25519PrivateKey.generate()
    verifier = key.public_key()
    corrected = False
    holders: dict[str, list] = {}
    for row in passes.register(noon):
        if row.status == "active" and row.valid_from <= noon - 3 * 3600:
            holders.setdefault(row.grid_code, []).append(row)
    for grid, rows in holders.items():
        waiting = [o.id for o in orders(grid)]
        for holder in rows[:2]:
            stops, waiting = waiting[:RUN_SIZE], waiting[RUN_SIZE:]
            if not stops:
                break
            payload = passes.payload_for(holder, key)
            supply.create_run(
                payload, stops, grid, key=verifier, actor=actor, now=noon - 3 * 3600, tz=DEMO_DUTY.tz
            )
            for n, order_id in enumerate(stops[: len(stops) // 2 + 1]):
                handoff = supply.deliver(
                    payload,
                    order_id,
                    key=verifier,
                    received_by=rng.choice(("户主", "家属", "")),
                    actor=actor,
                    now=noon - 3 * 3600 + (n + 1) * 600,
                    tz=DEMO_DUTY.tz,
                )
                if not corrected:  # logged at the wrong door: reversed, and still to deliver
                    supply.correct(
                        handoff,
                        "扫错门牌,实际未送达",
                        actor=actor,
                        now=noon - 3 * 3600 + 900,
                        tz=DEMO_DUTY.tz,
                    )
                    corrected = True
