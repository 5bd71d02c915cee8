"""Signing in at start, the idle lock, and who the app acts as: the base class of CmdpostApp.

The data layer decides what a session may do (db/audit/guard.py); this only asks for the PIN and keeps
the screens in step: a supervisor's console offers no writes, and a locked screen shows nothing.
"""

from __future__ import annotations

import sys
import time

from textual import events
from textual.app import App

from console.config import Config
from console.i18n import t
from console.workers import db_work
from db.audit.guard import PostDatabase, Session

IDLE_CHECK_SECONDS = 15
DEMO_NOTICE_AFTER_SECONDS = 0.3


class SessionFlow(App[object]):
    """The session half of the console's app. CmdpostApp (console/app.py) is its one subclass: it sets
    the attributes annotated here in its __init__ and shows the dashboard."""

    config: Config
    database: PostDatabase
    demo: bool
    readonly: bool
    _started_readonly: bool
    _fallback_actor: str

    _last_input = 0.0
    _idle_locked = False

    @property
    def session(self) -> Session | None:
        return self.database.guard.session

    @property
    def actor(self) -> str:
        session = self.session
        return session.name if session else self._fallback_actor

    def session_label(self) -> str:
        """For the header: who is signed in, or that the post has no accounts yet."""
        session = self.session
        if session:
            return t("auth.signed_in_as", name=session.name, role=t(f"account.role.{session.role}"))
        return "" if self.database.guard.closed or self.readonly else t("auth.no_accounts")

    def header_status(self) -> str:
        """Who is signed in, and when the last rolling backup was taken (if any)."""
        backups = getattr(getattr(self, "backups", None), "label", None)
        synced = getattr(getattr(self, "sync_status", None), "label", None)  # console/sync_status.py
        parts = [self.session_label(), backups() if backups else "", synced() if synced else ""]
        return "  ".join(p for p in parts if p)

    def is_signing_in(self) -> bool:
        # Asked for every key the footer shows, before the first paint too: importing the sign-in
        # screen (and Textual's TextArea with it) only to find none cost 10-25 ms of every start.
        sign_in = sys.modules.get("console.screens.sign_in")
        return sign_in is not None and any(
            isinstance(screen, sign_in.SignInScreen) for screen in self.screen_stack
        )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """While the sign-in or lock screen is up, the app's own keys (the palette above all) do
        nothing but quit: the screens below must stay out of reach."""
        if action not in ("quit", "switch_user", "focus_next", "focus_previous") and self.is_signing_in():
            return False
        return super().check_action(action, parameters)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def needs_pin(self) -> bool:
        guard = self.database.guard
        return guard.closed and guard.session is None

    def start_session(self, show_first_screen, demo_signed_in: bool = False) -> None:
        """Runs on the database thread at start: sign the demo in, or say whether a PIN is needed."""
        if self.demo and not demo_signed_in:
            from db.demo.accounts import sign_in_demo_admin

            demo_signed_in = sign_in_demo_admin()
        needs_pin = self.needs_pin()
        self.call_from_thread(self._after_session_check, needs_pin, show_first_screen, demo_signed_in)
        if needs_pin:
            from db.accounts import operators as accounts

            accounts.prepare_sign_in()  # while the PIN is typed, not before the first paint

    def _after_session_check(self, needs_pin: bool, show_first_screen, demo_signed_in: bool = False) -> None:
        if demo_signed_in:
            from db.demo.accounts import DEMO_ADMIN

            notice = t("auth.demo_no_sign_in", name=DEMO_ADMIN)
            # After the first frame: the toast's widgets, mounted and drawn with it, cost that frame 5 ms.
            self.set_timer(DEMO_NOTICE_AFTER_SECONDS, lambda: self.notify(notice, markup=False))
        self._last_input = time.monotonic()
        if self.config.idle_lock_minutes:
            self.set_interval(IDLE_CHECK_SECONDS, self._lock_if_idle)
        if not needs_pin:
            self._apply_role()
            show_first_screen()
            self._warn_of_restored_guards()
            return
        from console.screens.sign_in import SignInScreen

        def signed_in(session: Session | None) -> None:
            assert session is not None, "only the idle lock's sign-in (locked_for) dismisses with no one"
            self._apply_role()
            self.notify(t("signin.welcome", name=session.name), markup=False)
            show_first_screen()
            self._warn_of_restored_guards()

        self.push_screen(SignInScreen(), signed_in)

    def _apply_role(self) -> None:
        if self.session and self.session.role == "supervisor":
            self.readonly = True

    def _lock_if_idle(self) -> None:
        session = self.session
        idle = time.monotonic() - self._last_input
        if self._idle_locked or session is None or self.demo or idle < self.config.idle_lock_minutes * 60:
            return
        from console.screens.sign_in import SignInScreen

        self._idle_locked = True

        def unlocked(result: Session | None) -> None:
            self._idle_locked = False
            if result is None:
                self.switch_user()

        self.push_screen(
            SignInScreen(locked_for=session.name, idle_minutes=self.config.idle_lock_minutes), unlocked
        )

    def switch_user(self) -> None:
        """End this session and start again at the sign-in screen, on a clean dashboard."""
        from console.screens.sign_in import SignInScreen

        self._end_session()
        while len(self.screen_stack) > 1:
            self.pop_screen()

        def signed_in(session: Session | None) -> None:
            self.readonly = self._started_readonly
            self._apply_role()
            self.show_dashboard()
            self._warn_of_restored_guards()

        self.push_screen(SignInScreen(), signed_in)

    @db_work
    def _warn_of_restored_guards(self) -> None:
        """An admin hears of guard triggers found removed outside cmdpost since their last sign-in;
        on a post without accounts, whoever opened it hears of those found at this open."""
        from db.audit import guard_triggers

        guard = self.database.guard
        if guard.session is not None and guard.session.role == "admin":
            found = guard_triggers.restorations_since_last_sign_in(guard.session.name)
        elif not guard.closed:
            found = guard_triggers.restorations(after_id=guard.restored_after) if guard.restored_after else []
        else:
            return
        if found:
            _, at, details = found[-1]
            names = "、".join(guard_triggers.named(details))
            text = t("audit_head.console_guards_restored", count=len(found), at=at, names=names)
            self.call_from_thread(self.notify, text, severity="warning", timeout=30, markup=False)

    def show_dashboard(self) -> None:
        """Put the dashboard on top, alone (CmdpostApp does)."""
        raise NotImplementedError

    @db_work
    def _end_session(self) -> None:
        from db.accounts import operators as accounts

        accounts.sign_out()
