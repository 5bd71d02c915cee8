"""Rolling backups taken by the console itself: every N minutes, keeping K (config.yaml ``backup:``).

The copy runs in a thread worker with a connection of its own (db/backup/copies.py), never on the event
loop and never on the app's database thread, so screens keep answering while it runs and writers
are not held up. The time of the newest backup is shown in the post header.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from console.i18n import error_text, t
from db.errors import CmdpostError

if TYPE_CHECKING:
    from console.app import CmdpostApp

# The first copy soon after the console starts: a post that opens, works an hour and loses its
# disk should not have waited a whole interval for its first backup.
FIRST_BACKUP_SECONDS = 60


class RollingBackups:
    def __init__(self, app: CmdpostApp) -> None:
        self.app = app
        self.last: datetime | None = None  # the post's time of the newest backup, as in its file name
        self._running = False
        self._started = False

    @property
    def enabled(self) -> bool:
        return not self.app.readonly and self.app.config.backup_every_minutes > 0

    @property
    def folder(self):
        from db.backup.copies import backup_folder

        return backup_folder(self.app.db_path, self.app.config.backup_folder)

    def start(self) -> None:
        """Find the newest backup already taken, then take one every ``backup_every_minutes``."""
        if not self.enabled or self._started:
            return
        self._started = True
        self.app.run_worker(self._find_latest, thread=True, group="backup-latest", exit_on_error=False)
        self.app.set_timer(FIRST_BACKUP_SECONDS, self.take)
        self.app.set_interval(self.app.config.backup_every_minutes * 60, self.take)

    def take(self) -> None:
        if self._running:  # the last one is still copying: skip this turn, never pile up
            return
        self._running = True
        self.app.run_worker(self._take, thread=True, group="backup", exit_on_error=False)

    def _find_latest(self) -> None:
        from db.backup.copies import latest_backup

        self.last = latest_backup(self.app.db_path, self.folder)

    def _take(self) -> None:
        from db.backup.copies import take_rolling_backup

        try:
            # named by the post's clock, the time the header shows, not the machine's
            moment = self.app.now().astimezone(self.app.config.tz).replace(tzinfo=None)
            take_rolling_backup(self.app.db_path, self.folder, self.app.config.backup_keep, now=moment)
            self.last = moment
        except Exception as err:  # a full disk must not stop the console: say so, try again next time
            reason = error_text(err) if isinstance(err, CmdpostError) else f"{type(err).__name__}: {err}"
            self.app.call_from_thread(
                self.app.notify,
                t("backup.rolling_failed", reason=reason),
                severity="error",
                timeout=15,
                markup=False,
            )
        finally:
            self._running = False

    def label(self) -> str:
        """For the header: the time of the newest backup at the post, or nothing before the first."""
        if self.last is None:
            return ""
        moment = self.last  # already the post's time
        today = self.app.now().date() == moment.date()
        return t("backup.header_last", time=moment.strftime("%H:%M" if today else "%m-%d %H:%M"))
