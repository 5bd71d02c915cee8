"""``cmdpost county --db URL``: the county board, read-only, over every post's synced records.

Posts by open places (now, next 3 h, tonight), testing coverage, deliveries today and posts gone
quiet; the highlighted post's grids below. The figures are read in a thread worker (never on the
event loop) on a connection of the county user's own read-only role; a second worker LISTENs on
``county_changed``, which each merged batch notifies, and reloads the figures when a post syncs.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from console.config import Config
from console.i18n import error_text, t
from console.screens.common import footer
from db.county import board
from db.errors import CmdpostError
from widgets.post_header import PostHeader
from widgets.safe_text import data_text

# The widest a figure's column gets before its cells wrap, and the post's name's: ten columns fit 80.
VALUE_WIDTH, NAME_WIDTH = 8, 10
SHORT_LABEL = 4  # a label this short (户数, 今晚) stays on one line
POST_COLUMNS = (
    "post",
    "households",
    "residents",
    "open_now",
    "open_soon",
    "open_tonight",
    "tested",
    "delivered",
    "synced",
    "state",
)


def header_width(label: str, console) -> int:
    """The narrowest width that holds a column's label on two lines, no word split across them."""
    if Text(label).cell_len <= SHORT_LABEL:
        return Text(label).cell_len
    words = label.split() if label.isascii() else [""]
    least = max(Text(word).cell_len for word in words)
    width = max(1, least)
    while len(Text(label).wrap(console, width)) > 2:
        width += 1
    return width


# A burst of syncs (twenty posts at the top of the hour) reloads the board once, not twenty times.
RELOAD_AFTER_S = 0.3


