"""One line of a chain message (接龙) read into fields: door, head count, phone, remark, head of
household, and what the wording says beyond them (tested in part or not at all, vacant, a correction,
a cancellation, names alone). db/intake/chain.py reads whole chains with it; db/intake/orders_chain.py reads what
is left of an order line once its goods are taken out. Pure text in, plain data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from db import fields as rules
from db.fields import FieldError
from db.intake.chain_text import AMBIGUOUS, composed_count, fold

_CN = "一二两俩三四五六七八九十"
_MARKERS = "号室栋幢座楼层单元户"
# WeChat writes its stickers as text when a chain is copied: [抱拳] is an emoji, not a remark.
_STICKER = re.compile(
    r"\[(?:强|弱|抱拳|握手|玫瑰|凋谢|爱心|心碎|微笑|呲牙|偷笑|愉快|憨笑|大笑|鼓掌|加油|奋斗|OK|ok|胜利|耶|"
    r"好的|太阳|月亮|庆祝|烟花|拥抱|合十|祈祷|捂脸|奸笑|机智|皱眉|流泪|可怜|嘿哈|福|红包|发|礼物|"
    r"蛋糕|咖啡|啤酒|拳头|爱你|NO|哇|旺柴|让我看看|叹气|苦涩|裂开|得意|害羞|调皮|Emm|社会社会)\]"
)
# "电话:" and "手机138…" label a field; 户主 and 姓名 label a name even without a colon ("户主陈志明").
_LABEL = re.compile(
    r"(?:(?:门牌号码?|门牌|地址|住址|房间?号|联系电话|联系方式|电话号码|电话|手机号码?|手机)\s*(?::|(?=[0-9]))"
    r"|(?:姓名|户主|联系人|名字)\s*:?)"
)
_BRACKET = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)(?:[)\]】〕]|$)")
_PHONE = re.compile(
    r"(?<![0-9*])(?:\+?86[\s-]?)?(?:1[0-9]{2}(?:[\s-]?[0-9*xX]){8}|0[0-9]{2,3}[\s-]?[0-9]{7,8}"
    r"|[2-8][0-9]{6,7})(?![0-9*])"
)
_COUNT = re.compile(
    rf"(?:共|一家|全家|(?:家庭|家里|家中)?(?:人数|人口)\s*:?)?\s*"
    rf"(?:(?<![0-9])([0-9]{{1,2}})|(?<![{_CN}])([{_CN}]{{1,3}}))\s*(?:口人|个人|口子|人|口|位)(?![村镇路街巷])"
    rf"|(?:家庭)?(?:人数|人口)\s*:?\s*([0-9]{{1,2}})(?![0-9])"
)
_NOT_PHONE_CHAR = re.compile(r"[^0-9*xX]")
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile("[0-9]")
_BARE = re.compile(r"[0-9]{1,2}")
_TOKEN = re.compile(r"[^\s,;、/|+:。]+")
_DOORISH = re.compile(rf"[0-9]|(?<![{_CN}百零〇])[{_CN}百零〇]+[号室栋幢楼]")
_DOOR_END = re.compile(rf"(.*[0-9][{_MARKERS}]*)(.+)")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_NAME = re.compile(r"[\u4e00-\u9fff]{1,3}")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁"
    "任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦傅方邹熊白孟秦邱侯江尹薛闫段雷黎史陶贺毛郝顾龚邵万覃武钱戴"
    "严莫孔向常汤康易乔赖施洪辛柯庄欧颜倪"
)
# Words that start with a surname but are what residents write after a door, not who lives there.
_NOT_NAMES = {
    "谢谢",
    "全家",
    "房东",
    "房客",
    "高龄",
    "高血压",
    "孙子",
    "孙女",
    "方便",
    "马上",
    "江边",
    "石狮",
    "陈埭",
    "黄码",
    "刘海",
    "万一",
    "曾经",
    "任何",
    "常住",
    "施工",
    "严重",
    "林业",
}
# No household takes more; a longer line is left unread, so no text can make a search slow.
_MAX_LINE = 500
# Testing-chain wording. "4人中3人已做": 4 live there, 3 are tested; "未做 明天补": none is.
_PARTIAL = re.compile(
    r"(?:(?<![0-9])([0-9]{1,2})|([一二两俩三四五六七八九十]{1,3}))\s*[人口]?\s*(?:中|里|里面|当中|其中)\s*"
    r"(?:(?<![0-9])([0-9]{1,2})|([一二两俩三四五六七八九十]{1,3}))\s*[个位名]?人?\s*"
    r"(?:已做|已测|已采|已检|做了|测了|采了|已完成|已经做了?)"
)
_DONE_PART = re.compile(
    r"(?:(?<![0-9])([0-9]{1,2})|([一二两俩三四五六七八九十]{1,3}))\s*[个位名]?人\s*"
    r"(?:已做|已测|已采|已检|做了|测了|采了|已完成|已经做了?)"
)
_NOT_TESTED = re.compile(
    r"未做|没做|未测|没测|未采|没采|未检|没检|明天补|明日补|补做|补测|在外地|外地|不在家|还没做|尚未"
)
_ANTIGEN = re.compile(r"抗原")
_VACANT = re.compile(r"空置|无人居住|房子空着|空房|没人住|无人住|空着|长期无人|常年无人")
# A later line that corrects an earlier one; 改为/改成 also mark which value is the new one.
_CORRECTION = re.compile(r"更正|修改|更改|纠正|改一下|改为|改成")
_CHANGE_TO = re.compile(r"改为|改成|更正为|修改为")
_CANCEL = re.compile(r"取消|不要了|不订了|退订|不需要了")
QUESTION = re.compile(r"[?？]|请问|吗$|什么时候|怎么|为什么|有没有|能不能|几点")
# Times and dates hold digits but are no door: "下午3点后", "4月13号", "15:30".
_TIME = re.compile(
    r"[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]?|[0-9]{1,2}\s*[点时](?:[0-9]{1,2}分?|半)?(?:以?后|之前|以前|前)?"
    r"|[0-9]{1,2}:[0-9]{2}"
)
# Two households on one line: "7. 20号 2人 138… 8. 21号 3人 138…", "9-1-301 1份；9-1-302 1份".
SECOND_ENTRY = re.compile(r"[；;]|\s(?:[0-9]{1,3}[.、)]|[(][0-9]{1,3}[)])\s*(?=\S)")
_NOT_A_NAME = re.compile("|".join(p.pattern for p in (_NOT_TESTED, _ANTIGEN, _VACANT, _CORRECTION, _CANCEL)))
_WORDED = re.compile(
    "|".join(p.pattern for p in (_NOT_TESTED, _ANTIGEN, _VACANT, _CORRECTION, _CANCEL, QUESTION))
    + r"|已做|已测|已采|已检|做了|测了|采了|已完成|已经做"
)
_NAMEISH = re.compile(r"[\u4e00-\u9fff](?:[\u4e00-\u9fff]{1,2}|[xX*×]{1,2}|[\u4e00-\u9fff][xX*×])")


@dataclass(frozen=True)
class _Fields:
    door: str | None = None
    people: int | None = None
    phone: str | None = None
    remark: str | None = None
    head: str | None = None
    bracket_only: bool = False
    tested: int | None = None
    not_tested: bool = False
    antigen: bool = False
    vacant: bool = False
    correction: bool = False
    cancel: bool = False
    two: bool = False
    names: tuple[str, ...] = ()
    names_plain: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.door) and (
            self.people is not None
            or self.phone is not None
            or self.tested is not None
            or self.vacant
            or self.not_tested
            or self.correction
            or self.cancel
            or len(self.names) > 1
        )


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


class _Span:
    """Where a count composed of parts was written, shaped like the re.Match the callers read."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start : self._end]


