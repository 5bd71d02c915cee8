"""The suite's sandbox (tests/conftest.py): no test reads the user's settings or writes into the user's folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from console import i18n
from console.config import data_dir, find_config
from tests.conftest import listing, real_user_folders


def test_home_and_every_xdg_folder_point_into_the_sandbox(sandboxed_home):
    assert Path.home() == sandboxed_home
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        assert Path(os.environ[name]).is_relative_to(sandboxed_home), name
    assert data_dir().is_relative_to(sandboxed_home) and i18n.cache_dir().is_relative_to(sandboxed_home)
    assert not {"CMDPOST_CONFIG", "CMDPOST_USER", "CMDPOST_PIN"} & set(os.environ)


def test_a_child_process_inherits_the_sandbox(sandboxed_home):
    code = (
        "from console.config import data_dir; from pathlib import Path; print(Path.home()); print(data_dir())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert Path(out[0]) == sandboxed_home and Path(out[1]).is_relative_to(sandboxed_home)


def test_the_only_printer_the_suite_can_reach_is_a_stand_in_that_refuses(sandboxed_home):
    import shutil

    from console.sheets import printer

    assert Path(shutil.which("lp")).is_relative_to(sandboxed_home)
    assert Path(shutil.which("lpstat")).is_relative_to(sandboxed_home)
    try:
        printer.choose_printer(None)
    except printer.PrinterError as err:
        assert err.key == "printer.no_default"
    else:
        raise AssertionError("a default printer was found")


def test_a_user_config_in_the_real_home_is_not_read(sandboxed_home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./config.yaml either
    assert find_config(None) is None


def test_the_real_folders_are_listed_with_mtimes_so_a_write_is_seen(tmp_path):
    folder = tmp_path / "cmdpost"
    assert listing(folder) == {}
    (folder / "print").mkdir(parents=True)
    before = listing(folder)
    (folder / "print" / "配送凭证-2.html").write_text("x", encoding="utf-8")
    assert listing(folder) != before and "print/配送凭证-2.html" in listing(folder)


def test_the_real_folders_are_found_as_cmdpost_finds_them():
    home = {"HOME": "/h"}
    assert real_user_folders(home) == [Path("/h/.cache/cmdpost"), Path("/h/.local/share/cmdpost")]
    assert real_user_folders({**home, "XDG_CACHE_HOME": "/c", "XDG_DATA_HOME": "/d"}) == [
        Path("/c/cmdpost"),
        Path("/d/cmdpost"),
    ]
