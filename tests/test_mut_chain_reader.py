"""The chain reader's rules pinned where the mutation run (.ci/mutation chain) found them untested:
each test fails when one rule of db/intake/chain.py, chain_fields.py or chain_text.py is changed (a
wrong number, a wrong door, a line read as ok that should be asked about, a line lost)."""

from __future__ import annotations

import pytest

from db.intake.chain import read_chain


def read(text: str) -> list[tuple]:
    return [(e.lines, e.status, e.door, e.people, e.phone, e.remark) for e in read_chain(text)]


def one(line: str):
    [entry] = read_chain(line)
    return entry


# -- lines that continue an entry (chain._joiner) ----------------------------------------------------


def test_a_number_alone_takes_the_count_on_the_next_line():
    assert [e.lines for e in read_chain("1. 1号 2人\n5.\n3人")] == [[1], [2, 3]]


def test_a_number_alone_takes_the_door_on_the_next_line():
    assert read("1. 1号 2人\n5.\n12号") == [
        ([1], "ok", "1号", 2, None, None),
        ([2, 3], "ok", "12号", None, None, None),
    ]


def test_a_number_alone_does_not_take_chatter():
    assert [(e.lines, e.status) for e in read_chain("1. 1号 2人\n5.\n收到")] == [
        ([1], "ok"),
        ([2], "unparsed"),
        ([3], "unparsed"),
    ]


def test_a_count_on_the_next_line_completes_a_door_and_phone():
    """12号 and its phone on one line, 3人 under it: the household is three, not a count asked about."""
    assert read("1. 12号 13800001234\n3人") == [([1, 2], "ok", "12号", 3, "13800001234", None)]


def test_a_second_count_on_the_next_line_is_not_taken():
    assert read("1. 12号 2人\n3人") == [
        ([1], "ok", "12号", 2, None, None),
        ([2], "unparsed", None, None, None, None),
    ]


# -- times are no door (chain_fields._blank) -------------------------------------------------------------


@pytest.mark.parametrize("line, remark", [("2. 12号3点后送到 3人", "送到"), ("2. 12号3点到 3人", "到")])
def test_a_time_stuck_to_the_door_leaves_the_door(line, remark):
    entry = one(line)
    assert (entry.door, entry.people, entry.remark) == ("12号", 3, remark)


def test_the_count_a_correction_replaces_is_not_a_remark():
    entry = one("2. 12号 3人改为4人 13800001234")
    assert (entry.door, entry.people, entry.phone, entry.remark, entry.correction) == (
        "12号",
        4,
        "13800001234",
        None,
        True,
    )
