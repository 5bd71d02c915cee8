"""Text from the database as something a widget can draw: ``rich.text.Text`` (never markup) holding the
value as ``db.safe_text.shown`` gives it, with every control character made visible."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from db.safe_text import shown  # re-exported: older imports of widgets.safe_text.shown keep working

__all__ = ["data_text", "shown"]


def data_text(value: object, style: str | Style = "", **kwargs) -> Text:
    """A cell, label or line made from data: shown literally, never read as markup, never obeyed."""
    return Text(shown(value), style=style, **kwargs)
