"""What the dashboard shows, read in one call, and the first look the console takes at start.

The first look runs on the database thread while Textual is still importing and starting: the
queries on a cold connection then cost nothing the operator waits for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from db.grids import queries
from db.records import GridSummary, PostTotals
from db.registers import queries as register_queries
from db.supply import queries as supply_queries


@dataclass(frozen=True)
class DashboardBoard:
    summaries: list[GridSummary]
    totals: PostTotals
    tested: dict[int, int] | None  # households tested per top-level grid; None before the first round
    open_orders: dict[int, int]
    handoffs_today: dict[int, int]

    @property
    def complete(self) -> bool:
        """False for the first look's board of a large post: its first tiles only (totals.grids is
        every one)."""
        return len(self.summaries) >= self.totals.grids


@dataclass(frozen=True)
class FirstLook:
    empty: bool
    demo: bool
    board: DashboardBoard | None
    demo_signed_in: bool = False
    read_at: float = field(default_factory=time.monotonic)

    def fresh_board(self, seconds: float = 5.0) -> DashboardBoard | None:
        """The board, unless the first screen came so long after start (a PIN typed) that it may be out of date."""
        return self.board if time.monotonic() - self.read_at <= seconds else None


def dashboard_board(day: str, first: int | None = None) -> DashboardBoard:
    """Every top-level grid's tile and the post's totals; ``day`` is the post's local date, YYYY-MM-DD.
    ``first``: the first so many tiles only (a screenful, for the console's first frame: reading every
    tile of a 600-grid post was half the first look), with the totals of the whole post."""
    summaries = queries.grid_summaries(first)
    latest = register_queries.latest_round_id()
    roots = None if first is None else [s.id for s in summaries]
    tested = (
        {gid: h for gid, (h, _) in register_queries.coverage_by_root(latest, roots).items()}
        if latest
        else None
    )
    return DashboardBoard(
        summaries,
        queries.post_totals(),
        tested,
        supply_queries.open_orders_by_root(),
        supply_queries.handoffs_today_by_root(day),
    )


def first_look(
    day: str, *, with_board: bool, demo_sign_in: bool = False, first_tiles: int | None = None
) -> FirstLook:
    """Whether the post is empty or a demo and, when asked and there is one, the dashboard's board.

    A post whose accounts must sign in first is not read before the PIN: callers pass
    ``with_board=False`` for it. ``demo_sign_in``: opened as the demo (`cmdpost --demo`), whose admin
    is signed in without a PIN (db/demo/accounts.py). ``first_tiles``: the board's first tiles only,
    as many as a screen shows (the dashboard reads the rest after its first frame).
    """
    signed_in = False
    if (
        demo_sign_in
    ):  # the accounts' module only for the demo: a post without accounts never needs it to start
        from db.demo.accounts import sign_in_demo_admin

        signed_in = sign_in_demo_admin()
    empty, demo = queries.is_empty(), queries.is_demo()
    board = dashboard_board(day, first_tiles) if with_board and not empty else None
    return FirstLook(empty, demo, board, signed_in)
