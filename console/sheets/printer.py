"""Sending a PDF to the system printer with CUPS ``lp``: to the printer named in config.yaml
(``printing.printer``), else to the system's default (``lpstat -d``).

Where there is no ``lp``, or no default printer, the caller is told so in one line before anything
is written: an operator who pressed "print" must not believe a sheet is coming out. ``lp`` and
``lpstat`` are found on PATH (tests put fakes there) and run with an argument list, never a shell,
with the C locale so that lpstat's answer can be read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from db.errors import CmdpostError
from db.safe_text import shown

TIMEOUT = 20  # seconds: lp hands the file to the local scheduler and returns; more means CUPS is stuck
_DEFAULT = re.compile(r"system default destination:\s*(\S+)")
_REQUEST = re.compile(r"request id is (\S+)")


class PrinterError(CmdpostError):
    """Nothing was sent to a printer (no lp, no default printer, lp refused or hung)."""


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # lpstat speaks the user's language otherwise
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PrinterError("printer.timeout", seconds=TIMEOUT) from None
    except OSError as exc:
        raise PrinterError("printer.failed", printer=command[0], reason=exc.strerror or str(exc)) from None


def _first_line(text: str) -> str:
    return shown(next((line.strip() for line in text.splitlines() if line.strip()), "—"))[:200]


def choose_printer(configured: str | None) -> str:
    """The printer to send to; raises PrinterError (one line, nothing sent) where there is none."""
    if shutil.which("lp") is None:
        raise PrinterError("printer.no_lp")
    if configured:
        return configured
    if shutil.which("lpstat") is None:
        raise PrinterError("printer.no_default", reason="lpstat —")
    answer = _run(["lpstat", "-d"])
    found = _DEFAULT.search(answer.stdout)
    if answer.returncode != 0 or found is None:
        raise PrinterError("printer.no_default", reason=_first_line(answer.stdout + "\n" + answer.stderr))
    return found.group(1)


def send(path: Path, printer: str) -> str:
    """Queue ``path`` on ``printer``; lp's answer ("request id is …") for the operator."""
    # An absolute path never starts with "-", so lp cannot read the file's name as an option.
    answer = _run(["lp", "-d", printer, str(Path(path).resolve())])
    if answer.returncode != 0:
        raise PrinterError(
            "printer.failed", printer=shown(printer), reason=_first_line(answer.stderr + answer.stdout)
        )
    found = _REQUEST.search(answer.stdout)  # "request id is Office-7 (1 file(s))": the job's name
    return shown(found.group(1)) if found else _first_line(answer.stdout)


def printer_if_asked(out: Path, asked: bool, configured: str | None) -> str | None:
    """For ``--print``: the printer to use, checked before the sheet is written (None when not asked).
    Refuses a name that is not a PDF, and a laptop with no printer, with nothing written."""
    if not asked:
        return None
    from console.sheets.paths import require_pdf_to_print

    require_pdf_to_print(out)
    return choose_printer(configured)


def send_and_say(path: Path, printer: str) -> str:
    """Send ``path`` and return the line that says so, in the operator's language."""
    from console.i18n import t

    request = send(path, printer)
    return t("printer.sent", printer=shown(printer), path=shown(path), request=request)
