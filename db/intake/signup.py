"""A sign-up chain (接龙报名) from the volunteers' group, read into offers of availability.

    明天卡口值班接龙:
    1. 张三 早班
    2. 13800001234 夜班 配送点
    3. 李四 4月12日 中班

Each numbered line names a person (by name, or by phone) and a shift (早班 / 中班 / 夜班, matched to
the configured shift hours); the day and the kind of post come from the line or, failing that, the
header. A person not in the staff list is flagged, never created; a name two people share is a
question for the operator, never a guess. Any line with a problem is listed with its line number and
nothing is written (db/roster/availability.py writes the offers once the operator has reviewed them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from db.models import database_proxy as db
from db.roster.settings import Duty

_NUMBERED = re.compile(r"^\s*(?:\(?[0-9]{1,3}[.、)):]|[\u2460-\u2473])\s*")
_PHONE = re.compile(r"(?<![0-9])1[0-9]{10}(?![0-9])")
_NAME = re.compile(r"[\u4e00-\u9fff·]{1,5}")
_DATE = re.compile(r"(?:([0-9]{4})[-./年])?([0-9]{1,2})[-./月]([0-9]{1,2})[日号]?")
_RELATIVE = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}
# Shift words by when the shift starts: morning/day, afternoon/evening, night.
_SHIFT_WORDS = (
    ("早班", "morning"),
    ("白班", "morning"),
    ("上午班", "morning"),
    ("中班", "evening"),
    ("下午班", "evening"),
    ("晚班", "evening"),
    ("夜班", "night"),
    ("大夜班", "night"),
    ("凌晨班", "night"),
)
_KIND_WORDS = (
    ("卡口", "checkpoint"),
    ("管控点", "control_point"),
    ("隔离点", "isolation_point"),
    ("中转站", "depot"),
    ("配送点", "delivery_point"),
)
_NOT_NAMES = {"明天", "明日", "今天", "今日", "后天", "接龙", "报名", "值班", "点位", "班"}
_SKIP = sorted(_NOT_NAMES | {w for w, _ in _SHIFT_WORDS} | {w for w, _ in _KIND_WORDS}, key=len, reverse=True)
MAX_LINES = 2000


@dataclass(frozen=True)
class Offer:
    line: int
    staff_id: int
    name: str
    day: date
    slot_hour: int
    kind: str  # '' for any kind of post
    text: str
    post: str = ""  # the post the line names, if any (for a direct assignment)


@dataclass(frozen=True)
class LineProblem:
    line: int
    code: str  # catalogue key signup.problem.<code>
    text: str


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _day(text: str, today: date) -> date | None:
    for word, offset in _RELATIVE.items():
        if word in text:
            return today + timedelta(days=offset)
    match = _DATE.search(text)
    if match:
        year = int(match.group(1) or today.year)
        try:
            return date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None


def _kind(text: str) -> str | None:
    return next((kind for word, kind in _KIND_WORDS if word in text), None)


def slot_hours(duty: Duty) -> dict[str, int]:
    """Which configured shift each shift word means, by its start hour at the post."""
    hours = sorted(duty.rules.shift_hours)
    pick = {
        "morning": min(hours, key=lambda h: abs(h - 8)),
        "evening": min(hours, key=lambda h: abs(h - 16)),
        "night": min(hours, key=lambda h: min(abs(h - 0), abs(h - 24), abs(h - 22))),
    }
    return pick


def read_signup(text: str, duty: Duty, today: date) -> tuple[list[Offer], list[LineProblem]]:
    """The offers in a pasted chain, and every line's problem; offers count only when there are none."""
    lines = re.split(r"\r\n|\r|\n", text)[:MAX_LINES]
    slots = slot_hours(duty)
    header_day, header_kind = None, None
    offers, problems = [], []
    people = _people()
    posts = _post_names()
    for number, raw in enumerate(lines, start=1):
        line = _clean(raw)
        if not line:
            continue
        numbered = _NUMBERED.match(line)
        if not numbered:  # the header, or a remark: it may set the day and the kind of post
            header_day = _day(line, today) or header_day
            header_kind = _kind(line) or header_kind
            continue
        body = line[numbered.end() :]
        written, post = next(((w, name) for w, name in posts if w in body), ("", ""))
        if written:  # the post's name is no person's name, and its digits no date: only its kind word stays
            body = body.replace(written, f" {_kind_word(written)} ")
        word = next((w for w, s in _SHIFT_WORDS if w in body), None)
        if word is None:
            problems.append(LineProblem(number, "no_shift", raw.strip()))
            continue
        day = _day(body, today) or header_day
        if day is None:
            problems.append(LineProblem(number, "no_day", raw.strip()))
            continue
        phone = _PHONE.search(body)
        found = _who(body, phone.group() if phone else None, people)
        if isinstance(found, str):
            problems.append(LineProblem(number, found, raw.strip()))
            continue
        staff_id, name = found
        offers.append(
            Offer(
                number,
                staff_id,
                name,
                day,
                slots[dict(_SHIFT_WORDS)[word]],
                _kind(body) or header_kind or "",
                raw.strip(),
                post,
            )
        )
    return offers, problems


def _people() -> tuple[dict[str, list[tuple[int, str]]], dict[str, tuple[int, str]]]:
    by_name: dict[str, list[tuple[int, str]]] = {}
    by_phone: dict[str, tuple[int, str]] = {}
    for staff_id, name, phone in db.execute_sql(
        "SELECT id, name, phone FROM staff WHERE active = 1"
    ).fetchall():
        by_name.setdefault(name, []).append((staff_id, name))
        if phone:
            by_phone[phone] = (staff_id, name)
    return by_name, by_phone


def _post_names() -> list[tuple[str, str]]:
    """Each post's name as a pasted line has it (normalised) and as stored, longest first (东门卡口二号
    is found before 东门卡口)."""
    names = {(_clean(r[0]), r[0]) for r in db.execute_sql("SELECT name FROM duty_post").fetchall()}
    return sorted(((w, n) for w, n in names if len(w) >= 2), key=lambda wn: len(wn[0]), reverse=True)


def _kind_word(text: str) -> str:
    return next((word for word, _ in _KIND_WORDS if word in text), "")


def _who(body: str, phone: str | None, people) -> tuple[int, str] | str:
    by_name, by_phone = people
    if phone:
        return by_phone.get(phone, "unknown_phone")
    leftovers = []
    for token in re.split(r"[\s,;、:]+", _DATE.sub(" ", body)):
        for word in _SKIP:  # longest first: 早班 goes whole, never leaving 早 behind
            token = token.replace(word, "")
        if not token:
            continue
        matches = by_name.get(token, [])
        if len(matches) > 1:
            return "ambiguous"  # two people of that name: the operator asks which
        if matches:
            return matches[0]
        if _NAME.fullmatch(token):
            leftovers.append(token)
    return "unknown_name" if leftovers else "no_person"
