"""User-visible text. One catalogue per language in console/locale/*.yaml.

Keys are dotted paths into the catalogue. The data layer raises errors that
carry a key and parameters; they are rendered here, never in db/.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from db.errors import CmdpostError

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


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (_LOCALE_DIR / f"{language}.yaml").open(encoding="utf-8") as fh:
        return _flatten(yaml.load(fh, Loader=loader))


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
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def error_text(err: CmdpostError) -> str:
    params = dict(err.params)
    for name in ("zone", "new_zone", "old_zone"):
        if name in params and isinstance(params[name], str):
            params[name] = zone_label(params[name])
    return t(err.key, **params)


def zone_label(zone: str | None) -> str:
    return t(f"zone.{zone}") if zone else t("zone.none")


def role_label(role: str) -> str:
    return t(f"role.{role}")
