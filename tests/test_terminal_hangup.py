"""Every console ends when its terminal goes, whenever it goes (issue 13, item 12).

The real ``cmdpost`` runs under a pseudo-terminal, on a temporary HOME and XDG folders and its
own database. The terminal is dropped at each moment (start-up while the demo is built, the
sign-in screen of a post with accounts, the dashboard after sign-in, the supervisor's screen) in
each way it goes: the terminal closed (SIGHUP from the kernel, then EIO), the terminal closed
with no signal at all (a process without it as controlling terminal: only EIO / end-of-file),
SIGHUP, and SIGTERM. The process must end by itself, with the exit code of an orderly end
(128 + the signal), not the deadline's forced one.

HANG_BOUND only stops a hang from stalling the suite: it is no speed check (a clean end takes
about a second; the deadline in console/terminal_guard.py fires after five).
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from console.i18n import t
from console.terminal_guard import FORCED_EXIT

ROOT = Path(__file__).resolve().parent.parent
HANG_BOUND = 60.0  # seconds; generous on purpose: it only stops a hang (see the module's docstring)
ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b[()][0-9A-B]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>78]"
)
ORDERLY = {
    "close": 128 + signal.SIGHUP,
    "close-no-signal": 128 + signal.SIGHUP,
    "SIGHUP": 128 + signal.SIGHUP,
    "SIGTERM": 128 + signal.SIGTERM,
}


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CMDPOST", "XDG_", "TEXTUAL"))}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.update(HOME=str(home), TERM="xterm-256color", PYTHONPATH=str(ROOT))
    return env


class Terminal:
    """``cmdpost ARGS`` on the slave side of a pty; this test holds the master side and reads it."""

    def __init__(self, home: Path, *args: str, controlling: bool = True) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        # The pty as controlling terminal, as under tmux or sshd: closing it sends SIGHUP.
        take_it = (lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0)) if controlling else None
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "console", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=env_for(home),
            start_new_session=True,
            preexec_fn=take_it,
            close_fds=True,
        )
        os.close(slave)
        self.master: int | None = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, args=(master,), daemon=True)
        self._reader.start()

    def _read(self, master: int) -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            self.output.extend(data)

    def screen_text(self) -> str:
        return ESCAPES.sub("", self.output.decode("utf-8", "replace"))

    def wait_for(self, marker: str) -> None:
        stop = time.monotonic() + HANG_BOUND
        while marker not in self.screen_text():
            if self.proc.poll() is not None or time.monotonic() > stop:
                self.kill()
                pytest.fail(
                    f"never showed {marker!r} (exit {self.proc.returncode}):\n{self.screen_text()[-2000:]}"
                )
            time.sleep(0.05)

    def drop(self, how: str) -> None:
        if how.startswith("close"):
            os.close(self.master)
            self.master = None
        else:
            self.proc.send_signal(getattr(signal, how))

    def ended(self) -> int:
        try:
            return self.proc.wait(HANG_BOUND)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail("the console outlived its terminal (killed with SIGKILL)")
        finally:
            self.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.close()

    def close(self) -> None:
        if self.master is not None:
            os.close(self.master)
            self.master = None


@pytest.fixture(scope="module")
def demo_post(tmp_path_factory) -> tuple[Path, Path]:
    """A demo post (accounts, one of each role), built once by the real command."""
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp("post") / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "console", "demo", "--db", str(path)],
        cwd=ROOT,
        env=env_for(home),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return home, path


def marker(key: str) -> str:
    """The catalogue text before its {path}."""
    return t(key, path="PATH-HERE").split("PATH-HERE")[0].strip()


def check_end(term: Terminal, how: str) -> None:
    code = term.ended()
    assert code != FORCED_EXIT, "ended by the deadline, not cleanly"
    assert code == ORDERLY[how], term.screen_text()[-2000:]


WAYS = ("close", "close-no-signal", "SIGHUP", "SIGTERM")


@pytest.mark.parametrize("how", WAYS)
def test_a_console_ends_when_its_terminal_goes_during_start_up(tmp_path, how):
    post = tmp_path / "new-demo.db"
    term = Terminal(tmp_path, "--demo", "--db", str(post), controlling=how != "close-no-signal")
    term.wait_for(marker("cli.demo_first_run"))  # the demo is being built: the app does not run yet
    term.drop(how)
    if how == "close-no-signal":  # nothing tells it: the build finishes, and the app finds no terminal
        assert term.ended() == ORDERLY[how]
        return
    check_end(term, how)
    assert not post.with_name(
        post.name + ".partial"
    ).exists()  # no half-built post (a whole one only by rename)


@pytest.mark.parametrize("how", WAYS)
def test_a_console_ends_when_its_terminal_goes_at_sign_in(demo_post, how):
    home, path = demo_post
    term = Terminal(home, "--db", str(path), controlling=how != "close-no-signal")
    term.wait_for(t("signin.pin"))
    term.drop(how)
    check_end(term, how)


@pytest.mark.parametrize("how", WAYS)
def test_a_console_ends_when_its_terminal_goes_after_sign_in(demo_post, how):
    home, path = demo_post
    term = Terminal(
        home, "--demo", "--db", str(path), controlling=how != "close-no-signal"
    )  # signed in as admin
    term.wait_for(t("tile.leader"))  # the dashboard's grid tiles
    term.drop(how)
    check_end(term, how)


@pytest.mark.parametrize("how", WAYS)
def test_a_supervisor_console_ends_when_its_terminal_goes(demo_post, how):
    home, path = demo_post
    term = Terminal(home, "--db", str(path), "supervise", controlling=how != "close-no-signal")
    term.wait_for(t("signin.pin"))
    term.drop(how)
    check_end(term, how)


def test_the_deadline_ends_a_console_whose_clean_end_is_stuck(tmp_path):
    """The backstop itself: a main thread that never returns is ended by the deadline."""
    code = (
        "import signal, threading, time\n"
        "from console import terminal_guard\n"
        "terminal_guard.GRACE_SECONDS = 0.5\n"
        "terminal_guard.app_started(lambda code: True)  # an app that takes the request, then hangs\n"
        "with terminal_guard.ends_with_terminal():\n"
        "    print('ready', flush=True)\n"
        "    threading.Event().wait()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=env_for(tmp_path), stdout=subprocess.PIPE
    )
    assert proc.stdout.readline() == b"ready\n"
    proc.send_signal(signal.SIGTERM)
    try:
        assert proc.wait(HANG_BOUND) == FORCED_EXIT
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


class GoneTerminal:
    """A terminal that has hung up: every write and flush fails with EIO."""

    def write(self, _text: str) -> None:
        raise OSError(5, "Input/output error")

    flush = write

    def fileno(self) -> int:
        return 2


def test_textual_output_to_a_terminal_that_went_never_blocks_the_app():
    """The root of the orphans: Textual's writer thread died at the first EIO, and the 31st write
    then blocked the event loop for good. Through the guarded file it keeps taking writes."""
    from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

    from console.terminal_guard import _TerminalFile

    gone: list[bool] = []
    writer = WriterThread(_TerminalFile(GoneTerminal(), lambda: gone.append(True)))
    writer.start()
    app_side = threading.Thread(
        target=lambda: ([writer.write("frame") for _ in range(MAX_QUEUED_WRITES * 4)], writer.stop()),
        daemon=True,
    )
    app_side.start()
    app_side.join(HANG_BOUND)
    assert not app_side.is_alive(), "the app's writes blocked on a dead writer thread"
    assert gone == [True]  # said once, and the console is asked to end


def test_the_database_thread_does_not_keep_the_process_alive(tmp_path):
    """A call still running on the database thread (a long read, a wait on a lock) when the
    console ends: the process exits all the same."""
    code = (
        "import threading\n"
        "from db.thread import DatabaseThread\n"
        "DatabaseThread().submit(threading.Event().wait)  # never returns\n"
        "print('ready', flush=True)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env_for(tmp_path), capture_output=True, timeout=HANG_BOUND
    )
    assert proc.returncode == 0 and proc.stdout == b"ready\n"
