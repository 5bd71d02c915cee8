"""Tests aimed at the survivors of the mutation run over db/supply/writes.py (.ci/mutation supply): each one
pins a rule that a mutant broke without any other test noticing."""

from __future__ import annotations

import pytest

from db.errors import RuleError
from db.supply import writes as supply
from tests.conftest import refused
from tests.test_passes import NOW
from tests.test_supply import TZ, depot, order  # noqa: F401  (a fixture)


def test_a_delivery_is_logged_on_the_posts_own_day(depot):
    one = order(4, ("大米", 2))
    early = NOW - 3 * 3600  # 06:30 at the post, still the 9th in UTC: the day is the post's own
    supply.create_run(depot.passes["甲"], [one], "1", key=depot.key, actor="t", now=early, tz=TZ)
    handoff = supply.deliver(depot.passes["甲"], one, key=depot.key, actor="t", now=early, tz=TZ)
    assert depot.execute_sql("SELECT day FROM handoff WHERE id = ?", (handoff,)).fetchone() == ("2022-04-10",)


@pytest.mark.parametrize("text", ["大米", "=3", "＝3"])
def test_a_line_with_no_item_or_no_sign_is_refused_showing_what_was_typed(text):
    with refused(RuleError, "supply.bad_line", value=text):  # the operator sees the line to fix it
        supply.order_line(text)
    assert supply.order_line("消毒液=2") == ("消毒液", "2")
