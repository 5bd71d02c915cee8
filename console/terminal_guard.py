"""Every console ends when its terminal goes, whenever it goes (issue 13, item 12).

A dropped SSH session or ``tmux kill-session`` hangs up the terminal: the process gets SIGHUP,
writes to the terminal fail with EIO and reads return EIO or end-of-file. Orphaned consoles
were left running with the database open because:

- Textual's writer thread dies at the first failed write, and its queue (30 writes) then blocks
  the event loop for good: no signal handler on the loop ever ran again, so SIGTERM did nothing;
- a failed read ended Textual's input thread with a "panic" that tried to print to the dead
  terminal, and a read at end-of-file made it spin;
- the database thread, an executor's, was joined at exit however long its call took.

So: ``ends_with_terminal`` (around the whole console, from cli.main) turns SIGHUP and SIGTERM
into an orderly end at any moment. Before the app runs, the start-up unwinds with SystemExit at
its next safe point (``check_ending``: the demo build's progress, the app about to run), whose
cleanup closes what was opened and removes a half-built demo; once the app runs it is asked to
exit. ``HangupSafeDriver`` keeps Textual's threads from dying or blocking
when the terminal is gone, and says so. Whatever ended the console, a deadline then ends the
process if a clean exit has not within GRACE_SECONDS (committed data is safe in SQLite's WAL).
"""

from __future__ import annotations

import errno
import functools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

GRACE_SECONDS = 5.0  # a clean exit takes well under a second; past this something is stuck
FORCED_EXIT = 70  # EX_SOFTWARE: ended by the deadline, not cleanly; a clean end exits 128 + the signal
SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))

_app_exit: list[Callable[[int], bool]] = []  # how the running app is asked to end, while it runs
_deadline_set = threading.Event()
_ending: list[int] = []  # the exit code, once the terminal went or a signal came


def ending() -> int | None:
    """The exit code the console is ending with (128 + the signal), or None while it is not."""
    return _ending[0] if _ending else None


def end_console(code: int) -> bool:
    """The terminal went or a signal came: set the deadline, and whether the running app was asked
    to exit."""
    _start_deadline(code)
    return bool(_app_exit) and _app_exit[-1](code)


def _start_deadline(code: int) -> None:
    if _deadline_set.is_set():
        return
    _ending.append(code)
    _deadline_set.set()

    def expire() -> None:
        time.sleep(GRACE_SECONDS)
        os._exit(FORCED_EXIT)  # a clean exit would have ended the process (and this daemon thread) by now

    threading.Thread(target=expire, name="cmdpost-deadline", daemon=True).start()


def check_ending() -> None:
    """At a safe point of the start-up (the demo build's progress, the app about to run): unwind
    if the console is ending. A signal handler raising anywhere could land inside an SQLite
    callback, which would turn the unwinding into a misleading error."""
    if ending() is not None:
        raise SystemExit(ending())


def _watch(fd: int) -> None:
    """The signals, as the interpreter's C handler writes them to ``fd`` from whatever thread got
    them: the end starts at once, even while the main thread is inside a long SQLite call."""
    while data := os.read(fd, 64):
        for signum in data:
            if signum in SIGNALS:
                end_console(128 + signum)
    os.close(fd)


@contextmanager
def ends_with_terminal() -> Iterator[None]:
    """SIGHUP and SIGTERM end the console cleanly from here on, during start-up as in the app."""
    before = {sig: signal.signal(sig, lambda *_: None) for sig in SIGNALS}  # not the default: death
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    wakeup_before = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    threading.Thread(target=_watch, args=(reader,), name="cmdpost-signals", daemon=True).start()
    try:
        yield
    except OSError as error:  # words to a terminal that is gone: start-up's progress bar, or the last ones
        code = ending()
        if code is None and (error.errno != errno.EIO or terminal_attached(0)):
            raise  # not the terminal: cli's own handling says what it is
        raise SystemExit(code or 128 + signal.SIGHUP) from None
    finally:
        signal.set_wakeup_fd(wakeup_before)
        os.close(writer)  # the watcher reads the end of the pipe and stops
        for sig, handler in before.items():
            signal.signal(sig, handler)


def app_started(ask_exit: Callable[[int], bool]) -> None:
    """From now on an end is asked of the app: ``ask_exit(code)`` must be safe from any thread and
    from a signal handler, and say whether the app took it."""
    _app_exit.append(ask_exit)


def app_ended(ask_exit: Callable[[int], bool]) -> None:
    if ask_exit in _app_exit:
        _app_exit.remove(ask_exit)


def terminal_attached(fd: int) -> bool:
    """Whether ``fd`` is still a terminal: a hung-up one refuses tcgetattr (EIO), which isatty uses."""
    try:
        return os.isatty(fd)
    except (OSError, ValueError):
        return False


class _TerminalFile:
    """Textual's output file, which never raises: a write that fails means the terminal is gone."""

    def __init__(self, file, gone: Callable[[], None]) -> None:
        self._file, self._gone, self._dead = file, gone, False

    def write(self, text: str) -> None:
        if not self._dead:
            self._guard(self._file.write, text)

    def flush(self) -> None:
        if not self._dead:
            self._guard(self._file.flush)

    def _guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except (OSError, ValueError):  # EIO on a hung-up terminal; ValueError once it is closed
            self._dead = True
            self._gone()

    def fileno(self) -> int:
        return self._file.fileno()

    def __getattr__(self, name: str):
        return getattr(self._file, name)


@functools.cache
def hangup_safe_driver(base: type) -> type:
    """Textual's Linux driver, whose output and input threads survive the terminal going."""

    class HangupSafeDriver(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._file: _TerminalFile = _TerminalFile(self._file, self._terminal_gone)

        def run_input_thread(self) -> None:
            try:
                super().run_input_thread()
            except OSError:  # EIO: instead of Textual's panic, which prints to the dead terminal
                self._terminal_gone()

        def _terminal_gone(self) -> None:
            end_console(128 + signal.SIGHUP)

    return HangupSafeDriver
