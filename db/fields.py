"""Field rules: how operators' values are read and what makes them invalid.

Shared by every write (db/grids/writes.py) and by the CSV import's first pass, so a
value the import accepts is a value the write accepts, and the other way round.
Each parser takes raw text and returns the stored value or raises FieldError.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from db.errors import CmdpostError
from db.vocab import POST_KINDS

MAX_PEOPLE = 99
GRID_CODE = re.compile(r"^[0-9A-Za-z]{1,8}(-[0-9A-Za-z]{1,8}){0,2}$")
# Compiled once: an import checks these on every value of 150,000 rows.
_SPACES = re.compile(r"\s+")
_PLAIN_SPACES = re.compile(r"[\s\u3000]+")
_DIGIT_RUN = re.compile(r"\d+")
_PEOPLE = re.compile(r"(?:共)?(\d+)\s*(?:人|口人|口)?")
_PEOPLE_CN = re.compile(r"(?:共)?([一二两俩三四五六七八九十]+)\s*(?:人|口人|口)?")
_PHONE_PUNCT = re.compile(r"[\s\-()（）+]")
_PHONE = re.compile(r"[0-9*]{7,12}")


class FieldError(CmdpostError):
    """One value is unusable; ``column`` names the field it came from."""

    def __init__(self, column: str, key: str, **params: object) -> None:
        super().__init__(key, **params)
        self.column = column


def clean(value: object) -> str:
    """NFKC (full-width digits and letters to half-width), trimmed, inner runs of space collapsed."""
    if value is None:
        return ""
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if (
        text.isprintable() and "  " not in text
    ):  # the only space in printable text is " ": nothing to collapse
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def plain(value: object) -> str:
    """Free text (names, notes, reasons) as written: trimmed, runs of space collapsed,
    but full-width punctuation kept, unlike clean()."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable() and "  " not in text:  # as in clean()
        return text.strip()
    return _PLAIN_SPACES.sub(" ", text).strip()


def natural_key(text: str) -> str:
    """Sort key that puts 2号 before 10号: digit runs are zero-padded."""
    return _DIGIT_RUN.sub(lambda m: m.group().zfill(8), text)


def grid_code(raw: object, column: str = "code") -> str:
    code = clean(raw).replace("—", "-").replace("_", "-")
    if not code:
        raise FieldError(column, "field.required")
    if not GRID_CODE.match(code):
        raise FieldError(column, "field.bad_grid_code", value=code)
    return code


def parent_code(code: str) -> str | None:
    return code.rsplit("-", 1)[0] if "-" in code else None


def required_text(raw: object, column: str, max_len: int = 60) -> str:
    text = plain(raw)
    if not text:
        raise FieldError(column, "field.required")
    if len(text) > max_len:
        raise FieldError(column, "field.too_long", max=max_len)
    return text


def optional_text(raw: object, column: str, max_len: int = 200) -> str:
    text = plain(raw)
    if len(text) > max_len:
        raise FieldError(column, "field.too_long", max=max_len)
    return text


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def _chinese_number(text: str) -> int | None:
    """一 .. 九十九 as people write them: 三, 十二, 二十, 二十三."""
    tens, _, units = text.partition("十")
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(units) > 1:
        return None
    high = _CN_DIGITS.get(tens, 0) if tens else 1
    low = _CN_DIGITS.get(units, 0) if units else 0
    return high * 10 + low if high < 10 and low < 10 else None


def people(raw: object, column: str = "people") -> int:
    text = clean(raw)
    if not text:
        raise FieldError(column, "field.required")
    match = _PEOPLE.fullmatch(text)
    if match:
        digits = match.group(1).lstrip("0") or "0"
        if len(digits) > 3:  # int() refuses 4,300 digits; anything past three is out of range anyway
            raise FieldError(column, "field.people_range", value=f"{digits[:6]}…", max=MAX_PEOPLE)
        count = int(digits)
    elif match := _PEOPLE_CN.fullmatch(text):
        chinese = _chinese_number(match.group(1))
        if chinese is None:
            raise FieldError(column, "field.bad_people", value=text)
        count = chinese
    else:
        raise FieldError(column, "field.bad_people", value=text)
    if not 1 <= count <= MAX_PEOPLE:
        raise FieldError(column, "field.people_range", value=count, max=MAX_PEOPLE)
    return count


