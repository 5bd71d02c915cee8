"""The audit trail and the ledger paint their rows in their first frame, and cheaply (issue 18).

Each screen submits its tables' first pages (not their counts) to the database thread as it is built,
and hands them to its tables: when the page is read by the time the screen is mounted (a 0.02 ms read
against 20-30 ms of composing), the first frame shows it. Here the table waits for that page, as a
fast database thread would have delivered it, so the check does not hang on the machine's load.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Select

from tests.conftest import make_app, settle, wait_until
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)
from widgets.paged_table import Column, PagedTable

ROWS = [f"第{n}条" for n in range(5)]


def first_frames(app, screen_name: str, table_id: str) -> list[bool]:
    """For each frame painted while ``screen_name`` is on top: did its table show a row?"""
    frames: list[bool] = []
    original = app._display

    def display(screen, renderable) -> None:
        original(screen, renderable)
        if type(app.screen).__name__ == screen_name and app.screen.query(table_id):
            frames.append(app.screen.query_one(table_id, PagedTable).cursor_value is not None)

    app._display = display
    return frames


def page_read_by_mount(monkeypatch) -> list:
    """Each table is handed its first page as a database thread would have read it by mount time."""
    handed = []
    set_source = PagedTable.set_source

    def waiting(table, source, first=None):
        if first is not None:
            first.result(timeout=30)
        handed.append((table.id, first))
        set_source(table, source, first)

    monkeypatch.setattr(PagedTable, "set_source", waiting)
    return handed


async def test_the_audit_trail_shows_its_rows_in_its_first_frame_and_builds_no_option_list(
    post_db, db_path, monkeypatch
):
    post_db.close()
    app = make_app(db_path)
    handed = page_read_by_mount(monkeypatch)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        frames = first_frames(app, "AuditScreen", "#audit-table")
        await pilot.press("a")
        await wait_until(pilot, lambda: frames, "the audit trail painted")
        assert frames[0], "the audit trail's first frame had no rows"
        assert ("audit-table", None) not in handed
        # The filters are drawn closed: no Select, no option list, before one is opened.
        assert not app.screen.query(Select) and not app.screen.query(OptionList)
        await settle(app, pilot)
        assert app.screen.query_one("#audit-table", PagedTable).total  # counted after the frame
        assert app.focused is app.screen.query_one("#audit-table")


async def test_the_ledger_the_orders_and_the_stock_are_read_for_the_first_frame(
    supply_post, db_path, monkeypatch
):
    app = make_app(db_path)
    handed = page_read_by_mount(monkeypatch)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        frames = first_frames(app, "SupplyScreen", "#supply-ledger")
        await pilot.press("h")
        await wait_until(pilot, lambda: frames, "the supply screen painted")
        assert frames[0], "the ledger's first frame had no rows"
        assert {table for table, first in handed if first is not None} == {
            "supply-stock",
            "supply-orders",
            "supply-ledger",
        }
        await settle(app, pilot)
        assert app.screen.query_one("#supply-ledger", PagedTable).total
        assert app.focused is app.screen.query_one("#supply-ledger")


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield PagedTable([Column("记录", 20, str)], loading_text="…读取中")


class FiveRows:
    def count(self) -> int:
        return len(ROWS)

    def page(self, offset: int, limit: int) -> list[str]:
        return ROWS[offset : offset + limit]


async def test_a_count_that_changes_no_scroll_bar_lays_nothing_out_again(monkeypatch):
    """Setting a ScrollView's ``virtual_size`` lays the whole screen out again: a count arriving after
    the first frame cost the audit trail and the ledger a layout of every widget."""
    layouts = []
    refresh_layout = Screen._refresh_layout

    def counted(screen, *args, **kwargs):
        layouts.append(type(screen).__name__)
        return refresh_layout(screen, *args, **kwargs)

    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        table.set_source(FiveRows())
        await wait_until(pilot, lambda: table.total == 5, "the rows counted")
        await pilot.pause()
        assert table.cursor_value == "第0条" and layouts == []
        assert table.virtual_size.height == 6  # the header and five rows: the scroll range is right


class Growing:
    """A short list read whole, as the depot's stock is; it can grow between reads."""

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int) -> list[str]:
        return self.rows[offset : offset + limit]


class StockApp(App):
    CSS = "PagedTable { height: auto; max-height: 10; scrollbar-gutter: auto; }"

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("物资", 0, str), Column("单位", 0, lambda r: "斤")], fit_to_rows=True)


async def test_a_short_table_fits_its_columns_to_its_rows_and_grows_with_them():
    app, source = StockApp(), Growing(["大米"])
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.set_source(source)
        await wait_until(pilot, lambda: table.total == 1, "the stock read")
        await pilot.pause()
        assert table.size.height == 2  # the header and one row: no blank line under them
        source.rows = ["大米", "消毒液（84型，5升装）", "口罩"]
        table.reload()
        await wait_until(pilot, lambda: table.total == 3, "the stock read again")
        await pilot.pause()
        assert table.size.height == 4  # laid out again: a table as tall as its rows grows with them
        line = "".join(segment.text for segment in table.render_line(2))
        assert "消毒液（84型，5升装） 斤" in line and "…" not in line  # the widest item whole, as a DataTable


async def test_a_source_replaced_before_its_count_began_never_stops_the_new_one():
    """The count of a first page read ahead starts after the next frame; if the table was given another
    source meanwhile, that count must not start: its worker would cancel the new source's reading."""
    from concurrent.futures import Future

    from widgets.paged_table import first_page

    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(PagedTable)
        read_ahead: Future = Future()
        read_ahead.set_result(first_page(FiveRows()))
        table.set_source(FiveRows(), read_ahead)
        table.set_source(Growing(["大米", "口罩"]))  # another filter chosen before the next frame
        await wait_until(pilot, lambda: table.total == 2, "the new source counted")
        assert table.cursor_value == "大米"
