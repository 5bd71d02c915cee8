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
        super().__init__(**kwargs)
        self.translate = translate

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = self.translate(widget.description)
            yield widget
