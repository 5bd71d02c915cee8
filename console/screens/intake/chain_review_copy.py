"""Copy the text to post into a grid's WeChat group (a chain template, or who has not answered) to the
clipboard, from the registers and supply screens. The text is console/cli/chain_loop.py's, as
``cmdpost chain template|missing`` prints it; Textual's App.copy_to_clipboard sends it to the terminal
with OSC 52, which not every terminal honours: the notice says so and names the command that writes it."""

from __future__ import annotations

from console.i18n import error_text, t
from db.errors import CmdpostError
from db.grids import queries


def chain_text_for(app, grid_code: str, kind: str, round_number: int | None) -> tuple[str, str]:
    """On the database thread: (text, which command): the missing list for a testing round with answers
    in, else the template."""
    from console.text.chain import missing_text, template_text

    today = app.now().date()
    if kind == "missing":
        assert round_number is not None, "the registers screen asks for a missing list only with its round"
        return missing_text(grid_code, round_number, today), "missing"
    return template_text(grid_code, kind, today, round_number), "template"


def copy_chain_text(screen, grid_code: str, kind: str, round_number: int | None = None) -> None:
    """On the database thread (called from a @db_work method): build the text, then copy it on the loop."""
    app = screen.app
    try:
        if queries.grid_by_code(grid_code) is None:
            raise CmdpostError("grid.not_found", code=grid_code)
        text, what = chain_text_for(app, grid_code, kind, round_number)
    except CmdpostError as err:
        app.call_from_thread(app.notify, error_text(err), severity="error", markup=False)
        return

    def copy() -> None:
        app.copy_to_clipboard(text)
        app.notify(t("chain_loop.copied", lines=text.count("\n"), what=what), markup=False)

    app.call_from_thread(copy)
