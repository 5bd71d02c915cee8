"""Reading a chain message (接龙) pasted from a WeChat group.

A chain is a header (a title, the format "门牌号+人数+联系方式", an example
line) and then one numbered line per household, with chatter in between.
read_chain() turns pasted text into entries: a household (ok, or duplicate
when its door came earlier), a header line, or a line it could not read.
Every non-blank line lands in exactly one entry, so an operator reviewing
the entries sees all of the text. Pure text in, plain data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db import fields as rules
from db.intake.chain_fields import _DIGIT, QUESTION, SECOND_ENTRY, _Fields, read_fields  # noqa: F401  (supply_chain uses them)
from db.intake.chain_text import door_key as flat_key

OK, DUPLICATE, UNPARSED, HEADER = "ok", "duplicate", "unparsed", "header"
# Read, but the operator must say: two households on one line.
ASK = "ask"

# ① ⓵ ❶ ➀ ➊: NFKC turns only the first into a plain digit and drops the "number" meaning.
_CIRCLED = re.compile(r"\s*[\u2460-\u2473\u24f5-\u24fe\u2776-\u2793]\s*")
_NUMBER = re.compile(r"(?:\([0-9]{1,4}\)|[0-9]{1,4}\s*[.、。):])\s*")
# "5 3人 138…" and "501,3人": a number followed only by a space or comma may be the door itself.
_LOOSE_NUMBER = re.compile(r"[0-9]{1,4}(?:\s*,|\s)\s*")
_EXAMPLE = re.compile(r"[#【\[(]*\s*(?:例|示例|举例|样例|范例|模板|格式|参考|比如|如:)")
_FORMAT = re.compile(r"[\u4e00-\u9fff]\s*\+\s*[\u4e00-\u9fff]")
_PLACEHOLDER = re.compile(r"[xX×]{3,}")
# A title line is remembered only when long enough not to be ordinary chatter ("收到").
_TITLE_MIN = 6
# A line that ends like this is the start of an address broken over two lines ("花厅口村" / "12号 3人").
_PLACE_END = re.compile(r"[村区路街巷弄里苑园厦城庄寨湾]$")
# A menu of the day posted in the group: a header, never an entry.
MENU_LINE = re.compile(r"可订|可选|菜单|今日供应|今天供应|品种|单价|价格")


@dataclass
class ChainEntry:
    """One entry: ``line`` is where it starts, ``lines`` every 1-based line it took."""

    line: int
    lines: list[int]
    status: str
    door: str | None = None
    people: int | None = None
    phone: str | None = None
    remark: str | None = None
    head: str | None = None
    text: str = ""
    duplicate_of: int | None = None
    tested: int | None = None  # a part of the household tested: "4人中3人已做"
    not_tested: bool = False  # "未做", "明天补", "在外地"
    antigen: bool = False  # a self-test, which counts only when the round says so
    vacant: bool = False  # "空置", "无人居住"
    correction: bool = False  # "更正", "改为": replaces an earlier line for the door
    cancel: bool = False  # "取消": withdraws the door's order
    names: list[str] | None = None  # names written after the door and nothing else ("张三 李四 已做")
    names_plain: bool = False  # every one of them reads as a name

    def to_json(self) -> dict:
        return {**vars(self), "lines": list(self.lines), "names": list(self.names) if self.names else None}


def source_lines(text: str) -> list[str]:
    """The lines as an editor numbers them."""
    return re.split(r"\r\n|\r|\n", text)


def _fill(entry: ChainEntry, fields: _Fields) -> None:
    entry.door, entry.people, entry.phone = fields.door, fields.people, fields.phone
    entry.remark, entry.head = fields.remark, fields.head
    entry.tested, entry.not_tested, entry.antigen = fields.tested, fields.not_tested, fields.antigen
    entry.vacant, entry.correction, entry.cancel = fields.vacant, fields.correction, fields.cancel
    entry.names, entry.names_plain = (list(fields.names) or None), fields.names_plain
    entry.status = (ASK if fields.two else OK) if fields.door else UNPARSED


def _joiner(entry: ChainEntry, body: str, fields: _Fields) -> str | None:
    """How an open entry (its text so far is ``body``) joins the next line, or None if that line is not part of it."""
    if entry.door is None and entry.people is None and entry.phone is None:
        if fields.door or fields.people is not None or fields.phone:
            if not body:  # "5." alone on its line
                return " "
            if _PLACE_END.search(body):
                return ""
        return None
    if fields.door is None and (
        (fields.phone and not entry.phone) or (fields.people and entry.people is None)
    ):
        return " "
    return " " if fields.bracket_only else None


def _numbering(raw: str, line: str) -> tuple[bool, str, bool]:
    """(numbered, the text after the number, loose: only a space or comma followed it)."""
    if circled := _CIRCLED.match(raw):
        return True, rules.clean(raw[circled.end() :]), False
    if match := _NUMBER.match(line):
        return True, line[match.end() :], False
    if match := _LOOSE_NUMBER.match(line):
        return True, line[match.end() :], True
    return False, line, False


def _is_header(line: str, numbered: bool, fields: _Fields, titles: set[str], started: bool) -> bool:
    if line.startswith("#") or _EXAMPLE.match(line) or (MENU_LINE.search(line) and not fields.complete):
        return True
    if _FORMAT.search(line) and not _DIGIT.search(line):
        return True
    if _PLACEHOLDER.search(line) and fields.phone is None and not _masked_phone_only(fields, started):
        return True  # "138xxxx" is the example's phone
    if fields.complete:
        return False
    return line in titles or "接龙" in line or not (started or numbered)


def _masked_phone_only(fields: _Fields, started: bool) -> bool:
    """After the first household, a line with a real door and what else makes an entry, whose phone
    alone is written as Xs ("2. 12号 3人 138XXXXXXXX"): a resident who hid the number, not the
    template's example. Read as a household (it was set aside as a header: nobody recorded, nobody
    asked). A door of Xs ("XX号", "1号楼xxx室") is still the example's."""
    return started and fields.complete and not _PLACEHOLDER.search(fields.door or "")


