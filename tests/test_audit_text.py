"""Audit entries shown in the operator's words, never changed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from console.text.audit import change_summary, field_value
from db.audit.trail import AuditRow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_zones_roles_and_times_read_as_operators_say_them():
    assert field_value("zone", "sealed") == "封控区"
    assert field_value("role", "supervisor") == "督导"
    assert field_value("role", "grid_leader") == "网格长"
    assert field_value("locked_until", 1_649_554_200, tz=SHANGHAI) == "2022-04-10 09:30"
    assert field_value("changed_at", "2022-04-10T01:30:00+00:00", tz=SHANGHAI) == "2022-04-10 09:30"
    assert field_value("note", None) == "—"


def test_update_summary_names_each_changed_field():
    row = AuditRow(
        1,
        "2022-04-10T01:30:00Z",
        "boss",
        "update",
        "grid",
        1,
        1,
        {"zone": "sealed", "name": "一网格"},
        {"zone": "controlled", "name": "一网格"},
    )
    assert change_summary(row) == "区域状态: 封控区 → 管控区"


def test_yes_and_no_are_in_the_posts_language():
    from console import i18n
    from console.text.audit import field_value

    i18n.set_language("zh")
    assert (field_value("without_pin", True), field_value("without_pin", False)) == ("是", "否")
    i18n.set_language("en")
    try:
        assert field_value("without_pin", True) == "yes"
    finally:
        i18n.set_language("zh")


def test_coded_values_are_shown_in_words_in_both_languages():
    from console import i18n

    coded = [
        ("state", "assigned"),
        ("state", "no_show"),
        ("state", "on_run"),
        ("outcome", "no_answer"),
        ("source", "hand"),
        ("status", "normal"),
        ("status", "safe"),
        ("verdict", "MALFORMED"),
        ("verdict", "CROSS_GRID"),
        ("kind", "deliver"),
        ("kind", "checkpoint"),
    ]
    for language in ("zh", "en"):
        i18n.set_language(language)
        for name, value in coded:
            if language == "zh" or "_" in value or value.isupper():  # English words may equal their code
                assert field_value(name, value) != value, (language, name, value)
    i18n.set_language("zh")
    assert field_value("state", "assigned") == "已排" and field_value("verdict", "MALFORMED") == "不是通行证"
    assert field_value("status", "a value no catalogue knows") == "a value no catalogue knows"
