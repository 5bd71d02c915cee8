"""The board's first screenful walks the grids root by root: the same posts, in the same order, as the
whole board, whatever the grid codes (which come from imported files) and wherever the posts sit."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.grids import writes
from db.models import database_proxy
from db.records import GridInput
from db.roster import queries as roster_queries
from db.roster import writes as roster
from db.roster.rules import HOUR
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW

DUTY = Duty(Rules(), FIXED_NOW.tzinfo)
NOW = int(FIXED_NOW.timestamp())
START = NOW - NOW % HOUR

# Digits and letters of both cases: digit runs are padded in sort keys, "-" sorts before all of them.
segment = st.text(string.digits + "aZ0", min_size=1, max_size=3)
roots = st.lists(segment, min_size=1, max_size=4, unique=True)
subs = st.lists(st.tuples(st.integers(0, 3), segment, st.booleans()), max_size=6)
posts = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["甲", "乙", "a", "B"])), min_size=1, max_size=8
)


def grid_codes(root_codes: list[str], sub_codes: list[tuple[int, str, bool]]) -> list[str]:
    """Roots, their sub-grids and the sub-grids' units (a unit under the sub-grid made just before)."""
    codes = [f"X{code}" for code in root_codes]  # X: clear of the small post's own grids
    for root, code, unit in sub_codes:
        parent = codes[-1] if unit and codes[-1].count("-") == 1 else codes[root % len(root_codes)]
        if f"{parent}-{code}" not in codes:
            codes.append(f"{parent}-{code}")
    return codes


@given(roots, subs, posts)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_first_posts_are_the_whole_boards_first_posts_in_any_grid_tree(
    post_db, root_codes, sub_codes, places
):
    with database_proxy.atomic() as txn:  # undone after each example: the same small post each time
        codes = grid_codes(root_codes, sub_codes)
        writes.upsert_grids([GridInput(code, f"网格{code}") for code in codes], actor="test")
        for at, name in places:
            writes.add_duty_post("卡口", codes[at % len(codes)], name)
        roster.generate_shifts(DUTY, FIXED_NOW.date(), 1)
        for grid in (None, codes[0]):
            whole = roster_queries.coverage(START, START + 24 * HOUR, grid)
            order = list(dict.fromkeys(r.post_id for r in whole))
            for first in (1, 2, 3, len(order)):
                part = roster_queries.coverage(START, START + 24 * HOUR, grid, posts=first)
                assert part == [r for r in whole if r.post_id in order[:first]]
                assert list(dict.fromkeys(r.post_id for r in part)) == order[:first]
        txn.rollback()
