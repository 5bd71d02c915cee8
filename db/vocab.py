"""The value lists: every closed set of words the post's records use, in one place.

Live code imports them from here. The schema's CHECK constraints hold the same lists, but each
migration keeps a frozen copy of its own (db/schema/): changing a list here needs a new migration,
and tests/test_vocab.py fails until the live schema and this module agree again.
"""

from __future__ import annotations

# A grid's epidemic zone (封控区, 管控区, 防范区).
ZONES = ("sealed", "controlled", "precaution")
# What a staff member does on the ground (网格长, 网格员, 楼栋长, 志愿者, 下沉干部, 医护).
STAFF_ROLES = ("grid_leader", "grid_worker", "liaison", "volunteer", "cadre", "medic")
# The kinds of duty post (点位): 卡口, 管控点, 隔离点, 物资集散点, 配送点.
POST_KINDS = ("checkpoint", "control_point", "isolation_point", "depot", "delivery_point")
# What an operator account may do at the console.
ACCOUNT_ROLES = ("admin", "operator", "supervisor")
# The supply catalogue's categories.
SUPPLY_CATEGORIES = ("grain_oil", "vegetables", "masks", "disinfectant", "medicine", "baby", "other")
# A pass scan's verdict, in the order db/passes/check.py gives them (STALE: the checker's list of
# revocations is too old to say VALID).
PASS_VERDICTS = (
    "MALFORMED",
    "FORGED",
    "UNKNOWN",
    "REVOKED",
    "NOT_YET_VALID",
    "EXPIRED",
    "CROSS_GRID",
    "STALE",
    "VALID",
)
