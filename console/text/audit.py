"""Audit entries in the operator's words: field names from the catalogue, zones and roles by their
labels, stored times in the post's local time. The stored entry is never changed, only shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from console.i18n import t, zone_label
from db.audit import trail as audit
from db.audit.trail import AuditRow

ZONE_FIELDS = {"zone", "old_zone", "new_zone"}
EPOCH_FIELDS = {
    "last_sign_in",
    "locked_until",
    "valid_from",
    "valid_until",
    "issued_at",
    "revoked_at",
    "starts_at",
    "ends_at",
    "checked_in_at",
    "checked_out_at",
    "scanned_at",
    "at",
}


# Where the words for a coded value live, by field name; the first key found is used. A field
# shared by several tables (state, status, kind) has value sets that do not overlap.
CODED_FIELDS = {
    "verdict": ("passes.verdict_{lower}",),
    "outcome": ("outcome.{value}",),
    "source": ("export_supply.source_{value}",),
    "status": ("care_status.{value}", "report_status.{value}"),
    "state": ("shift_panel.{value}_state", "shift_panel.{value}", "supply_state.{value}"),
    "kind": ("supply_kind.{value}", "post_kind.{value}"),
}


def _looked_up(key: str) -> str | None:
    text = t(key)
    return None if text == key else text


def field_label(name: str) -> str:
    return _looked_up(f"audit.field.{name}") or name


def field_value(name: str, value: object, zone: Callable[[str], str] = zone_label, tz=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _looked_up("audit.yes" if value else "audit.no") or str(value)
    if name in ZONE_FIELDS and isinstance(value, str):
        return zone(value)
    if name == "role" and isinstance(value, str):
        return _looked_up(f"role.{value}") or _looked_up(f"account.role.{value}") or value
    if name in CODED_FIELDS and isinstance(value, str):
        for key in CODED_FIELDS[name]:
            words = _looked_up(key.format(value=value, lower=value.lower()))
            if words:
                return words
    if (name in EPOCH_FIELDS or name.endswith("_at")) and isinstance(value, int) and value > 10**8:
        return datetime.fromtimestamp(value, tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and (name.endswith("_at") or name in EPOCH_FIELDS) and "T" in value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return str(value)


def table_label(name: str) -> str:
    return _looked_up(f"audit.table.{name}") or name


def change_summary(row: AuditRow, tz=None) -> str:
    """One line for a list: what changed, or the main fields of an added or removed row."""
    if row.op == "event":
        return ", ".join(f"{field_label(k)} {field_value(k, v, tz=tz)}" for k, v in (row.after or {}).items())
    if row.op == "update":
        return "; ".join(
            f"{field_label(k)}: {field_value(k, b, tz=tz)} → {field_value(k, a, tz=tz)}"
            for k, b, a in audit.changed_fields(row)
        )
    shown = row.after if row.op == "insert" else row.before
    return ", ".join(
        field_value(k, v, tz=tz)
        for k, v in (shown or {}).items()
        if k not in ("id", "secret_hash") and v not in (None, "")
    )[:200]
