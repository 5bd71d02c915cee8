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
from db.fields import FieldError

OK, DUPLICATE, UNPARSED, HEADER = "ok", "duplicate", "unparsed", "header"

_CN = "一二两俩三四五六七八九十"
_MARKERS = "号室栋幢座楼层单元户"
# ① ⓵ ❶ ➀ ➊: NFKC turns only the first into a plain digit and drops the "number" meaning.
_CIRCLED = re.compile(r"\s*[\u2460-\u2473\u24f5-\u24fe\u2776-\u2793]\s*")
_NUMBER = re.compile(r"(?:\([0-9]{1,4}\)|[0-9]{1,4}\s*[.、。):])\s*")
# "5 3人 138…" and "501,3人": a number followed only by a space or comma may be the door itself.
_LOOSE_NUMBER = re.compile(r"[0-9]{1,4}(?:\s*,|\s)\s*")
# WeChat writes its stickers as text when a chain is copied: [抱拳] is an emoji, not a remark.
_STICKER = re.compile(r"\[(?:强|弱|抱拳|握手|玫瑰|凋谢|爱心|心碎|微笑|呲牙|偷笑|愉快|憨笑|大笑|鼓掌|加油|奋斗|OK|ok|胜利|耶|"
                      r"好的|太阳|月亮|庆祝|烟花|拥抱|合十|祈祷|捂脸|奸笑|机智|皱眉|流泪|可怜|嘿哈|福|红包|发|礼物|"
                      r"蛋糕|咖啡|啤酒|拳头|爱你|NO|哇|旺柴|让我看看|叹气|苦涩|裂开|得意|害羞|调皮|Emm|社会社会)\]")
# "电话:" and "手机138…" label a field; 户主 and 姓名 label a name even without a colon ("户主陈志明").
_LABEL = re.compile(r"(?:(?:门牌号码?|门牌|地址|住址|房间?号|联系电话|联系方式|电话号码|电话|手机号码?|手机)\s*(?::|(?=[0-9]))"
                    r"|(?:姓名|户主|联系人|名字)\s*:?)")
_BRACKET = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)(?:[)\]】〕]|$)")
_PHONE = re.compile(r"(?<![0-9*])(?:\+?86[\s-]?)?(?:1[0-9]{2}(?:[\s-]?[0-9*xX]){8}|0[0-9]{2,3}[\s-]?[0-9]{7,8}"
                    r"|[2-8][0-9]{6,7})(?![0-9*])")
_COUNT = re.compile(rf"(?:共|一家|全家|(?:家庭|家里|家中)?(?:人数|人口)\s*:?)?\s*"
                    rf"(?:(?<![0-9])([0-9]{{1,2}})|(?<![{_CN}])([{_CN}]{{1,3}}))\s*(?:口人|个人|口子|人|口|位)(?![村镇路街巷])"
                    rf"|(?:家庭)?(?:人数|人口)\s*:?\s*([0-9]{{1,2}})(?![0-9])")
_ADULTS_CHILDREN = re.compile(rf"(?:大人|成人)\s*([0-9]{{1,2}}|[{_CN}])\s*[个位人名]?\s*[,、+]?\s*"
                              rf"(?:小孩|儿童|孩子|小朋友)\s*([0-9]{{1,2}}|[{_CN}])\s*[个位人名]?")
_NOT_PHONE_CHAR = re.compile(r"[^0-9*xX]")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile("[0-9]")
_BARE = re.compile(r"[0-9]{1,2}")
_TOKEN = re.compile(r"[^\s,;、/|+:。]+")
_DOORISH = re.compile(rf"[0-9]|(?<![{_CN}百零〇])[{_CN}百零〇]+[号室栋幢楼]")
_DOOR_END = re.compile(rf"(.*[0-9][{_MARKERS}]*)(.+)")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_EXAMPLE = re.compile(r"[#【\[(]*\s*(?:例|示例|举例|样例|范例|模板|格式|参考|比如|如:)")
_FORMAT = re.compile(r"[\u4e00-\u9fff]\s*\+\s*[\u4e00-\u9fff]")
_PLACEHOLDER = re.compile(r"[xX×]{3,}")
_NAME = re.compile(r"[\u4e00-\u9fff]{1,3}")
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁"
                "任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦傅方邹熊白孟秦邱侯江尹薛闫段雷黎史陶贺毛郝顾龚邵万覃武钱戴"
                "严莫孔向常汤康易乔赖施洪辛柯庄欧颜倪")
# Words that start with a surname but are what residents write after a door, not who lives there.
_NOT_NAMES = {"谢谢", "全家", "房东", "房客", "高龄", "高血压", "孙子", "孙女", "方便", "马上", "江边", "石狮", "陈埭",
              "黄码", "刘海", "万一", "曾经", "任何", "常住", "施工", "严重", "林业"}