def door_key(door: str) -> str:
    """What makes two doors the same door in a chain: spaces, case, the kind of dash, traditional
    characters and the notation of a flat (1栋1单元201, 1-1-201) do not count."""
    return flat_key(door)


def _mark_duplicates(entries: list[ChainEntry]) -> None:
    first: dict[str, int] = {}
    for entry in entries:
        if entry.status != OK:
            continue
        assert entry.door is not None, "_fill makes an entry ok only with its door"
        key = door_key(entry.door)
        if key in first:
            entry.status, entry.duplicate_of = DUPLICATE, first[key]
        else:
            first[key] = entry.line


def read_chain(text: str) -> list[ChainEntry]:
    """Every entry of a pasted chain, in the order written; never raises on any text."""
    entries: list[ChainEntry] = []
    titles: set[str] = set()
    draft: ChainEntry | None = None  # the household entry the next line may still complete
    draft_body = ""
    started = False  # past the header: a household entry has been read
    for number, raw in enumerate(source_lines(text), 1):
        line = rules.clean(raw)
        if not line:
            continue
        numbered, body, loose = _numbering(raw, line)
        fields = read_fields(body)
        if loose and fields.door is None:
            numbered, body, fields = False, line, read_fields(line)
        if _is_header(line, numbered, fields, titles, started):
            entries.append(ChainEntry(number, [number], HEADER, text=line))
            if not started and len(line) >= _TITLE_MIN:
                titles.add(line)  # the header pasted again further down is header there too
            draft = None
        elif not numbered and draft and (joiner := _joiner(draft, draft_body, fields)) is not None:
            draft.lines.append(number)
            draft.text += "\n" + line
            draft_body += joiner + body
            _fill(draft, read_fields(draft_body))
        elif numbered or fields.complete:
            draft, draft_body = ChainEntry(number, [number], UNPARSED, text=line), body
            _fill(draft, fields)
            entries.append(draft)
            started = True
        else:
            entries.append(
                ChainEntry(
                    number,
                    [number],
                    UNPARSED,
                    text=line,
                    names=list(fields.names) if fields.names_plain else None,
                )
            )
            draft = None
    _mark_duplicates(entries)
    return entries
