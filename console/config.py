"""Reading and checking config.yaml.

Every key has a default here, so a post can start with no file at all. A bad
value stops start-up with one line naming the key, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from db.errors import CmdpostError
from db.roster.settings import DEFAULT_POST_ROLES, Rules
from db.vocab import STAFF_ROLES as ALL_ROLES


class ConfigError(CmdpostError):
    """``params['setting']`` names the offending key, e.g. ``rules.duty_age_max``."""


def data_dir() -> Path:
    """Where the post's files live when config.yaml names no database."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cmdpost"


@dataclass(frozen=True)
class Config:
    post_name: str = "花厅口村疫情防控临时指挥部"
    database: Path = field(default_factory=lambda: data_dir() / "cmdpost.db")
    language: str = "zh"
    timezone: str = "Asia/Shanghai"
    rules: Rules = field(default_factory=Rules)
    source: Path | None = None
    # Rolling backups taken by the console (0 minutes: none); folder None: "backups" beside the database.
    backup_every_minutes: int = 30
    backup_keep: int = 48
    backup_folder: Path | None = None
    # Sign-in: the screen locks after idle_lock_minutes without a key (0: never); lockout_after
    # wrong PINs lock an account for lockout_minutes.
    idle_lock_minutes: int = 10
    lockout_after: int = 5
    lockout_minutes: int = 15
    # Whether an antigen self-test (抗原) counts as tested in this round's chains.
    antigen_counts: bool = False
    # A checker whose revocation bulletin (or database copy) is older than this answers STALE.
    bulletin_max_age_hours: int = 12
    # The CUPS printer `--print` and the screens' print-to-printer keys send to (None: the system's default).
    printer: str | None = None
    # The county sync trims outbox lines the county has held for trim_after_hours, keeping the newest
    # keep_synced of them (db/county/trim.py).
    county_trim_after_hours: int = 72
    county_keep_synced: int = 10_000

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def find_config(explicit: str | None) -> Path | None:
    """--config, else $CMDPOST_CONFIG, else ./config.yaml, else the user's config folder."""
    if explicit:
        return Path(explicit).expanduser()
    candidates = [
        os.environ.get("CMDPOST_CONFIG"),
        "config.yaml",
        os.path.join(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config", "cmdpost", "config.yaml"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _int(section: dict, key: str, path: str, default: int, low: int, high: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError("config.bad_int", setting=path, low=low, high=high, value=value)
    return value


def _parse_rules(raw: object) -> Rules:
    if raw is None:
        return Rules()
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="rules")
    unknown = set(raw) - set(Rules.__dataclass_fields__)
    if unknown:
        raise ConfigError("config.unknown_key", setting=f"rules.{sorted(unknown)[0]}")
    base = Rules()
    ints = {
        name: _int(raw, name, f"rules.{name}", getattr(base, name), low, high)
        for name, low, high in (
            ("duty_age_min", 14, 80),
            ("duty_age_max", 14, 80),
            ("test_valid_hours", 1, 24 * 14),
            ("min_rest_hours", 0, 48),
            ("min_rest_after_night_hours", 0, 72),
            ("max_hours_per_24h", 1, 24),
            ("max_hours_per_week", 1, 168),
            ("night_start", 0, 23),
            ("night_end", 0, 23),
            ("noshow_limit", 1, 100),
            ("noshow_window_days", 1, 365),
        )
    }
    if ints["duty_age_min"] >= ints["duty_age_max"]:
        raise ConfigError("config.age_order", setting="rules.duty_age_max")
    hours = raw.get("shift_hours", list(base.shift_hours))
    if (
        not isinstance(hours, list)
        or not hours
        or len(set(hours)) != len(hours)
        or not all(isinstance(h, int) and not isinstance(h, bool) and 0 <= h <= 23 for h in hours)
    ):
        raise ConfigError("config.bad_shift_hours", setting="rules.shift_hours", value=hours)
    tags = raw.get("care_tags", list(base.care_tags))
    if not isinstance(tags, list) or not all(isinstance(x, str) and x.strip() for x in tags):
        raise ConfigError("config.bad_list", setting="rules.care_tags")
    return Rules(
        shift_hours=tuple(hours),
        care_tags=tuple(x.strip() for x in tags),
        post_roles=_parse_post_roles(raw.get("post_roles")),
        **ints,
    )


def _parse_post_roles(raw: object) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return dict(DEFAULT_POST_ROLES)
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="rules.post_roles")
    roles = dict(DEFAULT_POST_ROLES)
    for kind, allowed in raw.items():
        if kind not in DEFAULT_POST_ROLES:
            raise ConfigError("config.unknown_key", setting=f"rules.post_roles.{kind}")
        if not isinstance(allowed, list) or not allowed or any(r not in ALL_ROLES for r in allowed):
            raise ConfigError(
                "config.bad_choice",
                setting=f"rules.post_roles.{kind}",
                value=allowed,
                allowed=", ".join(ALL_ROLES),
            )
        roles[kind] = tuple(allowed)
    return roles


