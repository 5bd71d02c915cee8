"""A printable sheet is a PDF, or HTML only when asked for with .html; any other name is refused with
one line and no file (issue 16, item 7: --out x.pdf used to write HTML under a .pdf name)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli import main
from console.sheets.paths import SHEET, SheetPathError, sheet_format
from tests.test_passes_print import font_or_skip

WRONG = ["roster", "roster.htm", "roster.txt", "roster.pdf.txt", "roster.docx", "roster.ps"]


def _one_line_refusal(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cmdpost: ") and "Traceback" not in err[0]
    return err[0]


@pytest.mark.parametrize("name", WRONG)
def test_roster_print_refuses_a_name_that_is_neither_pdf_nor_html(
    roster_post, db_path, tmp_path, capsys, name
):
    roster_post.close()
    out = tmp_path / name
    assert main(["roster", "print", "--db", str(db_path), "--date", "2022-04-10", "--out", str(out)]) == 1
    line = _one_line_refusal(capsys)
    assert ".pdf" in line and ".html" in line
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["supply", "run", "print", "1"],
        ["export", "callbacks", "--grid", "1"],
        ["pass", "print", "--grid", "1"],
    ],
)
@pytest.mark.parametrize("name", ["sheet.txt", "sheet", "sheet.pdf.doc"])
def test_every_printable_refuses_a_wrong_name_and_writes_nothing(
    post_db, db_path, tmp_path, capsys, argv, name
):
    post_db.close()
    out = tmp_path / name
    assert main(argv + ["--db", str(db_path), "--out", str(out)]) == 1
    _one_line_refusal(capsys)
    assert not out.exists()


def test_passes_are_pdf_only(post_db, db_path, tmp_path, capsys):
    post_db.close()
    out = tmp_path / "passes.html"
    assert main(["pass", "print", "--grid", "1", "--db", str(db_path), "--out", str(out)]) == 1
    assert ".pdf" in _one_line_refusal(capsys) and not out.exists()


def test_roster_print_writes_a_pdf_and_html_only_when_asked(roster_post, db_path, tmp_path):
    font_or_skip()
    roster_post.close()
    pdf, html = tmp_path / "roster.pdf", tmp_path / "roster.HTML"
    assert main(["roster", "print", "--db", str(db_path), "--date", "2022-04-10", "--out", str(pdf)]) == 0
    assert main(["roster", "print", "--db", str(db_path), "--date", "2022-04-10", "--out", str(html)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-") and html.read_text(encoding="utf-8").startswith(
        "<!doctype html>"
    )


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_only_a_pdf_or_html_suffix_passes(name):
    path = Path("/tmp") / name.replace("/", "_").replace("\x00", "_")
    try:
        kind = sheet_format(path)
    except SheetPathError:
        assert path.suffix.lower() not in SHEET
    else:
        assert path.suffix.lower() in SHEET and kind == path.suffix.lower()[1:]
