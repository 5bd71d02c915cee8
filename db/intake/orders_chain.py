"""Reading a chain of orders (接龙下单) pasted from a grid's WeChat group, against the day's menu.

A household appends one numbered line: its door and what it wants, e.g.
``3. 花厅口村3号 大米10斤、青菜x2 (老人独居)``. read_order_chain() finds the menu's items in each
entry (longest name first, a near name such as 菜包 for 蔬菜包 when only one item fits), with a
quantity after the name ("2斤", "1份", "x2", "一箱") or before it ("2斤大米"); an item alone means
one. What is left is read as the door by db.intake.chain.read_fields, the registers' chain reader.

Every non-blank line lands in exactly one entry (as db.intake.chain promises), so nothing an operator
pasted goes unseen. Pure text in, plain data out: whether the door is in the grid, and the order
itself, are db.supply.writes.add_orders's to decide.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from db import fields as rules
from db.intake import chain
from db.intake.chain_text import fold

OK, DUPLICATE, UNPARSED, HEADER, UNMATCHED, CHATTER = (
    "ok",
    "duplicate",
    "unparsed",
    "header",
    "unmatched",
    "chatter",
)
ASK = "ask"  # two households' orders on one line: the operator splits them
BLANK = "blank"  # a template line left as posted (a door, nothing after it): not answered

_CN = "一二两俩三四五六七八九十"
_QTY = rf"([0-9]{{1,5}}|[{_CN}]{{1,3}})"
# Units as residents write them; 公斤/千克 are kg. Anything else after a number is not a unit here.
_UNIT_WORDS = (
    "公斤",
    "千克",
    "kg",
    "KG",
    "斤",
    "份",
    "箱",
    "瓶",
    "盒",
    "袋",
    "包",
    "个",
    "桶",
    "件",
    "提",
    "罐",
    "支",
    "把",
)
_UNIT = "(" + "|".join(_UNIT_WORDS) + ")"
_SAME_UNIT = {"公斤": "kg", "千克": "kg", "KG": "kg"}
_NUMBERING = re.compile(r"^(?:\([0-9]{1,4}\)|[0-9]{1,4}\s*[.、。):])\s*")
_BRACKET = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)(?:[)\]】〕]|$)")
_AFTER = re.compile(rf"\s*[:=]?\s*(?:[xX×*]\s*([0-9]{{1,5}})|{_QTY}\s*{_UNIT}?)")
_BEFORE = re.compile(rf"(?<![^\s,、;:+。]){_QTY}\s*{_UNIT}\s*$")
# Goods the menu does not hold: a word then a quantity with a unit, or "x2". Door words never start one.
_OTHER_GOODS = re.compile(
    rf"([^\s0-9{_CN}号室栋幢座楼层单元户村区组路街巷弄,、;:。+]{{1,8}})\s*"
    rf"(?:[xX×*]\s*([0-9]{{1,5}})|{_QTY}\s*{_UNIT})"
)
_HEADER = re.compile(r"^(?:#|[【\[(]*\s*(?:例|示例|举例|样例|范例|模板|格式|参考|比如|菜单|今日菜单))")
_URGENT = ("急", "送药", "加急")
_SEPARATORS = " ,、;/+。"


@dataclass
class OrderEntry:
    """One household's order as read: ``goods`` are (menu item, quantity in the item's unit)."""

    line: int
    lines: list[int]
    status: str
    door: str | None = None
    goods: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # goods text not on the menu, or in another unit
    remark: str | None = None
    urgent: bool = False
    text: str = ""
    duplicate_of: int | None = None
    correction: bool = False  # "更正：大米改为20斤": replaces those goods of the door's earlier order
    cancel: bool = False  # "取消": withdraws the door's order (or the goods it names)
    settled: str | None = None  # set by the review: superseded, cancelled or cancel (db/chain_plan)
    settled_by: int | None = None  # the other line it concerns

    def to_json(self) -> dict:
        return {**vars(self), "lines": list(self.lines), "goods": [list(g) for g in self.goods]}


def _amount(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        return rules.people(text)  # 一 … 十, 两, 俩: the same reading as head counts
    except rules.FieldError:
        return None


def _convert(qty: int, written: str | None, unit: str) -> int | None:
    """The quantity in the item's own unit, or None when the written unit is another one."""
    written = _SAME_UNIT.get(written or "", written)
    if written in (None, unit):
        return qty
    if (written, unit) == ("kg", "斤"):
        return qty * 2
    return None


