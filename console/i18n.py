"""User-visible text. One catalogue per language in console/locale/*.yaml.

Keys are dotted paths into the catalogue. The data layer raises errors that
carry a key and parameters; they are rendered here, never in db/.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from db.errors import CmdpostError
from db.private_file import write_private_text
from db.safe_text import shown

LANGUAGES = ("zh", "en")
_LOCALE_DIR = Path(__file__).parent / "locale"
_current = "zh"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = str(value)
    return flat


@cache
def catalogue(language: str) -> dict[str, str]:
    """The flattened catalogue. Parsing the YAML costs 10 ms of every start, so the flat form is kept
    as JSON in the user's cache folder, named after the YAML's size and time (a changed YAML is read
    again). Without a writable cache folder the YAML is simply read each time."""
    source = _LOCALE_DIR / f"{language}.yaml"
    stat = source.stat()
    cached = cache_dir() / f"locale-{language}-{stat.st_mtime_ns}-{stat.st_size}.json"
    try:
        flat = json.loads(cached.read_text(encoding="utf-8"))
        if isinstance(flat, dict) and all(isinstance(v, str) for v in flat.values()):
            return flat
    except (OSError, ValueError):
        pass
    import yaml  # only when the cache misses: importing PyYAML is 10 ms of a start

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with source.open(encoding="utf-8") as fh:
        flat = _flatten(yaml.load(fh, Loader=loader))
    keep_json(cached, flat, stale=f"locale-{language}-*.json")
    return flat


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cmdpost"


def keep_json(path: Path, flat: object, stale: str) -> None:
    """Keep ``flat`` as JSON at ``path``, owner-only, removing the files that match ``stale`` first."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(stale):
            old.unlink(missing_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        write_private_text(partial, json.dumps(flat, ensure_ascii=False))
        partial.replace(path)  # whole or not at all: a reader never sees half a file
    except OSError:
        pass


def set_language(language: str) -> None:
    global _current
    if language not in LANGUAGES:
        raise ValueError(language)
    _current = language


def language() -> str:
    return _current


def t(key: str, **params: object) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled in."""
    text = catalogue(_current).get(key) or catalogue("zh").get(key) or key
    if params:
        # A field is usually data (a name, a door, a reason): it is shown with its controls made visible,
        # so no message, toast or error line can carry an escape sequence into the terminal.
        params = {name: shown(value) if isinstance(value, str) else value for name, value in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def error_text(err: CmdpostError) -> str:
    params = dict(err.params)
    for name in ("zone", "new_zone", "old_zone"):
        if isinstance(zone := params.get(name), str):
            params[name] = zone_label(zone)
    if isinstance(verdict := params.get("verdict"), str):  # a pass check's code, e.g. CROSS_GRID, in words
        params["verdict"] = t(f"passes.verdict_{verdict.lower()}")
    if err.key.startswith("roster.cannot_") and isinstance(state := params.get("state"), str):
        params["state"] = attendance_label(state)  # the table's word, never the stored one
    return t(err.key, **params)


def attendance_label(state: str) -> str:
    return t("shift_panel.assigned_state" if state == "assigned" else f"shift_panel.{state}")


def zone_label(zone: str | None) -> str:
    return t(f"zone.{zone}") if zone else t("zone.none")


def role_label(role: str) -> str:
    return t(f"role.{role}")