# No household takes more; a longer line is left unread, so no text can make a search slow.
_MAX_LINE = 500
# A title line is remembered only when long enough not to be ordinary chatter ("收到").
_TITLE_MIN = 6
# A line that ends like this is the start of an address broken over two lines ("花厅口村" / "12号 3人").
_PLACE_END = re.compile(r"[村区路街巷弄里苑园厦城庄寨湾]$")
_DASHES = str.maketrans("—–‐", "---")


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

    def to_json(self) -> dict:
        return {**vars(self), "lines": list(self.lines)}


@dataclass(frozen=True)
class _Fields:
    door: str | None = None
    people: int | None = None
    phone: str | None = None
    remark: str | None = None
    head: str | None = None
    bracket_only: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.door) and (self.people is not None or self.phone is not None)


def source_lines(text: str) -> list[str]:
    """The lines as an editor numbers them."""
    return re.split(r"\r\n|\r|\n", text)


def _number(value: str) -> int | None:
    if value.isascii() and value.isdigit():  # the common case, without rules.people's cleaning
        return int(value) if 1 <= int(value) <= rules.MAX_PEOPLE else None
    try:
        return rules.people(value)
    except FieldError:
        return None


def _phone(text: str) -> tuple[str, re.Match] | None:
    for match in _PHONE.finditer(text):
        digits = _NOT_PHONE_CHAR.sub("", match.group()).replace("x", "*").replace("X", "*")
        if len(digits) == 11 and digits.isdigit():  # a plain mobile number: rules.phone would accept it as is
            return digits, match
        try:
            return rules.phone(digits), match
        except FieldError:
            continue
    return None


def _count(text: str) -> tuple[int, re.Match] | None:
    if ("大人" in text or "成人" in text) and (match := _ADULTS_CHILDREN.search(text)):
        adults, children = _number(match.group(1)), _number(match.group(2))
        if adults and children and adults + children <= rules.MAX_PEOPLE:
            return adults + children, match
    for match in _COUNT.finditer(text):
        if (value := _number(match.group(1) or match.group(2) or match.group(3))) is not None:
            return value, match
    return None


def _bare_count(text: str) -> tuple[int, re.Match] | None:
    """A lone 1 or 2-digit number after the door (12号 3 138…), unless a door word follows (3 栋 2 单元)."""
    tokens = list(_TOKEN.finditer(text))
    for index in range(1, len(tokens)):
        following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
        if _BARE.fullmatch(tokens[index].group()) and not following.startswith(tuple(_MARKERS)):
            if (value := _number(tokens[index].group())) is not None:
                return value, tokens[index]
    return None


def _is_name(word: str) -> bool:
    return (bool(_NAME.fullmatch(word)) and word[0] in _SURNAMES and word[-1] not in _MARKERS + "村区组"
            and word not in _NOT_NAMES)


def _split_door(zone: str) -> tuple[str, str | None, str]:
    """(door, head, what follows): the door runs to its last word holding a digit or a door word,
    so "12号 张三 已做" gives 12号, 张三, 已做; a name stuck to the door ("12号张三") comes off too."""
    tokens = list(_TOKEN.finditer(zone))
    ends = [t for t in tokens if _DIGIT.search(t.group()) or t.group()[0] in _MARKERS]
    if not ends:
        return zone, None, ""
    last = ends[-1]
    tail = zone[last.end():]
    attached = _DOOR_END.fullmatch(last.group())
    # Stuck to the door, one character is more likely part of it ("12号东") than a surname.
    if not tail.strip() and attached and len(attached.group(2)) > 1 and _is_name(attached.group(2)):
        return zone[:last.start()] + attached.group(1), attached.group(2), ""
    first = _TOKEN.search(tail)
    if first and _is_name(first.group()):
        return zone[:last.end()], first.group(), tail[first.end():]
    return zone[:last.end()], None, tail


def _trim(text: str) -> str:
    """Runs of space collapsed, and punctuation or emoji at either end dropped ("🏠12号," -> "12号")."""
    text = " ".join(text.split())  # the line is already NFKC: rules.clean() again would only cost time
    if text and not (text[0].isalnum() and text[-1].isalnum()):
        text = _EDGES.sub("", text)
    return text


def _whole_count(word: str) -> int | None:
    """The head count when ``word`` is nothing but one: "3", "3人", "共三口", "人数:3"."""
    if _BARE.fullmatch(word):
        return _number(word)
    found = _count(word)
    return found[0] if found and found[1].group().strip() == word else None


