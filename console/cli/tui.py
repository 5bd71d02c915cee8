"""``cmdpost`` with no command (the console), ``cmdpost --demo`` and ``cmdpost supervise``:
the commands where Textual owns the terminal. This is the start-up path, so it imports only what
the console needs before Textual loads."""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import datetime
from typing import Any

from console import i18n, startup_gc
from console.cli.post import post_path, upgrade_notice
from console.config import Config
from widgets.tile_geometry import tiles_on_a_screen

FIRST_TILES_AT_LEAST = 60  # 5 columns of 12 rows: a terminal of 175 by 70


def run_console(args: argparse.Namespace, config: Config) -> int:
    opened = open_console(args, config)
    from console.app import CmdpostApp

    try:
        app = CmdpostApp(config=config, **opened)
        app.run()
    finally:  # also when the terminal went before the app ran (console/terminal_guard.py)
        startup_gc.resume()
        opened["db_thread"].close(opened["database"])  # the post's one connection (done if the app ended)
    return app.return_code or 0


def open_console(args: argparse.Namespace, config: Config) -> dict[str, Any]:
    """Everything the console needs before Textual is imported (the benchmark takes this path too).

    The database thread starts here: it opens the post, then reads the first screen's data while
    Textual loads.
    """
    from db.thread import open_with_first_look

    startup_gc.pause()  # until the first frame (CmdpostApp.on_ready)
    demo = bool(args.demo)
    path = post_path(args, config)
    # The demo's module (and its progress bar) only when the demo post must be found or built.
    if demo and not (args.db and path.exists()):
        from console.cli.demo import build_demo, demo_path

        path = path if args.db else demo_path()
        if not path.exists():
            print(i18n.t("cli.demo_first_run", path=path), file=sys.stderr)
            build_demo(path, scale="village", seed=1, force=False)
    day = datetime.now(config.tz).date().isoformat()
    database, db_thread, look = open_with_first_look(
        path, day, demo, first_tiles(), on_upgrade=upgrade_notice(path)
    )
    return {"database": database, "db_path": path, "demo": demo, "db_thread": db_thread, "first_look": look}


def first_tiles() -> int:
    """How many of the dashboard's tiles the first look reads: more than this terminal shows, and than
    a large one does (the size asked of a pipe is 80x24, a headless run's is set later)."""
    size = shutil.get_terminal_size()
    return max(FIRST_TILES_AT_LEAST, tiles_on_a_screen(size.columns, size.lines))


def run_supervisor(args: argparse.Namespace, config: Config) -> int:
    from console.app import CmdpostApp
    from db.connection import open_readonly

    path = post_path(args, config)
    database = open_readonly(path)
    try:
        app = CmdpostApp(config=config, database=database, db_path=path, readonly=True, actor="supervisor")
        app.run()
    finally:
        database.close()
    return app.return_code or 0
