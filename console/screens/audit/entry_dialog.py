"""One audit entry: who, when, and each field before and after. Values are shown as written."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from console.i18n import t
from console.screens.base import PostDialog
from console.text.audit import field_label, field_value, table_label
from db.audit import trail as audit
from db.audit.trail import AuditRow
from db.safe_text import shown


def _value(name: str, value: object, tz) -> Text:
    return Text(shown(field_value(name, value, tz=tz)))


class AuditEntryDialog(PostDialog[None]):
    DEFAULT_CSS = """
    AuditEntryDialog { align: center middle; }
    AuditEntryDialog > VerticalScroll { width: 100; max-width: 100%; height: auto; max-height: 90%;
                                        border: thick $accent; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,enter", "dismiss", "keys.back")]

    def __init__(self, row: AuditRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        row = self.row
        heading = t(
            "audit.entry_title",
            id=row.id,
            op=t(f"audit.op.{row.op}"),
            kind=table_label(row.table_name),
            actor=row.actor,
            time=self.app.local_time(row.at),
        )
        table = Table(expand=True, show_edge=False)
        for label in (t("audit.col.field"), t("audit.col.before"), t("audit.col.after")):
            table.add_column(label)
        changed = {name for name, _, _ in audit.changed_fields(row)}
        keys = list(dict.fromkeys([*(row.before or {}), *(row.after or {})]))
        for key in keys:
            style = "bold" if key in changed and row.op == "update" else ""
            tz = self.app.config.tz
            table.add_row(
                Text(shown(field_label(key)), style=style),
                _value(key, (row.before or {}).get(key), tz),
                _value(key, (row.after or {}).get(key), tz),
            )
        with VerticalScroll():
            yield Static(Text(shown(heading), style="bold"))
            yield Static(table)
