"""``--print`` hands the PDF to CUPS ``lp`` (issue 16): a fake ``lp`` and ``lpstat`` on PATH record the
call; a PATH without ``lp``, or an ``lpstat`` with no default, is said in one line and nothing is written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli import main
from console.config import ConfigError, load_config
from console.sheets import printer
from tests.test_passes_print import font_or_skip


def fake_tools(folder: Path, *, default: str | None = "Office", lp_fails: bool = False) -> Path:
    """``lp`` that logs its arguments (or refuses), and ``lpstat -d`` naming ``default`` (or none)."""
    folder.mkdir(exist_ok=True)
    log = folder / "lp.log"
    lp = (
        f"#!/bin/sh\necho \"$@\" >> '{log}'\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n"
        if lp_fails
        else f"#!/bin/sh\necho \"$@\" >> '{log}'\necho 'request id is Office-42 (1 file(s))'\n"
    )
    answer = f"system default destination: {default}" if default else "no system default destination"
    lpstat = f"#!/bin/sh\necho \"$@\" >> '{folder / 'lpstat.log'}'\necho '{answer}'\n"
    for name, body in (("lp", lp), ("lpstat", lpstat)):
        (folder / name).write_text(body, encoding="utf-8")
        (folder / name).chmod(stat.S_IRWXU)
    return log


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    log = fake_tools(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


@pytest.fixture
def printable(roster_post, db_path):
    font_or_skip()
    roster_post.close()
    return ["roster", "print", "--db", str(db_path), "--date", "2022-04-10"]


def test_print_sends_the_pdf_to_the_default_printer(printable, fake_lp, tmp_path, capsys):
    out = tmp_path / "roster.pdf"
    assert main(printable + ["--out", str(out), "--print"]) == 0
    assert fake_lp.read_text(encoding="utf-8").split() == ["-d", "Office", str(out.resolve())]
    assert out.read_bytes().startswith(b"%PDF-")
    said = capsys.readouterr().out
    assert "Office" in said and "Office-42" in said and "request id" not in said


def test_a_printer_named_in_config_is_used_without_asking_lpstat(printable, fake_lp, tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("printing:\n  printer: HP_LaserJet_Pro\n", encoding="utf-8")
    out = tmp_path / "roster.pdf"
    assert main(["--config", str(config)] + printable + ["--out", str(out), "--print"]) == 0
    assert fake_lp.read_text(encoding="utf-8").split()[:2] == ["-d", "HP_LaserJet_Pro"]
    assert not (fake_lp.parent / "lpstat.log").exists()


def test_without_lp_print_is_refused_in_one_line_and_nothing_is_written(
    printable, tmp_path, monkeypatch, capsys
):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "roster.pdf"
    assert main(printable + ["--out", str(out), "--print"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cmdpost: ") and "lp" in err[0] and "cups" in err[0].lower()
    assert not out.exists()


def test_without_a_default_printer_print_is_refused_in_one_line(printable, tmp_path, monkeypatch, capsys):
    fake_tools(tmp_path / "bin", default=None)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    out = tmp_path / "roster.pdf"
    assert main(printable + ["--out", str(out), "--print"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "默认打印机" in err[0] and "printing.printer" in err[0]
    assert not out.exists() and not (tmp_path / "bin" / "lp.log").exists()


def test_a_printer_that_refuses_is_said_in_one_line(printable, tmp_path, monkeypatch, capsys):
    fake_tools(tmp_path / "bin", lp_fails=True)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    out = tmp_path / "roster.pdf"
    assert main(printable + ["--out", str(out), "--print"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert (
        len(err) == 1 and "does not exist" in err[0] and str(out) in captured.out
    )  # the PDF is there to use


def test_print_needs_a_pdf(printable, fake_lp, tmp_path, capsys):
    out = tmp_path / "roster.html"
    assert main(printable + ["--out", str(out), "--print"]) == 1
    assert ".pdf" in capsys.readouterr().err and not out.exists() and not fake_lp.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["supply", "run", "print", "1"],
        ["export", "callbacks", "--grid", "1"],
        ["pass", "print", "--grid", "1"],
    ],
)
def test_every_printable_takes_print(argv):
    from tests.cli_argv import PARSER

    args = PARSER.parse_args(argv + ["--out", "x.pdf", "--print"])
    assert args.print is True


def test_supply_csv_exports_refuse_print(post_db, db_path, tmp_path, fake_lp, capsys):
    post_db.close()
    out = tmp_path / "stock.csv"
    assert main(["export", "stock", "--db", str(db_path), "--out", str(out), "--print"]) == 1
    assert "--print" in capsys.readouterr().err and not out.exists() and not fake_lp.exists()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_lpstat_answer_gives_a_printer_name_or_one_clear_refusal(answer):
    """lpstat's output comes from outside: whatever it says, the result is one usable queue name or a refusal."""
    from unittest import mock

    done = mock.Mock(returncode=0, stdout=answer, stderr="")
    with (
        mock.patch.object(printer.shutil, "which", return_value="/usr/bin/lp"),
        mock.patch.object(printer, "_run", return_value=done),
    ):
        try:
            name = printer.choose_printer(None)
        except printer.PrinterError as err:
            assert err.key == "printer.no_default" and "\n" not in str(err.params["reason"])
        else:
            assert name and not any(c.isspace() for c in name) and name in answer


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=2)))
def test_a_printer_setting_is_a_queue_name_or_one_clear_error(tmp_path_factory, value):
    import yaml

    config = tmp_path_factory.mktemp("c") / "config.yaml"
    config.write_text(yaml.safe_dump({"printing": {"printer": value}}, allow_unicode=True), encoding="utf-8")
    try:
        name = load_config(config).printer
    except ConfigError as err:
        assert err.key in ("config.bad_printer", "config.bad_yaml")
    else:
        assert name is None or (
            name == value and not name.startswith("-") and " " not in name and "/" not in name
        )
