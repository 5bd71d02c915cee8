"""Footer whose key descriptions are catalogue keys, translated when drawn.

Bindings are declared once at class level; the language is chosen at run
time, so the translation has to happen here rather than in BINDINGS.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CatalogueFooter(Footer):
    def __init__(self, translate: Callable[[str], str], **kwargs) -> None:
        """``translate`` maps a description to display text; Textual's own
        descriptions (such as "palette") arrive as plain words and are looked up
        as ``keys.builtin_<word>``."""
        super().__init__(**kwargs)
        self.translate = translate
        self._shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        """Rebuild the keys only when what they show has changed.

        Textual's footer rebuilds every key widget on each change of the screen's bindings, and
        most changes (focus moving into a table, a tab being built) leave the shown keys as they
        were: on the grid pane that was a quarter of its first paint.
        """
        bindings = screen.active_bindings
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        shown = tuple((b.key, b.action, b.description, enabled, tooltip)
                      for _, b, enabled, tooltip in bindings.values() if b.show) + (palette and palette[2],)
        if shown == self._shown and self._bindings_ready:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown
        super().bindings_changed(screen)

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                key = widget.description
                lookup = key if "." in key else f"keys.builtin_{key.lower()}"
                text = self.translate(lookup)
                widget.description = key if text == lookup else text
            yield widget
