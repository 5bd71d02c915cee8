"""The post's database, opened for one command: ``with open_post(args, config) as database``.

Every command that works on a post opens it here and closes it however the command ends, so a
refusal half-way never leaves a connection (or its sign-in) behind. Which file that is, is
``post_path``: ``--db``, else config.yaml's database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from console import i18n
from console.config import Config

if TYPE_CHECKING:
    from db.audit.guard import PostDatabase


def post_path(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.db).expanduser() if args.db else config.database


@contextmanager
def open_post(args: argparse.Namespace, config: Config) -> Iterator[PostDatabase]:
    """The post opened (created or upgraded, the CLI's user signed in: db/connection.open_database),
    and closed when the block ends."""
    from db.connection import open_database

    path = post_path(args, config)
    database = open_database(path, on_upgrade=upgrade_notice(path))
    try:
        yield database
    finally:
        database.close()


def upgrade_notice(path: Path) -> Callable[[int, int], None]:
    """What tells the operator, on stderr, that the file is being upgraded: a large post's new index
    takes seconds to build, and a silent pause reads as a hang."""

    def notice(old: int, new: int) -> None:
        print(i18n.t("cli.upgrading", path=path, old=old, new=new), file=sys.stderr, flush=True)

    return notice
