"""Shared fixtures: a sandboxed home, temporary post databases, a fixed clock, and the app under test."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console import i18n
from console.config import Config
from db.connection import open_database
from db.grids import writes
from db.records import GridInput, HouseholdInput, StaffInput

FIXED_NOW = datetime(2022, 4, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
MARKUP_NAME = "[bold]x"
MARKUP_NOTE = "[@click=app.quit]点我"


# -- the sandbox: the suite never reads the user's settings nor writes into the user's folders -------------

XDG_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
    "XDG_RUNTIME_DIR": "run",
}
SANDBOX_VARIABLES = ("HOME", *XDG_FOLDERS)
USER_VARIABLES = ("CMDPOST_CONFIG", "CMDPOST_USER", "CMDPOST_PIN", "CMDPOST_NEW_PIN")
# The repository's own settings, named with --config by the CLI tests that depend on settings: neither
# the user's config.yaml nor the folder pytest runs from decides them.
TEST_CONFIG = Path(__file__).resolve().parent.parent / "config.yaml"
_saved_environment: dict[str, str | None] = {}
_real_listing: dict[str, dict[str, tuple[int, int]]] = {}


def real_user_folders(environ=os.environ) -> list[Path]:
    """The user's cmdpost cache and data folders, as cmdpost finds them outside the suite."""
    home = Path(environ.get("HOME") or Path.home())
    return [
        Path(environ.get("XDG_CACHE_HOME") or home / ".cache") / "cmdpost",
        Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "cmdpost",
    ]


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder below ``folder`` with its mtime and size: what a write would change."""
    found = {}
    for path in [folder, *folder.rglob("*")] if folder.exists() else []:
        try:
            info = path.lstat()
        except OSError:
            continue
        found[str(path.relative_to(folder))] = (info.st_mtime_ns, info.st_size)
    return found


def pytest_configure(config):
    """Point HOME and the XDG folders into a temporary folder before anything is collected.

    Set in os.environ (not per test) so that subprocesses the tests start, such as a child
    ``cmdpost``, inherit it too. The real folders are listed now and compared at the end.
    """
    for folder in real_user_folders():
        _real_listing[str(folder)] = listing(folder)
    sandbox = Path(tempfile.mkdtemp(prefix="cmdpost-tests-home-"))
    _saved_environment["sandbox"] = str(sandbox)
    for name in SANDBOX_VARIABLES + USER_VARIABLES:
        _saved_environment[name] = os.environ.get(name)
    os.environ["HOME"] = str(sandbox)
    for name, sub in XDG_FOLDERS.items():
        (sandbox / sub).mkdir(parents=True, mode=0o700)
        os.environ[name] = str(sandbox / sub)
    for name in USER_VARIABLES:
        os.environ.pop(name, None)
    _no_real_printer(sandbox / "bin")


# CUPS stand-ins first on PATH: a test that reaches `--print` (the CLI fuzz does) must never put a page
# on the real printer of the machine running the suite. Tests of printing put their own fakes before these.
NO_PRINTER = {
    "lp": "#!/bin/sh\necho 'lp: the test suite has no printer' >&2\nexit 1\n",
    "lpstat": "#!/bin/sh\necho 'no system default destination'\n",
}


def _no_real_printer(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    for name, body in NO_PRINTER.items():
        (folder / name).write_text(body, encoding="utf-8")
        (folder / name).chmod(0o700)
    _saved_environment["PATH"] = os.environ.get("PATH")
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if the user's real cmdpost folders changed while it ran."""
    changed = [folder for folder, before in _real_listing.items() if listing(Path(folder)) != before]
    if changed:
        session.config.pluginmanager.get_plugin("terminalreporter").write_sep(
            "!", "the suite wrote outside its sandbox, into: " + ", ".join(changed), red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    sandbox = _saved_environment.pop("sandbox", None)
    for name, value in _saved_environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if sandbox:
        shutil.rmtree(sandbox, ignore_errors=True)


@pytest.fixture(autouse=True)
def sandboxed_home(monkeypatch):
    """Every test starts in the sandbox, whatever an earlier test or the shell set."""
    sandbox = Path(_saved_environment["sandbox"])
    monkeypatch.setenv("HOME", str(sandbox))
    for name, sub in XDG_FOLDERS.items():
        monkeypatch.setenv(name, str(sandbox / sub))
    for name in USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return sandbox


# scrypt at the production cost (n=2**14) takes some 50 ms of CPU a hash, and every sign-in, new account
# and new PIN makes one: most of the time of the account tests, and of a mutation run over them. A test
# that is not about the hash's strength gets a cheap one; the stored format and the check are the same,
# and secret_matches reads the cost from the stored hash. Tests about the hash itself carry
# @pytest.mark.production_scrypt, and tests/test_mut_accounts.py pins SCRYPT_N, R and P. Only the
# suite lowers it: the production code reads no setting that could.
CHEAP_SCRYPT_N = 2**4


@pytest.fixture(autouse=True)
def cheap_pin_hash(request, monkeypatch):
    from db.accounts import operators

    if not request.node.get_closest_marker("production_scrypt"):
        monkeypatch.setattr(operators, "SCRYPT_N", CHEAP_SCRYPT_N)
    operators._dummy_hash.cache_clear()  # made at the cost this test runs at
    yield
    operators._dummy_hash.cache_clear()


def require_part(reason: str) -> None:
    """A part the tests need is missing from this machine: skip here, but fail under CI (.ci/run sets
    CI=true), where every part must be installed and a quiet skip would leave a feature untested."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"missing under CI: {reason}", pytrace=False)
    pytest.skip(reason)


class _FixedTime:
    """The time module as a CLI module sees it, with the wall clock stopped at FIXED_NOW."""

    def __getattr__(self, name):
        return getattr(time, name)

    @staticmethod
    def time() -> float:
        return FIXED_NOW.timestamp()


class _FixedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        return FIXED_NOW.astimezone(tz) if tz else FIXED_NOW.astimezone().replace(tzinfo=None)


CLI_MODULES_WITH_A_CLOCK = (
    "console.cli.passes",
    "console.cli.passes_field",
    "console.cli.supply_actions",
    "console.cli.registers",
    "console.cli.roster",
    "console.cli.accounts",
    "console.cli.session",
)


@pytest.fixture
def fixed_cli_clock(monkeypatch):
    """The CLI's "now" and "today" at FIXED_NOW, for tests whose outcome depends on the day or the time:
    a run that crosses midnight at the post, or two scans that must fall within a window."""
    import importlib

    for name in CLI_MODULES_WITH_A_CLOCK:
        module = importlib.import_module(name)
        if hasattr(module, "time"):
            monkeypatch.setattr(module, "time", _FixedTime())
        if hasattr(module, "datetime"):
            monkeypatch.setattr(module, "datetime", _FixedDatetime)
    return FIXED_NOW


@pytest.fixture(autouse=True)
def chinese_by_default():
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")


@contextmanager
def refused(error: type[Exception], key: str, **params):
    """Like pytest.raises, but the error must also be the rule expected: its catalogue key (and params).

    A bare ``pytest.raises(RuleError)`` passes for any rule that refuses, including the wrong one."""
    with pytest.raises(error) as caught:
        yield caught
    assert caught.value.key == key, f"refused by {caught.value}, not {key}"
    for name, value in params.items():
        assert caught.value.params.get(name) == value, (name, caught.value)


def build_small_post() -> None:
    """Three grids in three zones, with sub-grids, units, 40 households and staff."""
    grids = [
        GridInput("1", "第一网格", "封控区"),
        GridInput("2", "第二网格", "管控区"),
        GridInput("3", "第三网格", "防范区"),
    ]
    for g in ("1", "2", "3"):
        grids += [GridInput(f"{g}-1", "一组"), GridInput(f"{g}-2", "二组"), GridInput(f"{g}-1-1", "一单元")]
    writes.upsert_grids(grids, actor="test")
    households = []
    for n in range(1, 41):
        grid = ["1-1", "1-2", "1-1-1", "2-1"][n % 4]
        households.append(
            HouseholdInput(
                grid,
                f"花厅口村{n}号",
                n % 5 + 1,
                f"户主{n}",
                f"170000{n:05d}",
                "独居老人" if n % 10 == 0 else "",
                "",
            )
        )
    households.append(HouseholdInput("2-2", "花厅口村99号", 2, MARKUP_NAME, "17000009999", "", MARKUP_NOTE))
    writes.upsert_households(households, actor="test")
    writes.upsert_staff(
        [
            StaffInput(
                "许文倡",
                "网格长",
                "1",
                phone="17000100001",
                birth_year=1975,
                party_member="是",
                last_negative_test="2022-04-09",
                team="龙湖镇疫情防控突击队",
            ),
            StaffInput(
                "林秋芽", "干部", "1", phone="17000100002", birth_year=1966, last_negative_test="2022-03-01"
            ),
            StaffInput("陈志明", "志愿者", "2-1", phone="17000100003", birth_year=1995),
        ],
        actor="test",
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "post.db"


@pytest.fixture
def post_db(db_path: Path):
    """An open database holding the small post."""
    database = open_database(db_path)
    build_small_post()
    yield database
    database.close()


# The PIN and the moment the accounts of `closed_post` are made with (the account tests use the same).
ACCOUNTS_PIN = "246810"
ACCOUNTS_NOW = 1_650_000_000


@pytest.fixture
def closed_post(post_db):
    """The small post with an admin (boss), an operator (op) and a supervisor (watch); nobody signed in."""
    from db.accounts import operators as accounts

    accounts._unknown.clear()
    accounts.add_account("boss", "admin", ACCOUNTS_PIN, now=ACCOUNTS_NOW)
    accounts.sign_in("boss", ACCOUNTS_PIN, now=ACCOUNTS_NOW)
    accounts.add_account("op", "operator", ACCOUNTS_PIN, now=ACCOUNTS_NOW)
    accounts.add_account("watch", "supervisor", ACCOUNTS_PIN, now=ACCOUNTS_NOW)
    accounts.sign_out()
    return post_db


def make_app(db_path: Path, *, language: str = "zh", demo: bool = False, readonly: bool = False):
    from console.app import CmdpostApp
    from db.connection import open_readonly

    i18n.set_language(language)
    database = open_readonly(db_path) if readonly else open_database(db_path)
    config = Config(post_name="花厅口村疫情防控临时指挥部", database=db_path, language=language)
    return CmdpostApp(
        config, database, db_path, demo=demo, clock=lambda: FIXED_NOW, actor="tester", readonly=readonly
    )


@pytest.fixture
def roster_post(post_db):
    """The small post with a checkpoint, a day of shifts from 10 April, and one person on duty now."""
    from db.roster import writes as roster
    from db.roster.settings import Duty, Rules

    writes.add_duty_post("卡口", "1", "村口卡口")
    writes.upsert_staff(
        [
            StaffInput(
                "甲", "志愿者", "1", phone="17000200001", birth_year=1990, last_negative_test="2022-04-10"
            ),
            StaffInput(
                "乙", "志愿者", "1", phone="17000200002", birth_year=1992, last_negative_test="2022-04-10"
            ),
        ],
        actor="test",
    )
    duty = Duty(Rules(), FIXED_NOW.tzinfo)
    roster.generate_shifts(duty, FIXED_NOW.date(), 2)
    shift = post_db.execute_sql(
        "SELECT id FROM shift WHERE starts_at <= ? AND ends_at > ?", (int(FIXED_NOW.timestamp()),) * 2
    ).fetchone()[0]
    staff = post_db.execute_sql("SELECT id FROM staff WHERE name = '甲'").fetchone()[0]
    roster.assign(duty, staff, shift, actor="test", now=int(FIXED_NOW.timestamp()))
    return post_db


async def wait_until(pilot, condition, what: str, *, limit: float = 30.0) -> None:
    """Pause until ``condition()`` holds. ``limit`` is not a speed limit: on the slowest machine it only
    stops a condition that never comes from hanging the suite."""
    waited = 0.0
    while not condition():
        if waited >= limit:
            raise AssertionError(f"never happened: {what}")
        await pilot.pause(0.05)
        waited += 0.05


async def settle(app, pilot) -> None:
    """Let every worker finish and the screen repaint before asserting."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
