"""The key line at the bottom: the screen's keys, described in the post's language, drawn as one line.

Textual's Footer is a container of one widget per key, composed empty and recomposed once the
screen's bindings are known: every screen paid a second layout of the whole screen after its first
paint, and a dozen widgets' styles. This draws the same line itself and repaints only that line
when the keys change. The descriptions in BINDINGS are catalogue keys, translated here because the
language is chosen at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget


class ShownKey(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool
    well_known: bool = False  # Esc, ?, refresh: the first to lose their words on a narrow terminal


# Keys every operator knows after a minute: their words go first, so that a screen's own actions
# ("登记送达", "打印值班表") keep theirs at 80 columns.
WELL_KNOWN = {
    "keys.back",
    "keys.help",
    "keys.close",
    "keys.cancel",
    "keys.quit",
    "keys.refresh",
    "supply_keys.refresh",
}


class CatalogueFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    CatalogueFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    CatalogueFooter > .catalogue-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    CatalogueFooter > .catalogue-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    CatalogueFooter > .catalogue-footer--divider { color: $foreground 20%; }
    """
    COMPONENT_CLASSES = {
        "catalogue-footer--key",
        "catalogue-footer--description",
        "catalogue-footer--divider",
    }

    def __init__(self, translate: Callable[[str], str], **kwargs) -> None:
        """``translate`` maps a description to display text; Textual's own descriptions (such as
        "palette") arrive as plain words and are looked up as ``keys.builtin_<word>``."""
        super().__init__(**kwargs)
        self.translate = translate
        self.keys: tuple[ShownKey, ...] = ()
        self.palette: ShownKey | None = None
        self._spans: list[tuple[int, int, ShownKey]] = []  # x from, x to, key: for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        if screen is not self.screen:
            return
        bindings = screen.active_bindings
        keys, seen = [], set()
        for _, binding, enabled, _tooltip in bindings.values():
            if binding.show and binding.action not in seen:  # one entry per action, as Textual's footer
                seen.add(binding.action)
                keys.append(self._shown(binding, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in bindings:
            _, binding, enabled, _tooltip = bindings[self.app.COMMAND_PALETTE_BINDING]
            palette = self._shown(binding, enabled)
        if (tuple(keys), palette) != (self.keys, self.palette):
            self.keys, self.palette = tuple(keys), palette
            self.refresh()

    def _shown(self, binding, enabled: bool) -> ShownKey:
        description = binding.description
        # Textual's own descriptions ("Dismiss menu") are looked up as keys.builtin_dismiss_menu
        lookup = (
            description if "." in description else "keys.builtin_" + "_".join(description.lower().split())
        )
        text = self.translate(lookup)
        return ShownKey(
            binding.key,
            self.app.get_key_display(binding),
            description if text == lookup else text,
            enabled,
            description in WELL_KNOWN,
        )

    def _key_text(self, shown: ShownKey, fit: int = 0) -> Text:
        """``fit`` 0: as Textual's footer draws a key; 1: tighter; 2: the key alone; 3: alone, spaced."""
        key_style = self.get_component_rich_style("catalogue-footer--key")
        description_style = self.get_component_rich_style("catalogue-footer--description")
        if fit == 2:
            text = Text.assemble((f" {shown.display}", key_style))
        elif fit == 3:  # a bare key among keys with words: its own space on both sides
            text = Text.assemble((f" {shown.display} ", key_style))
        else:
            pad = "" if fit else " "
            text = Text.assemble(
                (f"{pad}{shown.display} ", key_style),
                (f"{shown.description}{pad}", description_style),
                " " if fit else "",
            )
        if not shown.enabled:
            text.stylize(Style(dim=True))
        text.stylize_before(self.rich_style)
        return text

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        right: list[Segment] = []
        if self.palette:
            divider = self.get_component_rich_style("catalogue-footer--divider")
            right = [
                Segment("▏", base + divider),
                *self._key_text(self.palette).render(self.app.console),
                Segment(" ", base),
            ]
        right_width = Segment.get_line_length(right)
        room = max(0, width - right_width)
        left: list[Segment] = []
        spans, x = [], 0
        for shown, text in zip(self.keys, self._fitted(room)):
            if x + text.cell_len > room:
                break
            spans.append((x, x + text.cell_len, shown))
            left.extend(text.render(self.app.console))
            x += text.cell_len
        if self.palette and right_width <= width:
            spans.append((room, width, self.palette))
        self._spans = spans
        line = Strip(left, x).extend_cell_length(room, base)
        return Strip.join([line, Strip(right)]).crop_extend(0, width, base)

    def _fitted(self, room: int) -> list[Text]:
        """Every key in ``room`` if it can be done: tighter first, then the last keys without their
        words (F1 lists them all), so that no key simply disappears on a narrow terminal."""
        for fit in (0, 1):
            texts = [self._key_text(shown, fit) for shown in self.keys]
            if sum(text.cell_len for text in texts) <= room:
                return texts
        bare = [self._key_text(shown, 2) for shown in self.keys]
        texts = [
            self._key_text(shown, 3) if shown.well_known else text for shown, text in zip(self.keys, texts)
        ]
        for keep in range(len(texts), -1, -1):
            fitted = texts[:keep] + bare[keep:]
            if sum(text.cell_len for text in fitted) <= room:
                return fitted
        return bare

    def on_click(self, event: events.Click) -> None:
        for start, end, shown in self._spans:
            if start <= event.x < end:
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return
