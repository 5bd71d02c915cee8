"""A household whose phone alone is written as Xs is read, not set aside as the template's example.

"2. 12号 3人 138XXXXXXXX" after the first household was taken for a header (the example line of a
chain template has such a phone): nobody was recorded and nobody was asked. The template's own
example lines, with a door of Xs or before any household, are still headers.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from db.intake.chain import read_chain

FIRST = "核酸接龙\n1. 11号 2人 13812345678\n"


def decided(text: str) -> list[tuple]:
    return [(e.line, e.status, e.door, e.people, e.phone) for e in read_chain(text)]


def test_a_household_with_its_phone_hidden_is_read_with_its_door_and_count():
    entries = read_chain(FIRST + "2. 12号 3人 138XXXXXXXX\n3. 13号 1人 13912345678")
    assert [(e.line, e.status, e.door, e.people, e.phone) for e in entries] == [
        (1, "header", None, None, None),
        (2, "ok", "11号", 2, "13812345678"),
        (3, "ok", "12号", 3, None),
        (4, "ok", "13号", 1, "13912345678"),
    ]
    assert entries[2].remark == "138XXXXXXXX"  # what the resident wrote stays in view


def test_the_templates_example_lines_are_still_headers():
    # before the first household, the example's phone marks the example line
    assert decided("核酸接龙\n1. XX号 X人 138XXXXXXXX\n2. 12号 3人 13812345678")[1:] == [
        (2, "header", None, None, None),
        (3, "ok", "12号", 3, "13812345678"),
    ]
    # after it, an example with a door of Xs is still the example, never a household "1号楼xxx室"
    assert decided(FIRST + "2. 1号楼xxx室 3人 138xxxxxxxx")[2:] == [(3, "header", None, None, None)]
    assert decided(FIRST + "2. XX号 X人 138XXXXXXXX")[2:] == [(3, "header", None, None, None)]


@given(door=st.integers(1, 9999), people=st.integers(1, 9), xs=st.integers(3, 8))
def test_any_door_and_count_with_a_hidden_phone_is_that_household(door, people, xs):
    phone = "138" + "X" * xs
    entries = decided(f"{FIRST}2. {door}号 {people}人 {phone}\n3. 13号 1人 13912345678")
    assert entries[2] == (3, "ok", f"{door}号", people, None)
    assert entries[3] == (4, "ok", "13号", 1, "13912345678")
