"""Command palette: jump to any grid or sub-grid by code or name, or to any screen."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from console.i18n import t
from db.grids import queries
from db.safe_text import shown

if TYPE_CHECKING:
    from console.app import CmdpostApp


def plain_highlight(matcher: Matcher, text: str) -> Content:
    """Like Matcher.highlight, but the candidate is never parsed as markup (it is data)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class GridJumpProvider(Provider):
    if TYPE_CHECKING:

        @property
        def app(self) -> CmdpostApp: ...  # for the type checker: the palette belongs to the console

    async def startup(self) -> None:
        self.grids = await asyncio.to_thread(self.app.db_thread.call, queries.grid_directory)

    def _screens(self):
        app = self.app
        return [
            (t("palette.dashboard"), app.show_dashboard, t("palette.dashboard_help")),
            (t("palette.search"), app.action_search_households, t("palette.search_help")),
            (t("palette.coverage"), app.action_show_coverage, t("palette.coverage_help")),
            (t("pass_screen.palette"), app.action_show_passes, t("pass_screen.palette_help")),
            (t("pass_scan.palette"), app.action_check_passes, t("pass_scan.palette_help")),
            *(
                []
                if app.readonly
                else [(t("palette.import"), app.action_open_import, t("palette.import_help"))]
            ),
            (t("audit.palette"), app.action_show_audit, t("audit.palette_help")),
            *([(t("signin.palette"), app.switch_user, t("signin.palette_help"))] if app.session else []),
        ]  # help and quit come from the app's system commands: listed here too, help showed twice

    def _open(self, grid_id: int, code: str, level: int, root_id: int) -> None:
        self.app.open_grid(root_id, subgrid_code=code if level else None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action, help_text in self._screens():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, plain_highlight(matcher, label), action, text=label, help=help_text)
        words = (t("palette.grid"), t("palette.subgrid"), t("palette.unit"))
        for grid_id, code, name, level, root_id in self.grids:
            text = shown(f"{code} {name}")
            score = matcher.match(text)
            if score > 0:
                word = words[min(level, 2)]
                yield Hit(
                    score * (1.0 if level else 1.2),
                    plain_highlight(matcher, text),
                    partial(self._open, grid_id, code, level, root_id),
                    text=text,
                    help=word,
                )

    async def discover(self) -> Hits:
        for label, action, help_text in self._screens():
            yield DiscoveryHit(Content(label), action, text=label, help=help_text)
        for grid_id, code, name, level, root_id in self.grids:
            if level == 0:
                text = shown(f"{code} {name}")
                yield DiscoveryHit(
                    Content(text),
                    partial(self._open, grid_id, code, level, root_id),
                    text=text,
                    help=t("palette.grid"),
                )


def post_palette(placeholder: str):
    """Textual's palette, saying "no matches" in the post's language (its own text is English)."""
    from rich.align import Align
    from rich.text import Text
    from textual.command import CommandList, CommandPalette
    from textual.widgets.option_list import Option

    class PostCommandPalette(CommandPalette):
        def _start_no_matches_countdown(self, search_value: str) -> None:
            self._stop_no_matches_countdown()

            def show_no_matches() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(
                        Option(
                            Align.center(Text(t("palette.no_matches"), style="not bold")),
                            disabled=True,
                            id=self._NO_MATCHES,
                        )
                    )
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

    return PostCommandPalette(id="--command-palette", placeholder=placeholder)
