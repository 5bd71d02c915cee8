"""File paths in the console's messages."""

from __future__ import annotations

import re

# a path starts after a space or a colon (ASCII or full-width): /…, ~/… or C:\…
_PATH_START = re.compile(r"(?:(?<=[:：])|[ \t]+)(?=(?:/(?!/)|~/|[A-Za-z]:\\)\S)")
_FILE_NAME = re.compile(r"(?<=[/\\])(?=[^/\\\s]+$)", re.MULTILINE)


def path_on_own_line(message: str, *, name_apart: bool = False) -> str:
    """``已打印 2 张:/home/…/passes-1.pdf`` → the path on the next line; with ``name_apart`` (for a
    narrow status line) the file's name on the line after its folder.

    A toast or status line wraps only at spaces; a path glued to the words before it (or longer than
    the rest of the line) was folded wherever the edge fell, splitting a file name in two."""
    lines = _PATH_START.sub("\n", message)
    return _FILE_NAME.sub("\n", lines) if name_apart else lines
