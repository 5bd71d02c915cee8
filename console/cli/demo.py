"""``cmdpost demo`` and the first run of ``cmdpost --demo``: build a demo post file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from console.config import Config, data_dir
from console.i18n import t
from console.progress import ProgressBar

if TYPE_CHECKING:
    from db.demo import posts as demo


def demo_path(scale: str = "village") -> Path:
    return data_dir() / f"demo-{scale}.db"


def build_demo(
    path: Path,
    scale: str = "village",
    seed: int = 1,
    force: bool = False,
    progress: demo.Progress | None = None,
) -> demo.DemoSummary:
    from db.demo import posts as demo  # the generator and its pass signing: only when a demo is built

    bar = progress or ProgressBar(t("demo.progress", scale=t(f"demo.scale.{scale}")))
    return demo.build(path, scale, seed, force=force, progress=bar)


def run_demo(args: argparse.Namespace, config: Config) -> int:
    # Without --db a demo goes beside the other demos, never over the post's real database.
    path = Path(args.db).expanduser() if args.db else demo_path(args.scale)
    built = build_demo(path, args.scale, args.seed, args.force)
    print(
        t(
            "demo.summary",
            scale=t(f"demo.scale.{args.scale}"),
            path=built.path,
            grids=f"{built.grids:,}",
            subgrids=f"{built.subgrids:,}",
            households=f"{built.households:,}",
            residents=f"{built.residents:,}",
            staff=f"{built.staff:,}",
            posts=f"{built.posts:,}",
            seconds=built.seconds,
        )
    )
    if built.kept:
        print(t("restore.kept", path=built.kept))
    return 0
