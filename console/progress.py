"""A plain progress bar for the CLI, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
import time

from console.terminal_guard import check_ending


class ProgressBar:
    def __init__(self, label: str, stream=None, width: int = 30) -> None:
        self.label = label
        # Past the command line's visible-controls wrapper (console/cli_output.py): the bar's own CR
        # redraws the line; the label is catalogue text, whose fields are already shown.
        stream = stream or sys.stderr
        self.stream = getattr(stream, "raw", stream)
        self.width = width
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        check_ending()  # a long build is where a console's terminal most often goes
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r{self.label} {bar} {done:,}/{total:,}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