class Menu:
    """The day's menu: item name -> unit, with the matching patterns built once."""

    def __init__(self, items: Sequence[tuple[str, str]]) -> None:
        self.units = {rules.clean(name): unit for name, unit in items}
        names = sorted(self.units, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def near(self, word: str) -> str | None:
        """The one menu item a word most likely means (菜包 -> 蔬菜包), or None."""
        # (never a whole name in the word: read_order_chain's pattern found every one, and it is blanked)
        holders = [n for n in self.units if word in n]
        if holders:  # two items hold the word (菜 in 青菜 and 蔬菜包): which one, the operator says
            return holders[0] if len(holders) == 1 else None
        close = difflib.get_close_matches(word, list(self.units), n=2, cutoff=0.6)
        return close[0] if len(close) == 1 else None


def _owner(text: str, after: re.Match | None, before: re.Match | None, side: str) -> str:
    """``side`` when the line's direction gives the quantity between two items to that side, unless it is
    written against the other item only ("大米 10斤青菜"): then "ask"."""
    if after is None or before is None or after.end() <= before.start():
        return side  # not one quantity between two items
    attached = (
        "after"
        if not after.group(0)[0].isspace()
        else "before"
        if not text[before.end() - 1].isspace()
        else ""
    )
    return side if attached in ("", side) else "ask"


def _quantities(text: str, found: list[tuple[str, int, int]]) -> list[tuple[re.Match | None, str]]:
    """For each menu item found (name, start, end), the quantity written with it and on which side:
    "after" (大米10斤), "before" (10斤大米), "" (none: one). A quantity between two items belongs to
    the side the line is written in; when the line does not say which, "ask"."""
    sides: list[tuple[re.Match | None, re.Match | None]] = []
    for index, (_, start, end) in enumerate(found):
        limit = found[index + 1][1] if index + 1 < len(found) else len(text)
        floor = found[index - 1][2] if index else 0
        after = _AFTER.match(text, end, limit)
        before = _BEFORE.search(text, floor, start)
        sides.append((after, before))
    first_before = bool(sides and sides[0][1]) and not (sides[0][0] and not sides[0][0].group(0)[0].isspace())
    last_after = bool(sides and sides[-1][0])
    chosen: list[tuple[re.Match | None, str]] = []
    for index, (after, before) in enumerate(sides):
        if after and after.group(1):  # "x2" is always the item's own
            chosen.append((after, "after"))
        elif after and before:
            attached_after = not after.group(0)[0].isspace()
            attached_before = not text[before.end() - 1].isspace()
            if attached_after != attached_before:
                chosen.append((after, "after") if attached_after else (before, "before"))
            elif first_before != last_after:
                chosen.append((before, "before") if first_before else (after, "after"))
            else:
                chosen.append((None, "ask"))
        elif after:
            following = sides[index + 1][1] if index + 1 < len(sides) else None
            if following is None or last_after or not first_before:
                chosen.append((after, _owner(text, after, following, "after")))
            else:
                chosen.append((None, ""))
        elif before:
            previous = sides[index - 1][0] if index else None
            # the item before read this same quantity after its name ("大米 10斤 青菜"): the two matches
            # overlap (the one before the name may end with the space that precedes it)
            if previous is None or previous.end() <= before.start() or first_before:
                chosen.append((before, _owner(text, previous, before, "before")))
            else:
                chosen.append((None, ""))
        else:
            chosen.append((None, ""))
    for index in range(1, len(chosen)):
        (theirs, their_side), (mine, side) = chosen[index - 1], chosen[index]
        if their_side == "after" and side == "before" and theirs and mine and theirs.end() > mine.start():
            chosen[index] = (None, "ask")  # one quantity read for two items ("大米 2斤青菜 3斤"): whose?
    return chosen


def _goods(text: str, menu: Menu) -> tuple[list[tuple[str, int]], list[str], str]:
    """(goods, problems, what is left of the text for the door)."""
    goods: dict[str, int] = {}
    problems: list[str] = []
    spans: list[tuple[int, int]] = []

    def add(name: str, qty: int | None, written: str | None, start: int, end: int) -> None:
        spans.append((start, end))
        amount = _convert(qty, written, menu.units[name]) if qty else None
        if amount is None or not 1 <= amount <= 9999:
            problems.append(text[start:end].strip())
        else:
            goods[name] = goods.get(name, 0) + amount

    found = [(m.group(), m.start(), m.end()) for m in menu.pattern.finditer(text)] if menu.pattern else []
    for (name, start, end), (match, side) in zip(found, _quantities(text, found)):
        if side == "ask":
            add(name, None, None, start, end)
        elif side in ("after", "before"):
            assert match is not None, "_quantities names a side only with the quantity it found there"
            if side == "after":
                add(name, _amount(match.group(1) or match.group(2)), match.group(3), start, match.end())
            else:
                add(name, _amount(match.group(1)), match.group(2), match.start(), end)
        else:
            add(name, 1, None, start, end)
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    rest = "".join(chars)
    for match in _OTHER_GOODS.finditer(rest):
        word = match.group(1).strip(_SEPARATORS)
        near = menu.near(word) if word else None
        if near:
            add(near, _amount(match.group(2) or match.group(3)), match.group(4), match.start(), match.end())
        else:
            problems.append(match.group().strip(_SEPARATORS))
        rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    return list(goods.items()), problems, rest


# "大米10斤改为20斤": the quantity before 改为 is the old one.
_OLD_QTY = re.compile(rf"{_QTY}\s*{_UNIT}?\s*(?:改为|改成)")
_CHANGE_WORDS = re.compile(r"更正为|修改为|更正|修改|更改|纠正|改为|改成")
_CANCEL_WORDS = re.compile(r"取消|不要了|不订了|退订|不需要了")


def _blank(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def read_entry(body: str, menu: Menu) -> OrderEntry:
    """Door, goods and remark of one entry's text (without its number)."""
    remarks: list[str] = []

    def blank(match: re.Match) -> str:
        if match.group(1).strip():
            remarks.append(match.group(1).strip())
        return " " * len(match.group())

    written, body = body, fold(body)
    urgent = any(word in body for word in _URGENT)
    correction, cancel = bool(_CHANGE_WORDS.search(body)), bool(_CANCEL_WORDS.search(body))
    text = _BRACKET.sub(blank, body)
    if correction or cancel:
        text = _blank(_CANCEL_WORDS, _blank(_CHANGE_WORDS, _blank(_OLD_QTY, text)))
    goods, problems, rest = _goods(text, menu)
    fields = chain.read_fields(rest)
    door = fields.door
    if fields.remark:
        remarks.insert(0, fields.remark)
    entry = OrderEntry(
        0,
        [],
        OK,
        door,
        goods,
        problems,
        "；".join(remarks) or None,
        urgent,
        written,
        correction=correction,
        cancel=cancel,
    )
    entry.status = _status(entry)
    return entry


def _two_orders(body: str, menu: Menu) -> bool:
    """Two households' orders on one line ("9-1-301 蔬菜包1份；9-1-302 蔬菜包1份")."""
    pieces = [p for p in chain.SECOND_ENTRY.split(body) if p.strip()]
    if len(pieces) < 2:
        return False
    return sum(1 for p in pieces if (e := read_entry(p, menu)).door and e.goods) > 1


def _status(entry: OrderEntry) -> str:
    if entry.door is None:
        return UNPARSED if entry.goods or entry.problems else CHATTER
    if entry.cancel and not entry.problems:
        return OK
    return UNMATCHED if entry.problems or not entry.goods else OK


def read_order_chain(text: str, items: Sequence[tuple[str, str]]) -> list[OrderEntry]:
    """Every entry of a pasted chain of orders, in the order written; never raises on any text.
    ``items`` is the menu: (name, unit) of each item that may be ordered."""
    menu = Menu(items)
    entries: list[OrderEntry] = []
    current: OrderEntry | None = None
    current_body = ""
    started = False
    for number, raw in enumerate(chain.source_lines(text), 1):
        line = rules.clean(raw)
        if not line:
            continue
        numbering = _NUMBERING.match(line)
        body = line[numbering.end() :] if numbering else line
        folded = fold(line)
        if _HEADER.match(folded) or (not numbering and ("接龙" in folded or chain.MENU_LINE.search(folded))):
            entries.append(OrderEntry(number, [number], HEADER, text=line))
            current = None
            continue
        if folded.startswith("@") or chain.QUESTION.search(folded):  # a question is never an order
            entries.append(OrderEntry(number, [number], CHATTER, text=line))
            current = None
            continue
        entry = read_entry(body, menu)
        entry.line, entry.lines, entry.text = number, [number], line
        if entry.status == UNMATCHED and not numbering and not entry.problems:
            entry.status = CHATTER  # "3号的菜到了" or an announcement: no goods, no number
        elif entry.status == UNMATCHED and not entry.problems and not entry.remark and not entry.correction:
            entry.status = BLANK
        elif entry.door and _two_orders(fold(body), menu):
            entry.status = ASK
            entry.door = read_entry(chain.SECOND_ENTRY.split(fold(body))[0], menu).door
        if not numbering and current is not None and entry.door is None and (entry.goods or entry.problems):
            # "花厅口村3号" / "大米10斤 青菜2斤": the goods on the next line belong to the door above
            current_body += " " + body
            merged = read_entry(current_body, menu)
            current.goods, current.problems, current.status = merged.goods, merged.problems, merged.status
            current.urgent, current.remark = merged.urgent, merged.remark
            current.lines.append(number)
            current.text += "\n" + line
            continue
        if entry.status == CHATTER and not started:
            entry.status = HEADER
        started = started or entry.status != CHATTER and entry.status != HEADER
        entries.append(entry)
        current, current_body = (entry, body) if entry.door else (None, "")
    _mark_duplicates(entries)
    return entries


def recheck(entries: list[OrderEntry], skipped: Collection[int] = ()) -> None:
    """Statuses again after an operator fixed or skipped entries (by index): a door twice is a
    duplicate only while both entries are kept. Headers stay headers."""
    for entry in entries:
        if entry.status not in (HEADER, BLANK):
            entry.status, entry.duplicate_of = _status(entry), None
    _mark_duplicates([e for i, e in enumerate(entries) if i not in skipped])


def _mark_duplicates(entries: list[OrderEntry]) -> None:
    first: dict[str, int] = {}
    for entry in entries:
        if entry.door is None or entry.status in (HEADER, CHATTER, BLANK) or entry.correction or entry.cancel:
            continue  # a correction or 取消 names a door already ordered for: db/chain_plan settles it
        key = chain.door_key(entry.door)
        if key in first:
            entry.status, entry.duplicate_of = DUPLICATE, first[key]
        else:
            first[key] = entry.line


def blocking(entry: OrderEntry) -> bool:
    """An entry that would place (or lose) an order but cannot be read as one: it stops the import."""
    return entry.status in (UNPARSED, UNMATCHED, DUPLICATE, ASK)