def _parse_yaml(text: str, path: Path) -> object:
    """The file's data. Importing PyYAML and parsing cost 10-15 ms of every start, so the data is
    kept as JSON in the user's cache folder under the text's hash (0.2 ms to read), when JSON gives
    it back unchanged; without a writable cache folder the YAML is simply parsed each time."""
    from console.i18n import cache_dir, keep_json

    cached = cache_dir() / f"config-{hashlib.sha256(text.encode()).hexdigest()[:32]}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import yaml

    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 5 ms less
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ConfigError("config.bad_yaml", setting=str(path), line=(line or 0) + 1) from exc
    try:
        same = json.loads(json.dumps(raw)) == raw  # a date, or a number as a key, would come back changed
    except (TypeError, ValueError):
        same = False
    if same:
        keep_json(cached, raw, stale="config-*.json")
    return raw


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError("config.unreadable", setting=str(path), reason=exc.strerror or str(exc)) from exc
    raw = _parse_yaml(text, path) or {}
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting=str(path))
    unknown = set(raw) - {
        "post",
        "database",
        "language",
        "timezone",
        "rules",
        "backup",
        "security",
        "chain",
        "passes",
        "printing",
        "county",
    }
    if unknown:
        raise ConfigError("config.unknown_key", setting=sorted(unknown)[0])
    post = raw.get("post") or {}
    if not isinstance(post, dict) or not isinstance(post.get("name", ""), str):
        raise ConfigError("config.bad_text", setting="post.name")
    name = (post.get("name") or Config.post_name).strip()
    database = raw.get("database")
    if database is not None and (not isinstance(database, str) or not database.strip()):
        raise ConfigError("config.bad_text", setting="database")
    db_path = Path(os.path.expandvars(database)).expanduser() if database else data_dir() / "cmdpost.db"
    if database and not db_path.is_absolute():
        db_path = path.parent / db_path  # relative to the config file, not to wherever cmdpost was started
    language = raw.get("language", "zh")
    if language not in ("zh", "en"):
        raise ConfigError("config.bad_choice", setting="language", value=language, allowed="zh, en")
    timezone = raw.get("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("config.bad_timezone", setting="timezone", value=timezone) from None
    every, keep, folder = _parse_backup(raw.get("backup"), path)
    security = _parse_security(raw.get("security"))
    chain = raw.get("chain") or {}
    if not isinstance(chain, dict) or set(chain) - {"antigen_counts"}:
        raise ConfigError("config.unknown_key", setting="chain")
    if not isinstance(chain.get("antigen_counts", False), bool):
        raise ConfigError(
            "config.bad_choice",
            setting="chain.antigen_counts",
            value=chain["antigen_counts"],
            allowed="true, false",
        )
    return Config(
        post_name=name,
        database=db_path,
        language=language,
        timezone=str(timezone),
        backup_every_minutes=every,
        backup_keep=keep,
        backup_folder=folder,
        rules=_parse_rules(raw.get("rules")),
        source=path,
        **security,
        antigen_counts=chain.get("antigen_counts", False),
        bulletin_max_age_hours=_parse_passes(raw.get("passes")),
        printer=_parse_printing(raw.get("printing")),
        **_parse_county(raw.get("county")),
    )


def _parse_printing(raw: object) -> str | None:
    """A CUPS queue name: printable, no space, tab, / or # (CUPS's own rule), and not an lp option."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="printing")
    unknown = set(raw) - {"printer"}
    if unknown:
        raise ConfigError("config.unknown_key", setting=f"printing.{sorted(unknown)[0]}")
    name = raw.get("printer")
    if name is None:
        return None
    if (
        not isinstance(name, str)
        or not 0 < len(name) <= 127
        or name.startswith("-")
        or not name.isprintable()
        or any(c in name for c in " \t/#")
    ):
        raise ConfigError("config.bad_printer", setting="printing.printer", value=name)
    return name


def _parse_county(raw: object) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="county")
    unknown = set(raw) - {"trim_after_hours", "keep_synced"}
    if unknown:
        raise ConfigError("config.unknown_key", setting=f"county.{sorted(unknown)[0]}")
    return {
        "county_trim_after_hours": _int(
            raw, "trim_after_hours", "county.trim_after_hours", Config.county_trim_after_hours, 0, 24 * 366
        ),
        "county_keep_synced": _int(
            raw, "keep_synced", "county.keep_synced", Config.county_keep_synced, 0, 100_000_000
        ),
    }


def _parse_passes(raw: object) -> int:
    if raw is None:
        return Config.bulletin_max_age_hours
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="passes")
    unknown = set(raw) - {"bulletin_max_age_hours"}
    if unknown:
        raise ConfigError("config.unknown_key", setting=f"passes.{sorted(unknown)[0]}")
    return _int(
        raw,
        "bulletin_max_age_hours",
        "passes.bulletin_max_age_hours",
        Config.bulletin_max_age_hours,
        1,
        24 * 14,
    )


def _parse_security(raw: object) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="security")
    unknown = set(raw) - {"idle_lock_minutes", "lockout_after", "lockout_minutes"}
    if unknown:
        raise ConfigError("config.unknown_key", setting=f"security.{sorted(unknown)[0]}")
    return {
        name: _int(raw, name, f"security.{name}", getattr(Config, name), low, high)
        for name, low, high in (
            ("idle_lock_minutes", 0, 24 * 60),
            ("lockout_after", 1, 100),
            ("lockout_minutes", 1, 24 * 60),
        )
    }


def _parse_backup(raw: object, path: Path) -> tuple[int, int, Path | None]:
    if raw is None:
        return Config.backup_every_minutes, Config.backup_keep, None
    if not isinstance(raw, dict):
        raise ConfigError("config.not_mapping", setting="backup")
    unknown = set(raw) - {"every_minutes", "keep", "folder"}
    if unknown:
        raise ConfigError("config.unknown_key", setting=f"backup.{sorted(unknown)[0]}")
    every = _int(raw, "every_minutes", "backup.every_minutes", Config.backup_every_minutes, 0, 24 * 60)
    keep = _int(raw, "keep", "backup.keep", Config.backup_keep, 1, 10_000)
    folder = raw.get("folder")
    if folder is not None and (not isinstance(folder, str) or not folder.strip()):
        raise ConfigError("config.bad_text", setting="backup.folder")
    if folder is None:
        return every, keep, None
    resolved = Path(os.path.expandvars(folder)).expanduser()
    return every, keep, resolved if resolved.is_absolute() else path.parent / resolved