class CountyApp(App):
    CSS_PATH = Path(__file__).parents[2] / "app.tcss"  # console/app.tcss
    DEFAULT_CSS = """
    #county-totals { height: auto; padding: 0 1; text-style: bold; }
    #county-posts { height: 2fr; }
    #county-grid-title { height: 1; padding: 0 1; }
    #county-grids { height: 1fr; }
    """
    BINDINGS = [Binding("r", "reload", "county.keys_refresh"), Binding("q", "quit", "county.keys_quit")]

    def __init__(self, config: Config, url: str, quiet_minutes: int = 30, *, clock=None) -> None:
        super().__init__()
        self.config, self.url, self.quiet_minutes = config, url, quiet_minutes
        self._clock = clock
        self.figures: list[board.PostFigures] = []
        self.problem = ""
        self.loads = 0  # how many times the figures were drawn: tests wait on it

    def now(self) -> datetime:
        return self._clock() if self._clock else datetime.now(self.config.tz)

    def compose(self) -> ComposeResult:
        yield PostHeader(t("county.title"), "", [], self.now, status=lambda: self.problem or t("county.live"))
        yield Static(id="county-totals")
        yield DataTable(id="county-posts", cursor_type="row", zebra_stripes=True, header_height=2)
        yield Static(id="county-grid-title")
        yield DataTable(id="county-grids", cursor_type="row")
        yield footer()

    def on_mount(self) -> None:
        self.title = t("county.title")
        self.query_one("#county-grids", DataTable).add_columns(
            t("county.col_grid"), t("county.col_households"), t("county.col_tested")
        )
        self.load()
        self.listen()

    def action_reload(self) -> None:
        self.load()

    def _connect(self):
        from db.county import sync

        return sync.connect(self.url, autocommit=True)

    @work(thread=True, exclusive=True, group="county-load", exit_on_error=False)
    def load(self) -> None:
        from db.roster.settings import Duty

        worker = get_current_worker()
        try:
            conn = self._connect()
            try:
                figures = board.posts(
                    conn, *board.moment(Duty(self.config.rules, self.config.tz), int(time.time()))
                )
            finally:
                conn.close()
        except CmdpostError as err:
            self.call_from_thread(self._show_problem, error_text(err))
            return
        except Exception as err:  # noqa: BLE001 - a server gone mid-read: one line, the board stays
            self.call_from_thread(
                self._show_problem, str(err).splitlines()[0] if str(err) else type(err).__name__
            )
            return
        # A newer load has started (a sync's notify, r): this one's figures are older, and may
        # come in after the newer ones (a read during a county-size sync takes seconds). Drop them.
        if not worker.is_cancelled:
            self.call_from_thread(self._show, figures)

    @work(thread=True, exclusive=True, group="county-grids", exit_on_error=False)
    def load_grids(self, post_id: str) -> None:
        worker = get_current_worker()
        try:
            conn = self._connect()
            try:
                grids = board.grid_coverage(conn, post_id)
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 - the posts' table still stands; the next reload says why
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._show_grids, post_id, grids)

    @work(thread=True, exclusive=True, group="county-listen", exit_on_error=False)
    def listen(self) -> None:
        worker = get_current_worker()
        try:
            conn = self._connect()
        except CmdpostError:
            return  # load() says why
        try:
            conn.execute("LISTEN county_changed")
            while not worker.is_cancelled:
                if any(True for _ in conn.notifies(timeout=0.5)):
                    time.sleep(RELOAD_AFTER_S)
                    for _ in conn.notifies(timeout=0):  # the rest of the burst
                        pass
                    self.call_from_thread(self.load)
        except Exception as err:  # noqa: BLE001 - the server went away: say so, keep the last figures
            if not worker.is_cancelled:
                self.call_from_thread(self._show_problem, str(err).splitlines()[0] if str(err) else "")
        finally:
            conn.close()

    def _show_problem(self, text: str) -> None:
        self.problem = text
        self.query_one("#county-totals", Static).update(Text(text, style="bold red"))

    def _state(self, f: board.PostFigures, now: datetime) -> Text:
        if f.quarantined:
            return Text(t("county.state_quarantined"), style="bold white on red")
        quiet = f.quiet_minutes(now)
        if quiet is None:
            return Text(t("county.state_never"), style="yellow")
        if quiet >= self.quiet_minutes:
            return Text(t("county.state_quiet", minutes=quiet), style="bold yellow")
        return Text(t("county.state_ok"), style="green")

    def _show(self, figures: list[board.PostFigures]) -> None:
        self.problem = ""
        self.figures = figures
        now = datetime.now(UTC)
        totals = t(
            "county.totals",
            posts=len(figures),
            households=sum(f.households for f in figures),
            residents=sum(f.residents for f in figures),
            open_now=sum(f.open_now for f in figures),
            open_soon=sum(f.open_soon for f in figures),
            open_tonight=sum(f.open_tonight for f in figures),
            delivered=sum(f.delivered_today for f in figures),
        )
        self.query_one("#county-totals", Static).update(Text(totals))
        rows = [self._row(f, now) for f in figures]
        table = self.query_one("#county-posts", DataTable)
        table.clear(columns=True)
        # Widths fitted to the labels and figures, long ones wrapped: at 80 columns the board
        # scrolled sideways and cut the last sync and the state.
        for index, name in enumerate(POST_COLUMNS):
            label = t(f"county.col_{name}")
            widest = max((Text.assemble(row[index]).cell_len for row in rows), default=0)
            cap = NAME_WIDTH if name == "post" else VALUE_WIDTH
            table.add_column(Text(label), width=max(header_width(label, self.console), min(widest, cap)))
        for f, row in zip(figures, rows):
            table.add_row(*row, key=f.post_id, height=None)
        self.loads += 1
        # The highlighted post's grids follow (load_grids), after the posts are on screen.
        if figures and table.cursor_row == 0:
            self.load_grids(figures[0].post_id)

    def _row(self, f: board.PostFigures, now: datetime) -> list[str | Text]:
        gap = "bold red" if f.open_now else ""
        return [
            data_text(f.name or f.post_id[:8]),
            str(f.households),
            str(f.residents),
            Text(str(f.open_now), gap),
            str(f.open_soon),
            str(f.open_tonight),
            f"{f.tested_households}"
            + (f" ({100 * f.tested_households // f.households}%)" if f.households else ""),
            str(f.delivered_today),
            self._synced(f.synced_at, now),
            self._state(f, now),
        ]

    def _synced(self, synced_at: datetime | None, now: datetime) -> str:
        """The time alone when it is today's: the column stays narrow where it is read most."""
        if synced_at is None:
            return "—"
        local = synced_at.astimezone(self.config.tz)
        today = local.date() == now.astimezone(self.config.tz).date()
        return local.strftime("%H:%M" if today else "%m-%d %H:%M")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "county-posts" and event.row_key and event.row_key.value:
            self.load_grids(event.row_key.value)

    def _show_grids(self, post_id: str, grids: list[board.GridCoverage]) -> None:
        name = next((f.name for f in self.figures if f.post_id == post_id), post_id)
        self.query_one("#county-grid-title", Static).update(data_text(t("county.grids_title", post=name)))
        table = self.query_one("#county-grids", DataTable)
        table.clear()
        for g in grids:
            share = f" ({100 * g.tested // g.households}%)" if g.households else ""
            table.add_row(data_text(f"{g.code} {g.name}"), str(g.households), f"{g.tested}{share}")
