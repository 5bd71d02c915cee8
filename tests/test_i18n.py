"""Catalogues: both languages carry the same keys, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from console.i18n import catalogue

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "console" / "locale"


class _CountingLoader(yaml.SafeLoader):
    """Notes every mapping it builds and every key written twice in one (plain YAML keeps the last silently)."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.mappings = 0
        self.duplicated: list[str] = []


def _note_duplicates(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    loader.mappings += 1
    loader.duplicated += sorted({str(k) for k in keys if keys.count(k) > 1})
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_CountingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _note_duplicates)


def duplicated_keys(text: str) -> tuple[int, list[str]]:
    """(mappings read, keys written twice) in one YAML text."""
    loader = _CountingLoader(text)
    try:
        loader.get_single_data()
    finally:
        loader.dispose()
    return loader.mappings, loader.duplicated


def test_catalogues_have_no_duplicate_keys():
    paths = sorted(LOCALES.glob("*.yaml"))
    assert [p.name for p in paths] == ["en.yaml", "zh.yaml"]
    for path in paths:
        mappings, duplicated = duplicated_keys(path.read_text(encoding="utf-8"))
        assert mappings > 10 and duplicated == [], path.name  # the check read the catalogue's mappings


def test_the_duplicate_check_finds_a_key_written_twice():
    assert duplicated_keys("app:\n  title: a\n  title: b\nkeys:\n  quit: q\n") == (3, ["title"])


def test_both_languages_have_the_same_keys_and_placeholders():
    zh, en = catalogue("zh"), catalogue("en")
    assert set(zh) == set(en)
    for key in zh:
        assert set(re.findall(r"{(\w+)}", zh[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def _keys_used_in_code() -> set[str]:
    pattern = re.compile(
        r"""(?:\bt|RuleError|NotFound|DatabaseOpenError|FieldError|ConfigError|CsvFileError)\(\s*(?:"[a-z_]+",\s*)?"([a-z_]+\.[a-z_.]+)\""""
    )
    binding = re.compile(r"""Binding\([^)]*?"(keys\.[a-z_]+)\"""")
    used = set()
    for path in (
        list(ROOT.glob("console/**/*.py")) + list(ROOT.glob("widgets/*.py")) + list(ROOT.glob("db/*.py"))
    ):
        text = path.read_text(encoding="utf-8")
        used |= set(pattern.findall(text)) | set(binding.findall(text))
    return used


def test_every_key_the_code_uses_is_in_the_catalogue():
    used = _keys_used_in_code()
    assert len(used) > 60  # the scan itself must be finding keys
    missing = sorted(key for key in used if key not in catalogue("zh"))
    assert missing == []


def test_catalogue_is_kept_flat_and_read_again_when_its_yaml_changes(tmp_path, monkeypatch):
    from console import i18n

    locale = tmp_path / "locale"
    locale.mkdir()
    source = locale / "zh.yaml"
    source.write_text('app:\n  title: "指挥部"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "_LOCALE_DIR", locale)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n.catalogue.cache_clear()
    try:
        assert i18n.catalogue("zh") == {"app.title": "指挥部"}
        kept = list((tmp_path / "cache" / "cmdpost").glob("locale-zh-*.json"))
        assert len(kept) == 1
        i18n.catalogue.cache_clear()
        source.write_text('app:\n  title: "临时指挥部"\n', encoding="utf-8")
        assert i18n.catalogue("zh") == {"app.title": "临时指挥部"}  # not the kept copy of the old text
        assert len(list((tmp_path / "cache" / "cmdpost").glob("locale-zh-*.json"))) == 1  # the old one went
        i18n.catalogue.cache_clear()
        for damaged in (tmp_path / "cache" / "cmdpost").glob("locale-zh-*.json"):
            damaged.write_text('{"app.title": ', encoding="utf-8")
        assert i18n.catalogue("zh") == {"app.title": "临时指挥部"}  # a damaged copy is read from the YAML
    finally:
        i18n.catalogue.cache_clear()
