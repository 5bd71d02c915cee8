"""Every screen of the console, drawn over a post whose every text column is hostile: nothing that could
steer the terminal reaches it, and no markup in the data is obeyed.

What is checked is what the terminal would receive: the segments the compositor paints, not the
widgets' state. The list of screens comes from console/screens, so a new screen fails this test until
it is visited here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import Screen
from textual.widgets import TextArea

import console.screens
from console import i18n
from console.app import CmdpostApp
from console.config import Config
from db.accounts import operators as accounts
from db.audit import trail as audit
from db.audit.trail import AuditFilter
from db.connection import open_database
from db.grids import queries
from db.passes import issuing as passes
from db.roster import queries as roster_queries
from tests.conftest import FIXED_NOW, settle, wait_until
from tests.hostile_post import HOSTILE, STEERING, make_hostile_demo

PASTED_CHAIN = f"#接龙\n1. 1号 {HOSTILE} 3人\n2. {HOSTILE}2号 大米1袋\n3. \x1b[2J\x9b31m\r\u202e\n"


# Base classes, never shown on their own: they are drawn as the screens built on them.
BASES = {"PostScreen", "PostDialog", "SupplyDesk", "ChainOrdersReview", "ConfirmKeys"}


def all_screen_classes() -> set[str]:
    names = set()
    for module_info in pkgutil.walk_packages(console.screens.__path__, "console.screens."):
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and name not in BASES:
                names.add(name)
    return names


def painted(app) -> str:
    """What the terminal is sent for the screen on top (and the toasts over it), cell by cell."""
    return "\n".join(
        "".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()
    )


FRAME = " ▊█▎▏│┃▌▐▔▁"


def markup_obeyed(text: str) -> list[str]:
    """Lines where 点我 from the data lost the "[b]" or "[@click=…]" written before it: read as markup.
    A 点我 that starts a line after one ending in "]" is the same text wrapped, and is fine."""
    lines = text.splitlines()
    obeyed = []
    for number, line in enumerate(lines):
        start = line.find("点我")
        while start >= 0:
            wrapped = (
                not line[:start].strip(FRAME) and number > 0 and lines[number - 1].rstrip(FRAME).endswith("]")
            )
            if line[start - 1 : start] != "]" and not wrapped:
                obeyed.append(line)
                break
            start = line.find("点我", start + 1)
    return obeyed


class Tour:
    def __init__(self, app, pilot) -> None:
        self.app, self.pilot = app, pilot
        self.seen: dict[str, int] = {}

    async def look(self, where: str, *, markup: bool = True) -> None:
        await settle(self.app, self.pilot)
        text = painted(self.app)
        leaked = sorted(f"U+{ord(c):04X}" for c in STEERING & set(text))
        lines = [repr(line)[:200] for line in text.splitlines() if STEERING & set(line)][:3]
        assert not leaked, (
            f"{where} ({type(self.app.screen).__name__}) sent {leaked} to the terminal: {lines}"
        )
        # Markup in the data is shown as typed: read as markup, "[@click=app.quit]点我" would paint 点我 alone.
        interpreted = markup_obeyed(text) if markup else []
        assert not interpreted, f"{where}: markup in the data was interpreted: {interpreted}"
        assert self.app.is_running, f"{where}: something in the data quit the app"
        name = type(self.app.screen).__name__
        self.seen[name] = self.seen.get(name, 0) + 1

    async def keys(self, *keys: str, where: str, markup: bool = True) -> None:
        await self.pilot.press(*keys)
        await self.look(where, markup=markup)

    async def push(self, screen, where: str) -> None:
        self.app.push_screen(screen)
        await self.look(where)

    async def back(self) -> None:
        self.app.pop_screen()
        await settle(self.app, self.pilot)


def rows_for_dialogs(database, now: int):
    grid = queries.grid_summaries()[0]
    household = queries.household_page(grid.id, limit=1)[0]
    pass_row = next(row for row in passes.register(now) if row.revoke_reason)
    (shift_id,) = database.execute_sql(
        "SELECT shift_id FROM assignment WHERE removed_at IS NULL LIMIT 1"
    ).fetchone()
    person = roster_queries.on_shift(shift_id)[0]
    entry = audit.page_entries(AuditFilter(), 0, 1)[0]
    return grid, household, pass_row, shift_id, person, entry


async def test_no_screen_lets_text_from_the_data_steer_the_terminal(tmp_path):
    from console.screens.audit.entry_dialog import AuditEntryDialog
    from console.screens.dialogs.confirm import YesNoDialog
    from console.screens.dialogs.household_card import HouseholdCard
    from console.screens.dialogs.prompt import PromptDialog
    from console.screens.dialogs.zone import ZoneDialog
    from console.screens.first_run import FirstRunScreen
    from console.screens.intake.chain_review import ChainReviewScreen
    from console.screens.passes.dialogs import PassCard, QrView, RevokeDialog
    from console.screens.passes.pick import PassPickDialog
    from console.screens.registers.grid_registers import RegistersScreen
    from console.screens.roster.dialogs import CopyDayDialog, OverrideDialog, ShiftEditDialog, SwapPicker
    from console.screens.roster.shift_panel import ShiftPanel
    from console.screens.sign_in import SignInScreen
    from console.screens.supply.run_dialog import RunDialog

    path = tmp_path / "hostile.db"
    changed = make_hostile_demo(path, FIXED_NOW.date())
    assert len(changed) >= 40 and ("pass", "revoke_reason") in changed and ("supply_item", "name") in changed
    i18n.set_language("zh")
    database = open_database(path)
    (admin,) = database.execute_sql("SELECT name FROM account WHERE role = 'admin' LIMIT 1").fetchone()
    accounts.open_session(admin)  # the demo admin, whose name is hostile too
    now = int(FIXED_NOW.timestamp())
    grid, household, pass_row, shift_id, person, entry = rows_for_dialogs(database, now)
    assert HOSTILE in pass_row.revoke_reason and HOSTILE in grid.name
    config = Config(post_name=HOSTILE + "指挥部", database=path, language="zh")
    app = CmdpostApp(config, database, path, clock=lambda: FIXED_NOW, actor="tester")
    async with app.run_test(size=(120, 36)) as pilot:
        tour = Tour(app, pilot)
        await tour.look("dashboard")
        await tour.keys("question_mark", where="help")
        await tour.back()
        await tour.keys("ctrl+p", where="command palette: grids offered")
        await tour.keys(*"1", where="command palette: grids found")
        await tour.back()
        await tour.keys("z", where="zone dialog")
        await tour.back()
        await tour.push(ZoneDialog(grid), "zone dialog for a hostile grid")
        await tour.back()
        await tour.keys("slash", where="household search")
        await tour.keys(*"有效", where="household search results")
        await tour.back()
        await tour.keys("enter", where="grid pane households")
        await tour.keys("2", where="grid pane staff")
        await tour.keys("3", where="grid pane zone history")
        await tour.keys("1", where="grid pane households again")
        await tour.push(HouseholdCard(household), "household card")
        await tour.back()
        await tour.back()
        await tour.push(RegistersScreen(grid.id, grid.code, grid.name), "registers care")
        await tour.keys("2", where="registers units")
        await tour.keys("3", where="registers tests and call-backs")
        await tour.keys("c", where="call-back prompt")
        await tour.back()
        await tour.back()
        for kind in ("tests", "orders"):  # and a pasted chain that is hostile too, read into its table
            await tour.push(ChainReviewScreen(grid.code, grid.name, kind=kind), f"chain review ({kind})")
            app.screen.query_one(TextArea).text = PASTED_CHAIN
            # The chain reader tidies brackets and punctuation in what it reads (its own rule), so only
            # the controls are checked here.
            await tour.keys("ctrl+r", where=f"chain review ({kind}) of a hostile paste", markup=False)
            await tour.back()
        await tour.keys("d", where="coverage board")
        await tour.keys("l", where="people's hours")
        await tour.back()
        await tour.keys("c", where="copy day")
        await tour.back()
        await tour.keys("s", where="sign-up chain")
        app.screen.query_one(TextArea).text = PASTED_CHAIN + f"4. {HOSTILE} 明天 早班\n"
        await tour.keys("ctrl+r", where="sign-up chain of a hostile paste", markup=False)
        await tour.keys("ctrl+t", where="sign-up chain as direct assignments", markup=False)
        await tour.back()
        await tour.keys("f", where="roster plan (working)")
        await wait_until(pilot, lambda: not app.screen.running, "the roster plan to finish", limit=300)
        await tour.look("roster plan preview")
        await tour.back()
        await tour.back()
        await tour.push(ShiftPanel(shift_id), "shift panel")
        await tour.back()
        await tour.push(SwapPicker(person, shift_id), "swap picker")
        await tour.back()
        await tour.push(OverrideDialog(person.name, [HOSTILE]), "override dialog")
        await tour.back()
        await tour.push(ShiftEditDialog("cancel", shift_id=shift_id, title=HOSTILE), "shift edit")
        await tour.back()
        await tour.push(CopyDayDialog(FIXED_NOW.date(), grid.code), "copy day dialog")
        await tour.back()
        await tour.keys("p", where="passes")
        await tour.push(RevokeDialog(pass_row), "revoke dialog")
        await tour.back()
        await tour.push(PassCard(pass_row, HOSTILE), "pass card")
        await tour.back()
        await tour.push(QrView(HOSTILE, HOSTILE), "full-screen QR")
        await tour.back()
        await tour.keys("c", where="pass check")
        await tour.back()
        await tour.back()
        await tour.keys("h", where="supply")
        await tour.keys("o", where="order prompt")
        await tour.back()
        await tour.keys("l", where="delivery logging")
        await tour.keys("f3", where="pass picker")
        await tour.back()
        await tour.back()
        await tour.back()
        await tour.push(
            RunDialog(HOSTILE, [("note", HOSTILE, HOSTILE)], grid.code, lambda answer: None), "run dialog"
        )
        await tour.back()
        await tour.push(PassPickDialog(grid.code), "pass picker for a grid")
        await tour.back()
        await tour.push(YesNoDialog(HOSTILE), "yes/no question about hostile text")
        await tour.back()
        await tour.push(PromptDialog(HOSTILE, [("note", HOSTILE, HOSTILE)]), "prompt with hostile defaults")
        await tour.back()
        await tour.keys("a", where="audit trail")
        await tour.push(AuditEntryDialog(entry), "audit entry")
        await tour.back()
        await tour.back()
        app.action_open_import()
        await tour.look("import")
        await tour.back()
        await tour.push(FirstRunScreen(), "first run")
        await tour.back()
        await tour.push(SignInScreen(locked_for=admin, idle_minutes=5), "sign-in (locked)")
        await tour.back()
        await tour.push(SignInScreen(), "sign-in")
        assert app.is_running
    missing = all_screen_classes() - set(tour.seen)
    assert not missing, f"screens never drawn with hostile text: {sorted(missing)}"
    print(
        f"\n{len(tour.seen)} screens, {sum(tour.seen.values())} views drawn with hostile text in {len(changed)} columns"
    )


def test_a_revoke_reason_cannot_make_a_revoked_pass_read_valid():
    from console.text.passes import status_text

    text = status_text("revoked", "\x1b[2J\x1b[H…\r有效").plain
    assert text.startswith(i18n.t("passes.status_revoked")) and text.endswith("(␛[2J␛[H…␍有效)")
    assert not STEERING & set(text)


async def test_an_input_field_draws_its_value_visibly_but_keeps_it():
    from textual.app import App

    from widgets.data_input import DataInput, DataTextArea

    class Fields(App):
        def compose(self):
            yield DataInput(value="\x1b[2J门\u202e", id="one")
            yield DataTextArea("甲\t\x9b31m乙\n\x1b]0;t\x07", id="two")

    app = Fields()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        text = painted(app)
        assert not STEERING & set(text)
        assert (
            "␛[2J门\ufffd" in text and "\ufffd31m乙" in text and "␛]0;t␇" in text
        )  # one for one: the cursor fits
        assert app.query_one("#one", DataInput).value == "\x1b[2J门\u202e"  # the value itself is kept
        assert app.query_one("#two", DataTextArea).text == "甲\t\x9b31m乙\n\x1b]0;t\x07"