def _count(text: str) -> tuple[int | None, re.Match | _Span] | None:
    """(head count, where it is written); the count None where its parts do not say how many."""
    if (composed := composed_count(text)) is not None:
        # "3人 1个小孩": three with the child, or four? No count (the operator asks), but the words are
        # still the count's: the door ends before them, and they are kept as the remark.
        return (None if composed[0] == AMBIGUOUS else composed[0]), _Span(text, composed[1], composed[2])
    for match in _COUNT.finditer(text):
        if (value := _number(match.group(1) or match.group(2) or match.group(3))) is not None:
            return value, match
    return None


def _bare_count(text: str) -> tuple[int, re.Match] | None:
    """A lone 1 or 2-digit number after the door (12号 3 138…), unless a door word follows (3 栋 2 单元)."""
    tokens = list(_TOKEN.finditer(text))
    for index in range(1, len(tokens)):
        following = tokens[index + 1].group() if index + 1 < len(tokens) else ""
        if (
            _BARE.fullmatch(tokens[index].group())
            and not following.startswith(tuple(_MARKERS))
            and (value := _number(tokens[index].group())) is not None
        ):
            return value, tokens[index]
    return None


def _is_name(word: str) -> bool:
    return (
        bool(_NAME.fullmatch(word))
        and word[0] in _SURNAMES
        and word[-1] not in _MARKERS + "村区组"
        and word not in _NOT_NAMES
    )


def _split_door(zone: str) -> tuple[str, str | None, str]:
    """(door, head, what follows): the door runs to its last word holding a digit or a door word,
    so "12号 张三 已做" gives 12号, 张三, 已做; a name stuck to the door ("12号张三") comes off too."""
    tokens = list(_TOKEN.finditer(zone))
    ends = [t for t in tokens if _DIGIT.search(t.group()) or t.group()[0] in _MARKERS]
    if not ends:
        return zone, None, ""
    last = ends[-1]
    tail = zone[last.end() :]
    attached = _DOOR_END.fullmatch(last.group())
    # Stuck to the door, one character is more likely part of it ("12号东") than a surname.
    if not tail.strip() and attached and len(attached.group(2)) > 1 and _is_name(attached.group(2)):
        return zone[: last.start()] + attached.group(1), attached.group(2), ""
    first = _TOKEN.search(tail)
    if first and _is_name(first.group()):
        return zone[: last.end()], first.group(), tail[first.end() :]
    return zone[: last.end()], None, tail


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


