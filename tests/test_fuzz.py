"""Hostile input, fuzzed with hypothesis: every answer is a value or a clear refusal, never a traceback."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import build_parser, main
from console.cli import numbers as cli_input
from db import fields as rules
from db.errors import CmdpostError
from db.fields import FieldError
from db.passes import check as pass_check
from db.passes import codec as pass_codec
from db.passes.codec import PassFields
from db.supply import writes as supply

EXAMPLES = 300
FAST = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Text that people paste: any Unicode, plus the kinds of junk that break parsers.
junk = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"])),
    st.from_regex(r"[0-9０-９一二三十共人口年月日/.\- ]{0,30}", fullmatch=True),
    st.builds(
        lambda d, n: d * n, st.sampled_from(["9", "٩", "1-", "\x1b[31m", "\u202e"]), st.integers(1, 6000)
    ),
)

PARSERS = [
    (rules.grid_code, str),
    (rules.people, int),
    (rules.phone, str),
    (rules.zone, str),
    (rules.role, str),
    (rules.post_kind, str),
    (lambda raw: rules.yes_no(raw, "party"), bool),
    (lambda raw: rules.iso_date(raw, "test"), (str, type(None))),
    (rules.birth_year, (int, type(None))),
    (rules.care_tags, str),
    (rules.reason, str),
    (lambda raw: rules.required_text(raw, "name", 30), str),
]


@pytest.mark.parametrize("parse, kind", PARSERS, ids=lambda p: getattr(p, "__name__", "rule"))
@FAST
@given(raw=junk)
def test_field_parsers_give_a_value_or_a_field_error(parse, kind, raw):
    try:
        value = parse(raw)
    except FieldError as err:
        assert err.key.startswith("field.")
        return
    assert isinstance(value, kind)
    if kind is int and parse is rules.people:
        assert 1 <= value <= rules.MAX_PEOPLE
    if parse is rules.phone and value:
        assert 7 <= len(value) <= 12 and set(value) <= set("0123456789*")
    if parse is rules.grid_code:
        assert rules.grid_code(value) == value  # a stored code reads back as itself


@FAST
@given(raw=junk)
def test_supply_quantity_is_a_sane_count_or_refused(raw):
    try:
        value = supply.quantity(raw)
    except CmdpostError as err:
        assert err.key == "supply.bad_quantity"
        return
    assert 1 <= value <= supply.MAX_QUANTITY


def int_defaults(parser: argparse.ArgumentParser) -> dict[str, set[int]]:
    """Every whole-number default of every (sub)command, by option name."""
    found: dict[str, set[int]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                for name, values in int_defaults(sub).items():
                    found.setdefault(name, set()).update(values)
        elif isinstance(action.default, int) and not isinstance(action.default, bool):
            found.setdefault(action.dest, set()).add(action.default)
    return found


@FAST
@given(
    words=st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(
                [
                    "--db",
                    "x.db",
                    "supply",
                    "order",
                    "cancel",
                    "--limit",
                    "99999999999999999999",
                    "-1",
                    "pass",
                    "issue",
                    "coverage",
                    "--hours",
                    "roster",
                    "generate",
                    "--from",
                    "2022-13-45",
                    "round",
                    "create",
                    "backup",
                    "restore",
                    "import",
                    "chain",
                    "--as",
                    "tests",
                    "--round",
                    "0",
                    "1e9",
                    "\x00",
                ]
            ),
        ),
        max_size=8,
    )
)
def test_argument_parser_answers_with_a_namespace_or_a_usage_error(words, capsys):
    parser = build_parser()
    try:
        args = parser.parse_args(words)
    except SystemExit as done:
        assert done.code in (0, 2)  # help, or argparse's one-line usage error
        capsys.readouterr()
        return
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert args.command is None or args.command in commands
    assert args.command in words or args.command is None  # a command is only ever what was typed
    defaults = int_defaults(parser)
    for name, value in vars(args).items():
        if isinstance(value, int) and not isinstance(
            value, bool
        ):  # a number typed, or the default; one SQLite holds
            typed = any(w.strip().lstrip("+-").isdigit() and int(w) == value for w in words)
            assert -cli_input.LIMIT <= value <= cli_input.LIMIT and (
                typed or value in defaults.get(name, ())
            ), (name, value)
    capsys.readouterr()


NUMBER_COMMANDS = [
    ["supply", "order", "cancel", "{n}", "--reason", "录错了"],
    ["supply", "ledger", "--limit", "{n}"],
    ["coverage", "--hours", "{n}"],
    ["supply", "receive", "大米", "{n}", "--from", "粮站"],
    ["round", "coverage", "{n}"],
    ["supply", "item", "add", "{n}", "--unit", "袋", "--category", "other"],
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    template=st.sampled_from(NUMBER_COMMANDS),
    number=st.one_of(
        st.integers(-(10**25), 10**25).map(str), st.text(max_size=20), junk.map(lambda s: s[:40])
    ),
)
def test_cli_commands_answer_with_a_message_never_a_traceback(post_db, db_path, capsys, template, number):
    argv = ["--db", str(db_path)] + [word.replace("{n}", number) for word in template]
    try:
        code = main(argv)
    except SystemExit as done:
        code = done.code
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in err + out


KEY = Ed25519PrivateKey.generate()
NOW = int(datetime(2022, 4, 10, tzinfo=UTC).timestamp())
GOOD = pass_codec.payload(PassFields("3", 42, 2, 17, NOW - 3600, NOW + 86400), KEY)
VERDICTS = {"MALFORMED", "FORGED", "UNKNOWN", "REVOKED", "NOT_YET_VALID", "EXPIRED", "CROSS_GRID", "VALID"}


@st.composite
def mutated(draw):
    text = list(GOOD)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        how = draw(st.sampled_from(["replace", "insert", "delete", "swap"]))
        char = draw(
            st.one_of(st.sampled_from(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ./-")), st.characters())
        )
        if how == "replace" and text:
            text[at] = char
        elif how == "insert":
            text.insert(at, char)
        elif how == "delete" and text:
            del text[at]
        elif text:
            j = draw(st.integers(0, len(text) - 1))
            text[at], text[j] = text[j], text[at]
    return "".join(text)


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(
    payload=st.one_of(
        mutated(), st.text(max_size=400), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))
    ),
    place=st.one_of(st.none(), st.sampled_from(["3", "3-1", "4", "3-1-2"])),
)
def test_pass_verifier_always_gives_a_verdict(payload, place):
    verdict = pass_check.verify_offline(payload, KEY.public_key(), now=NOW, place=place)
    assert verdict.verdict in VERDICTS
    if pass_codec.normalise(payload) != GOOD:
        assert verdict.verdict in ("MALFORMED", "FORGED")  # nothing altered ever passes as signed


def test_the_unaltered_pass_is_valid():  # the property above is not vacuous
    assert pass_check.verify_offline(GOOD, KEY.public_key(), now=NOW, place="3-1").verdict == "VALID"
    assert pass_check.verify_offline(GOOD.lower(), KEY.public_key(), now=NOW, place="3").verdict == "VALID"


def test_numbers_too_large_for_the_database_are_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["supply", "order", "cancel", "9" * 20, "--reason", "录错了"])
    assert done.value.code == 2 and "not a usable whole number" in capsys.readouterr().err
    assert isinstance(build_parser().parse_args(["supply", "ledger", "--limit", "5"]), argparse.Namespace)
