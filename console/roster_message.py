"""The roster messages for the volunteers' WeChat group, in the operator's language.

``compose`` reads (and, for changes, remembers when the message was made) through db/roster/messages.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from console.i18n import t
from console.text.roster import clock
from db.roster import messages
from db.roster.settings import Duty

KINDS = ("gaps", "tomorrow", "changes")


def compose(kind: str, duty: Duty, now: int, post_name: str, grid_code: str | None = None) -> str:
    tz = duty.tz
    lines = [t(f"roster_message.{kind}_title", post=post_name)]
    if kind == "gaps":
        rows = messages.open_soon(now, grid_code)
        lines += [
            t(
                "roster_message.gap_line",
                start=clock(r.starts_at, tz, True),
                end=clock(r.ends_at, tz),
                grid=r.grid,
                post=r.post,
                open=r.gap,
            )
            for r in rows
        ]
        lines.append(t("roster_message.gaps_ask") if rows else t("roster_message.gaps_none"))
    elif kind == "tomorrow":
        day = datetime.fromtimestamp(now, tz).date() + timedelta(days=1)
        lines[0] = t("roster_message.tomorrow_title", post=post_name, day=day.isoformat())
        for post, grid, start, end, needed, names in messages.roster_of_day(duty, day, grid_code):
            missing = max(0, needed - len(names))
            lines.append(
                t(
                    "roster_message.day_line",
                    start=clock(start, tz),
                    end=clock(end, tz),
                    grid=grid,
                    post=post,
                    names="、".join(names) or "—",
                )
                + (" " + t("roster_message.day_missing", open=missing) if missing else "")
            )
    else:
        since = messages.last_changes_message()
        changes = messages.changes_since(since, now, grid_code)
        for change in changes:
            key = "roster_message.added" if change.added else "roster_message.removed"
            lines.append(
                t(
                    key,
                    name=change.name,
                    start=clock(change.starts_at, tz, True),
                    end=clock(change.ends_at, tz),
                    grid=change.grid,
                    post=change.post,
                )
            )
        if not changes:
            lines.append(t("roster_message.changes_none"))
        messages.mark_changes_message()
    return "\n".join(lines) + "\n"


def write_message(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
