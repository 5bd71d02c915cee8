"""The command line shows data the way the screens do: a revoke reason cannot rewrite its line."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli_output import VisibleControls
from console.progress import ProgressBar
from db.safe_text import CONTROLS, shown, shown_keeping_lines, shown_one_for_one
from tests.hostile_post import edit_as_another_tool
from tests.test_passes_cli import cli_post, run  # noqa: F401  (cli_post is a fixture)

REASON = "\x1b[2J\x1b[H…\r有效"


def test_a_revoked_pass_never_reads_valid_on_the_command_line(cli_post, db_path, capsys):
    db = str(db_path)
    assert run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", db)[0] == 0
    assert run(capsys, "pass", "revoke", "1-0001", "--reason", "遗失", "--db", db)[0] == 0
    edit_as_another_tool(db_path, [("UPDATE pass SET revoke_reason = ?", (REASON,))])
    for command in (["pass", "list"], ["pass", "show", "1-0001"]):
        code, out, err = run(capsys, *command, "--db", db)
        assert code == 0, err
        assert "\x1b" not in out + err and "\r" not in out + err, command
        assert "␛[2J␛[H…␍有效" in out, out


def test_line_ends_and_tabs_stay_and_a_lone_cr_is_shown():
    assert shown_keeping_lines("甲\t乙\r\n丙\n") == "甲\t乙\r\n丙\n"  # csv's CRLF rows and plain lines
    assert shown_keeping_lines("遗失\r有效\x07") == "遗失␍有效␇"


def test_a_progress_bar_still_redraws_its_line():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = ProgressBar("导入", stream=VisibleControls(terminal))
    bar(1, 2)
    bar(2, 2)
    assert terminal.getvalue().count("\r") == 2 and "␍" not in terminal.getvalue()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_any_text_is_shown_without_a_character_that_steers(text):
    for result in (shown(text), shown_one_for_one(text)):
        assert not set(result) & CONTROLS
        assert shown(result) == result  # showing twice changes nothing: safe to apply at every layer
    assert len(shown_one_for_one(text)) == len(text)  # an input field's cursor still fits
    kept = shown_keeping_lines(text)
    assert not set(kept.replace("\r\n", "")) & (CONTROLS - {"\t", "\n"})
