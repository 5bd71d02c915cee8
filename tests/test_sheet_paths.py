"""A printable sheet is written as HTML only when asked for with .html; any other name is refused
with one line and no file (issue 16, item 7: --out x.pdf used to write HTML under a .pdf name)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli import main
from console.sheets.html import SheetPathError, require_html


@pytest.mark.parametrize("name", ["roster.pdf", "roster", "roster.htm", "roster.html.pdf", "roster.PDF"])
def test_roster_print_refuses_a_name_that_is_not_html(roster_post, db_path, tmp_path, capsys, name):
    roster_post.close()
    out = tmp_path / name
    assert main(["roster", "print", "--db", str(db_path), "--date", "2022-04-10", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cmdpost: ") and ".html" in err[0] and "Traceback" not in err[0]
    assert not out.exists()


def test_roster_print_to_html_still_writes(roster_post, db_path, tmp_path):
    roster_post.close()
    out = tmp_path / "roster.HTML"
    assert main(["roster", "print", "--db", str(db_path), "--date", "2022-04-10", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_only_an_html_suffix_passes(name):
    from pathlib import Path

    path = Path("/tmp") / name.replace("/", "_").replace("\x00", "_")
    try:
        require_html(path)
    except SheetPathError:
        assert path.suffix.lower() != ".html"
    else:
        assert path.suffix.lower() == ".html"
