"""The pieces the supply CLI and screens share: one ``ITEM=QTY`` reader in db/supply, one amount
wording in console/text/supply (its tonne rule in db/supply/report), and the CLI's verb table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console import i18n
from console.text.supply import amount_text
from db.errors import RuleError
from db.supply.report import in_tonnes
from db.supply.writes import order_line


def test_an_order_line_is_the_item_and_its_quantity_as_written():
    assert order_line("大米=3") == ("大米", "3")
    assert order_line("大米＝3") == ("大米", "3")  # a full-width ＝ from a Chinese keyboard
    assert order_line("A=B=2") == ("A=B", "2")  # an item's name may hold "="
    for bad in ("大米", "=3", ""):
        with pytest.raises(RuleError) as refused:
            order_line(bad)
        assert refused.value.key == "supply.bad_line"


@given(st.text(max_size=40))
def test_any_typed_line_is_read_or_refused_in_words(text):
    try:
        name, qty = order_line(text)
    except RuleError as err:
        assert err.key == "supply.bad_line" and i18n.error_text(err)
    else:
        assert name and (name + "=" + qty) == text.replace("＝", "=")


def test_weights_of_a_tonne_and_more_are_given_in_tonnes_everywhere():
    assert in_tonnes(4000, "斤") == 2.0 and in_tonnes(1999, "斤") is None and in_tonnes(1000, "kg") == 1.0
    assert in_tonnes(5000, "瓶") is None
    i18n.set_language("zh")
    assert amount_text(4000, "斤") == "2.0 吨" and amount_text(1999, "斤") == "1999斤"
    assert (
        amount_text(2_500_000, "斤", grouped=True) == "1,250.0 吨"
        and amount_text(1999, "斤", True) == "1,999斤"
    )
    i18n.set_language("en")
    assert amount_text(4000, "kg") == "4.0 t"  # the screen used to say 吨 in English too


def test_the_figures_widget_keeps_no_tonne_rule_of_its_own():
    from widgets import supply_figures

    assert not hasattr(supply_figures, "TONNE") and not hasattr(supply_figures, "amount_text")


def test_every_supply_verb_of_the_parser_has_its_action():
    from console.cli.roles import subcommands
    from console.cli.supply_actions import ACTIONS
    from tests.cli_argv import PARSER, minimal_argv

    for command in subcommands(PARSER):
        if command.split()[0] in ("supply", "handoff"):
            args = PARSER.parse_args(minimal_argv(command))
            sub_verb = getattr(args, f"{args.verb}_verb", None)
            assert (f"{args.verb} {sub_verb}" if sub_verb else args.verb) in ACTIONS, command
