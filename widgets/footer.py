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

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                key = widget.description
                lookup = key if "." in key else f"keys.builtin_{key.lower()}"
                text = self.translate(lookup)
                widget.description = key if text == lookup else text
            yield widget
