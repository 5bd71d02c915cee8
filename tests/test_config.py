"""config.yaml: the shipped file is valid, and a bad value is one line naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.cli import main
from console.config import Config, ConfigError, load_config

SHIPPED = Path(__file__).resolve().parent.parent / "config.yaml"


def test_shipped_config_is_valid_and_matches_the_defaults():
    config = load_config(SHIPPED)
    defaults = Config()
    assert config.post_name == defaults.post_name
    assert config.rules == defaults.rules
    assert config.language == "zh" and config.timezone == "Asia/Shanghai"
    assert (config.county_trim_after_hours, config.county_keep_synced) == (
        defaults.county_trim_after_hours,
        defaults.county_keep_synced,
    )


def test_every_setting_appears_in_the_shipped_file_under_a_comment():
    import re

    from console.config import Rules

    text = SHIPPED.read_text(encoding="utf-8")
    names = ["post", "name", "database", "language", "timezone", "rules", *Rules.__dataclass_fields__]
    for name in names:
        match = re.search(rf"^(#\s*)?\s*{name}:", text, re.MULTILINE)
        assert match, name
        before = text[: match.start()].rstrip().splitlines()
        assert before and (before[-1].lstrip().startswith("#") or re.match(r"\s+\w+:", before[-1])), name


@pytest.mark.parametrize(
    "text,key",
    [
        ("rules:\n  duty_age_max: abc\n", "rules.duty_age_max"),
        ("rules:\n  duty_age_min: 60\n  duty_age_max: 50\n", "rules.duty_age_max"),
        ("rules:\n  shift_hours: [8, 25]\n", "rules.shift_hours"),
        ("language: fr\n", "language"),
        ("timezone: Mars/Olympus\n", "timezone"),
        ("colour: red\n", "colour"),
        ("rules:\n  max_hours: 3\n", "rules.max_hours"),
        ("county:\n  trim_after_hours: -1\n", "county.trim_after_hours"),
        ("county:\n  keep_synced: many\n", "county.keep_synced"),
        ("county:\n  keep: 3\n", "county.keep"),
        ("county: 3\n", "county"),
    ],
)
def test_bad_value_is_one_line_naming_the_key(tmp_path, capsys, text, key):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert key in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.db").exists()


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("post:\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "config.bad_yaml"


def test_relative_database_path_is_taken_from_the_config_folder(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("database: data/post.db\nlanguage: en\n", encoding="utf-8")
    config = load_config(path)
    assert config.database == tmp_path / "data" / "post.db"
    assert config.language == "en"


def test_the_parsed_config_is_kept_owner_only_and_follows_every_change(tmp_path):
    from console.i18n import cache_dir

    path = tmp_path / "config.yaml"
    path.write_text("post:\n  name: 一号指挥部\n", encoding="utf-8")
    assert load_config(path).post_name == "一号指挥部"
    kept = [p for p in cache_dir().glob("config-*.json") if "一号指挥部" in p.read_text(encoding="utf-8")]
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o077 == 0  # start-up reads this instead of the YAML
    assert load_config(path).post_name == "一号指挥部"  # from the kept copy
    path.write_text("post:\n  name: 二号指挥部\n", encoding="utf-8")
    assert load_config(path).post_name == "二号指挥部"
    kept[0].write_text("{half", encoding="utf-8")  # a damaged copy is parsed again, not trusted
    path.write_text("post:\n  name: 一号指挥部\n", encoding="utf-8")
    assert load_config(path).post_name == "一号指挥部"


def test_a_value_json_would_change_is_not_kept(tmp_path):
    from console.i18n import cache_dir

    path = tmp_path / "config.yaml"
    path.write_text("post:\n  name: 2026-12-05\n", encoding="utf-8")  # YAML reads a date, JSON has none
    with pytest.raises(ConfigError):
        load_config(path)
    assert not any("2026" in p.read_text(encoding="utf-8") for p in cache_dir().glob("config-*.json"))
    with pytest.raises(ConfigError):
        load_config(path)  # the same one line, the second time too
