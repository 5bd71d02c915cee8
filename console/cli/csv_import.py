"""``cmdpost import grids|households|staff FILE.csv``: print what db/intake/csv_import finds.

Row errors go to stderr as ``FILE:LINE: column: reason``, the way compilers
report them, so an operator can jump to each one in an editor or in Excel.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys

from console import i18n
from console.cli.post import open_post
from console.cli.session import cli_actor
from console.config import Config
from console.progress import ProgressBar
from console.text.imports import summary_text
from db.errors import CmdpostError
from db.intake.csv_import import CsvFileError, ImportProblem, read_csv, write_table

MAX_PRINTED = 200
# Below this a file reads and writes in well under a second: a bar would only flicker.
PROGRESS_MIN_BYTES = 256 * 1024
ACTOR = "cmdpost import"


def problem_text(file: str, problem: ImportProblem) -> str:
    reason = i18n.error_text(CmdpostError(problem.key, **problem.params))
    return f"{file}:{problem.line}: {problem.column}: {reason}"


def _progress(file: str):
    try:
        large = os.path.getsize(file) >= PROGRESS_MIN_BYTES
    except OSError:
        return None
    if not large:
        return None
    bars = {"read": ProgressBar(i18n.t("import.reading")), "write": ProgressBar(i18n.t("import.writing"))}
    return lambda stage, done, total: bars[stage](done, total)


def run_import(args: argparse.Namespace, config: Config) -> int:
    file: str = args.file
    progress = _progress(file)
    try:
        table = read_csv(file, args.kind, progress)
    except CsvFileError as err:
        where = f"{file}:{err.line}" if err.line else file
        print(f"cmdpost: {where}: {i18n.error_text(err)}", file=sys.stderr)
        return 1
    except csv.Error as err:  # e.g. a field over the csv module's 131,072-character limit
        print(f"cmdpost: {file}: {i18n.t('import.bad_csv', reason=err)}", file=sys.stderr)
        return 1
    if table.ignored:
        print(i18n.t("import.ignored_columns", columns="、".join(table.ignored)), file=sys.stderr)
    if table.empty:
        print(f"cmdpost: {file}: {i18n.t('import.no_rows')}", file=sys.stderr)
        return 1
    with open_post(args, config):
        result = write_table(table, actor=cli_actor(ACTOR), dry_run=args.dry_run, progress=progress)
    if result.problems:
        for problem in result.problems[:MAX_PRINTED]:
            print(problem_text(file, problem), file=sys.stderr)
        if len(result.problems) > MAX_PRINTED:
            print(i18n.t("import.more_problems", count=len(result.problems) - MAX_PRINTED), file=sys.stderr)
        print(i18n.t("batch.invalid", count=len(result.problems)), file=sys.stderr)
        return 1
    print(summary_text(args.kind, result, args.dry_run))
    return 0