def _blank(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _names(head: str | None, words: list[str]) -> tuple[tuple[str, ...], bool]:
    """The names written after a door when nothing else is ("张三 李四 王五 已做"), and whether each
    plainly is one (a surname, then one or two characters or a masked "xx")."""
    found = ([head] if head else []) + [w for w in words if not _DONE_WORD.fullmatch(w)]
    if not found or not all(_NAMEISH.fullmatch(w) for w in found):
        return (), False
    plain = all(w[0] in _SURNAMES and w not in _NOT_NAMES and w[-1] not in _MARKERS + "村区组" for w in found)
    return tuple(found), plain


_DONE_WORD = re.compile(r"(?:都|均|全部|全家)?(?:已做|已测|已采|已检|做了|测了|采了|已完成|已经做了?)")


def read_fields(body: str) -> _Fields:
    """Door, head count, phone, remark and head of household from one entry's text, with what the
    wording says beyond them: tested in part or not at all, vacant, a correction or cancellation."""
    if body.startswith("@") or len(body) > _MAX_LINE:  # "@网格员 12号的菜到了吗" talks about a door
        return _Fields()
    body = fold(body)
    pieces = [p for p in SECOND_ENTRY.split(body) if p.strip()] if SECOND_ENTRY.search(body) else [body]
    if len(pieces) > 1 and sum(_core_fields(p).complete for p in pieces) > 1:
        first = _core_fields(pieces[0])
        rest = body[body.index(pieces[0]) + len(pieces[0]) :].strip(" ；;")
        return _Fields(first.door, first.people, first.phone, rest, first.head, two=True)
    worded = bool(_WORDED.search(body))  # most lines hold none of the words below: one search, not ten
    flags = {
        "not_tested": worded and bool(_NOT_TESTED.search(body)),
        "antigen": worded and "抗原" in body,
        "vacant": worded and bool(_VACANT.search(body)),
        "correction": worded and bool(_CORRECTION.search(body)),
        "cancel": worded and bool(_CANCEL.search(body)),
    }
    text, people, tested = body, None, None
    if not worded:
        pass
    elif partial := _PARTIAL.search(text):
        people = _number(partial.group(1) or partial.group(2))
        tested = _number(partial.group(3) or partial.group(4))
        text = text[: partial.start()] + " " * (partial.end() - partial.start()) + text[partial.end() :]
    elif done := _DONE_PART.search(text):
        tested = _number(done.group(1) or done.group(2))
    if worded and (
        change := _CHANGE_TO.search(text)
    ):  # "3人 改为4人": only the count after it is the new one
        head = _blank(_COUNT, text[: change.start()])
        text = head + " " * (change.end() - change.start()) + text[change.end() :]
    core = _core_fields(text)
    if core.door and _TIME.search(core.door):  # "下午3点后在楼下领取" names a time, not a door
        core = _core_fields(_blank(_TIME, text))
    if worded and QUESTION.search(body) and core.phone is None:
        return _Fields()
    if people is not None and core.people != people:  # "4人中3人已做，1人在外地": 4 live there
        core = _Fields(core.door, people, core.phone, core.remark, core.head, core.bracket_only)
    names: tuple[str, ...] = ()
    plain = False
    if core.people is None and tested is None:  # names count only where no number is written
        words = _TOKEN.findall(core.remark or "") if core.door else _TOKEN.findall(text)
        names, plain = _names(core.head, [w for w in words if not _NOT_A_NAME.search(w)])
    if core.door is None and not names and not any(flags.values()):
        return core
    remark = core.remark
    if remark and (flags["correction"] or flags["cancel"]):  # "更正" says which line wins; it is no remark
        remark = _trim(_CANCEL.sub(" ", _CORRECTION.sub(" ", remark))) or None
    return _Fields(
        core.door,
        core.people,
        core.phone,
        remark,
        core.head,
        core.bracket_only,
        tested,
        names=names,
        names_plain=plain,
        **flags,
    )


def _core_fields(body: str) -> _Fields:
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
    before, after = (text[: phone[1].start()], text[phone[1].end() :]) if phone else (text, "")
    after_at = phone[1].end() if phone else len(text)
    if (
        phone and not _DOORISH.search(before) and _DOORISH.search(after)
    ):  # the phone first: "139… 1-2-201 3人"
        before, after, after_at = " " * phone[1].end() + after, "", len(text)
    # The count is looked for before the phone; after it, only as the first word: a digit
    # further on is a remark's ("138… 家中1人发烧").
    count: tuple[int | None, re.Match | _Span | None] | None = _count(before)
    if not count and (first := _TOKEN.search(after)) and (value := _whole_count(first.group())) is not None:
        count, after, after_at = (value, None), after[first.end() :], after_at + first.end()
    count = count or _bare_count(before)
    if count and count[1]:
        # a count not certain stays in the remark, for the operator to read
        cut = count[1].end() if count[0] is not None else count[1].start()
        zone, rest, rest_at = before[: count[1].start()], before[cut:], cut
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