def phone(raw: object, column: str = "phone", required: bool = False) -> str:
    text = clean(raw)
    if not text:
        if required:
            raise FieldError(column, "field.required")
        return ""
    digits = text if text.isdigit() else _PHONE_PUNCT.sub("", text)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _PHONE.fullmatch(digits) or digits.count("*") > 6:
        raise FieldError(column, "field.bad_phone", value=text)
    return digits


_ZONE_WORDS = {
    "sealed": "sealed",
    "封控": "sealed",
    "封控区": "sealed",
    "controlled": "controlled",
    "管控": "controlled",
    "管控区": "controlled",
    "precaution": "precaution",
    "防范": "precaution",
    "防范区": "precaution",
}


def zone(raw: object, column: str = "zone", default: str | None = "precaution") -> str:
    text = clean(raw).lower()
    if not text and default:
        return default
    if text not in _ZONE_WORDS:
        raise FieldError(column, "field.bad_zone", value=text, allowed="封控区/管控区/防范区")
    return _ZONE_WORDS[text]


_ROLE_WORDS = {
    "grid_leader": "grid_leader",
    "grid leader": "grid_leader",
    "网格长": "grid_leader",
    "grid_worker": "grid_worker",
    "grid worker": "grid_worker",
    "网格员": "grid_worker",
    "liaison": "liaison",
    "household liaison": "liaison",
    "联户长": "liaison",
    "中心户": "liaison",
    "volunteer": "volunteer",
    "志愿者": "volunteer",
    "cadre": "cadre",
    "干部": "cadre",
    "下沉干部": "cadre",
    "村干部": "cadre",
    "党员干部": "cadre",
    "medic": "medic",
    "医务": "medic",
    "医护": "medic",
    "医生": "medic",
    "护士": "medic",
    "医务人员": "medic",
}


def role(raw: object, column: str = "role") -> str:
    text = clean(raw).lower()
    if text not in _ROLE_WORDS:
        raise FieldError(
            column, "field.bad_role", value=text, allowed="网格长/网格员/联户长/志愿者/干部/医务"
        )
    return _ROLE_WORDS[text]


def post_kind(raw: object, column: str = "kind") -> str:
    text = clean(raw).lower()
    words = {
        "卡口": "checkpoint",
        "管控点位": "control_point",
        "点位": "control_point",
        "隔离点": "isolation_point",
        "中转站": "depot",
        "配送点": "delivery_point",
    }
    value = words.get(text, text)
    if value not in POST_KINDS:
        raise FieldError(column, "field.bad_post_kind", value=text)
    return value


_TRUE = {"1", "y", "yes", "true", "是", "党员", "中共党员", "√", "✓"}
_FALSE = {"", "0", "n", "no", "false", "否", "非党员", "群众", "×"}


def yes_no(raw: object, column: str) -> bool:
    text = clean(raw).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(column, "field.bad_bool", value=text)


def iso_date(raw: object, column: str, required: bool = False) -> str | None:
    text = clean(raw)
    if not text:
        if required:
            raise FieldError(column, "field.required")
        return None
    text = re.sub(r"[年月/.]", "-", text).rstrip("日").split(" ")[0]
    try:
        parsed = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise FieldError(column, "field.bad_date", value=clean(raw)) from None
    # A day's grace: the machine's clock may be on UTC while the post is on Beijing time.
    if parsed > date.today() + timedelta(days=1):
        raise FieldError(column, "field.future_date", value=parsed.isoformat())
    return parsed.isoformat()


def birth_year(raw: object, column: str = "birth_year") -> int | None:
    text = clean(raw)
    if not text:
        return None
    match = re.match(r"^(\d{4})(?:[-/.年]|$)", text)
    if not match:
        raise FieldError(column, "field.bad_year", value=text)
    year = int(match.group(1))
    if not 1900 <= year <= date.today().year:
        raise FieldError(column, "field.bad_year", value=text)
    return year


def care_tags(raw: object, column: str = "care_tags") -> str:
    """Tags as one string separated by '、', duplicates removed, order kept."""
    text = clean(raw)
    if text in {"", "无", "否", "-", "none"}:
        return ""
    parts = [p.strip() for p in re.split(r"[、,，;；/|]+|\s+", text) if p.strip()]
    tags = list(dict.fromkeys(parts))
    if any(len(t) > 20 for t in tags):
        raise FieldError(column, "field.too_long", max=20)
    return "、".join(tags)


def reason(raw: object, column: str = "reason") -> str:
    text = plain(raw)
    if len(text) < 2:
        raise FieldError(column, "field.reason_required")
    return required_text(text, column, max_len=200)


__all__ = ["FieldError", "POST_KINDS"]