def read_fields(body: str) -> _Fields:
    """Door, head count, phone, remark and head of household from one entry's text."""
    if body.startswith("@") or len(body) > _MAX_LINE:  # "@网格员 12号的菜到了吗" talks about a door
        return _Fields()
    text = _LABEL.sub(lambda m: " " * len(m.group()), body)
    if "[" in text:
        text = _STICKER.sub(lambda m: " " * len(m.group()), text)
    remarks: list[tuple[int, str]] = []  # (position, text), so remarks keep the order they were written in
    counts_in_brackets: list[int] = []

    def blank_bracket(match: re.Match) -> str:
        inner = _trim(match.group(1))
        if (value := _whole_count(inner)) is not None:
            counts_in_brackets.append(value)
        elif inner:
            remarks.append((match.start(), inner))
        return " " * len(match.group())  # same length: positions in ``text`` stay those of ``body``

    text = _BRACKET.sub(blank_bracket, text)
    bracket_only = not text.strip() and bool(remarks)
    phone = _phone(text)
    before, after = (text[:phone[1].start()], text[phone[1].end():]) if phone else (text, "")
    after_at = phone[1].end() if phone else len(text)
    # The count is looked for before the phone; after it, only as the first word: a digit
    # further on is a remark's ("138… 家中1人发烧").
    count = _count(before)
    if not count and (first := _TOKEN.search(after)) and (value := _whole_count(first.group())) is not None:
        count, after, after_at = (value, None), after[first.end():], after_at + first.end()
    count = count or _bare_count(before)
    if count and count[1]:
        zone, rest, rest_at = before[:count[1].start()], before[count[1].end():], count[1].end()
    else:
        zone, rest, rest_at = before, "", len(before)
    people = count[0] if count else (counts_in_brackets[0] if counts_in_brackets else None)
    if not _trim(zone) and _trim(rest):  # the count came first: "3人 12号 138…"
        zone, rest = rest, ""
    zone, head, tail = _split_door(zone)
    door = _trim(zone) or None
    if door and not _DOORISH.search(door):
        remarks.append((0, door))
        door = None
    for at, piece in ((len(zone), tail), (rest_at, rest), (after_at, after)):
        words = _trim(piece)
        if words and head is None and door and _is_name(words):
            head = words
        elif words:
            remarks.append((at, words))
    remark = "；".join(piece for _, piece in sorted(remarks)) or None
    if people is None and phone is None and (door is None or "?" in body):
        # Nothing countable: chatter, a question about a door, or a remark alone in brackets.
        return _Fields(remark=remark if bracket_only else None, bracket_only=bracket_only)
    return _Fields(door, people, phone[0] if phone else None, remark, head)


def _fill(entry: ChainEntry, fields: _Fields) -> None:
    entry.door, entry.people, entry.phone = fields.door, fields.people, fields.phone
    entry.remark, entry.head = fields.remark, fields.head
    entry.status = OK if fields.door else UNPARSED


def _joiner(entry: ChainEntry, body: str, fields: _Fields) -> str | None:
    """How an open entry (its text so far is ``body``) joins the next line, or None if that line is not part of it."""
    if entry.door is None and entry.people is None and entry.phone is None:
        if fields.door or fields.people is not None or fields.phone:
            if not body:  # "5." alone on its line
                return " "
            if _PLACE_END.search(body):
                return ""
        return None
    if fields.door is None and ((fields.phone and not entry.phone) or (fields.people and entry.people is None)):
        return " "
    return " " if fields.bracket_only else None


def _numbering(raw: str, line: str) -> tuple[bool, str, bool]:
    """(numbered, the text after the number, loose: only a space or comma followed it)."""
    if circled := _CIRCLED.match(raw):
        return True, rules.clean(raw[circled.end():]), False
    if match := _NUMBER.match(line):
        return True, line[match.end():], False
    if match := _LOOSE_NUMBER.match(line):
        return True, line[match.end():], True
    return False, line, False


def _is_header(line: str, numbered: bool, fields: _Fields, titles: set[str], started: bool) -> bool:
    if line.startswith("#") or _EXAMPLE.match(line):
        return True
    if _FORMAT.search(line) and not _DIGIT.search(line):
        return True
    if _PLACEHOLDER.search(line) and fields.phone is None:  # "138xxxx" is the example's phone
        return True
    if fields.complete:
        return False
    return line in titles or "接龙" in line or not (started or numbered)


def door_key(door: str) -> str:
    """What makes two doors the same door in a chain: spaces, case and the kind of dash do not count."""
    return _SPACES.sub("", door.translate(_DASHES)).lower()


def _mark_duplicates(entries: list[ChainEntry]) -> None:
    first: dict[str, int] = {}
    for entry in entries:
        if entry.status != OK:
            continue
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
            entries.append(ChainEntry(number, [number], UNPARSED, text=line))
            draft = None
    _mark_duplicates(entries)
    return entries
