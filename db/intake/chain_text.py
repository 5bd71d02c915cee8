"""What a chain's words mean, whatever way they were written: traditional characters folded to
simplified (for matching only: the resident's text is kept as written), counts composed of parts
(2大1小, 夫妻两人+1个小孩), and the notations one flat is written in (1栋1单元201 = 1-1-201).

Pure text in, plain data out; db/intake/chain.py, db/intake/orders_chain.py and db/intake/chain_doors.py use it.
"""

from __future__ import annotations

import re

from db import fields as rules

# The traditional characters that matter to a chain: door words, counts, test and order wording,
# common surnames. One character for one, so positions in the folded text are those of the original.
_TRADITIONAL = (
    "號号廳厅兩两樓楼單单區区棟栋戶户門门層层園园灣湾莊庄裡里裏里東东組组電电話话機机碼码聯联係系"
    "個个們们兒儿歲岁無无沒没補补測测檢检陽阳陰阴蘿萝蔔卜麵面雞鸡魚鱼豬猪藥药鹽盐醬酱衛卫紙纸"
    "數数總总來来會会這这麼么嗎吗請请謝谢問问訂订購购買买賣卖領领樣样記记錄录龍龙採采還还讓让"
    "國国劉刘陳陈張张黃黄趙赵吳吴楊杨鄭郑韓韩馮冯鄧邓許许蘇苏呂吕盧卢錢钱孫孙馬马葉叶羅罗鍾钟"
    "鐘钟湯汤賴赖龔龚嚴严顧顾陸陆蔣蒋範范閒闲著着對对錯错誤误確确認认變变為为刪删標标準准"
    "幾几隻只夥伙爺爷媽妈貓猫齊齐滿满車车輛辆內内時时間间點点後后讀读寫写線线"
    "壹一貳二參三肆四伍五柒七捌八玖九拾十"
)
FOLD = str.maketrans(dict(zip(_TRADITIONAL[0::2], _TRADITIONAL[1::2])))
_SPACE = re.compile(r"\s+")
DASHES = str.maketrans("—–‐－~～_", "-------")

CN_DIGITS = "一二两俩三四五六七八九十"
NUM = rf"(?:[0-9]{{1,2}}|[{CN_DIGITS}]{{1,3}})"


def fold(text: str) -> str:
    """Traditional to simplified, one character for one."""
    return text.translate(FOLD)


def number(word: str) -> int | None:
    """3, 三, 两, 十二 as a count of 1..rules.MAX_PEOPLE, or None."""
    if word.isascii() and word.isdigit():
        return int(word) if 1 <= int(word) <= rules.MAX_PEOPLE else None
    try:
        return rules.people(word)
    except rules.FieldError:
        return None


# -- counts made of parts ---------------------------------------------------------------------

_KIND = r"(?:老人|大人|成人|小孩|孩子|儿童|小朋友|婴儿|宝宝|学生|老年人|年轻人|男|女)"
_UNIT = r"\s*[个位名口人]?"
_PART = (
    rf"(?:夫妻|夫妇|两口子|老两口|小两口)(?:\s*(?:{NUM})\s*[人口个位]?)?"  # a couple: 2
    rf"|{_KIND}\s*{NUM}{_UNIT}"  # 老人2个
    rf"|{NUM}{_UNIT}\s*{_KIND}"  # 1个小孩
    rf"|{NUM}\s*[大小老](?![号室栋楼村区组人孩])"
)  # 2大1小
_JOIN = r"\s*(?:[+,、和加及与带]|以及)?\s*"
_PLAIN = rf"{NUM}\s*[人口个位](?!\s*{_KIND})"
_ANY = rf"(?:{_PART}|{_PLAIN})"
COMPOSED = re.compile(rf"(?:(?:家里|家中|家庭|一家|全家)\s*)?{_ANY}(?:{_JOIN}{_ANY})*")
_ANY_ONE = re.compile(_ANY)
_PLAIN_ONE = re.compile(_PLAIN)
_HINT = re.compile(r"[大小老夫妻孩童婴宝学男女成]|两口")
_COUPLE = re.compile(r"夫妻|夫妇|两口子|老两口|小两口")
_NUM_IN = re.compile(rf"{NUM}")
_EXPLICIT = re.compile(r"[+加]")
AMBIGUOUS = -1


def _part_value(part: str) -> int | None:
    if _COUPLE.match(part):
        given = _NUM_IN.search(part[2:])
        return 2 if given is None or number(given.group()) == 2 else None
    found = _NUM_IN.search(part)
    return number(found.group()) if found else None


def composed_count(text: str) -> tuple[int, int, int] | None:
    """(count, start, end) of a count written as parts: 2大1小, 大人3小孩2, 夫妻两人+1个小孩, 2人+1宝宝,
    家里老人2个. None when no such count is written. The count is AMBIGUOUS when the parts do not say
    whether they add up: "3人 1个小孩" may be three with the child or four (the caller asks)."""
    if not _HINT.search(text):  # the common line, "3人", has no part word: no need for the long pattern
        return None
    for match in COMPOSED.finditer(text):
        words = match.group()
        parts = list(_ANY_ONE.finditer(words))
        if not parts or all(_PLAIN_ONE.fullmatch(p.group()) for p in parts):
            continue  # "3人", "4人中3人": ordinary counts, read elsewhere
        for before, after in zip(parts, parts[1:]):
            plain = _PLAIN_ONE.fullmatch(before.group()) or _PLAIN_ONE.fullmatch(after.group())
            if plain and not _EXPLICIT.search(words[before.end() : after.start()]):
                return AMBIGUOUS, match.start(), match.end()
        outside = text[: match.start()] + " " + text[match.end() :]
        written = _PLAIN_ONE.search(outside)  # a plain count beside the parts: the household's count
        said = number(_NUM_IN.search(written.group()).group()) if written else None  # type: ignore[union-attr]
        # where that count ends in ``text`` when it follows the parts ("1个小孩，共3人")
        written_end = written.end() - 1 - match.start() + match.end() if written else 0
        if written and len(parts) == 1 and not _COUPLE.match(parts[0].group()):
            if written.start() < match.start():
                return None  # "3人 含1名婴儿": the household is the 3; the part is a remark
            # "1个小孩，共3人": the 3, and the door ends before the part
            return (AMBIGUOUS if said is None else said), match.start(), written_end
        values = [value for p in parts if (value := _part_value(p.group())) is not None]
        if len(values) < len(parts) or sum(values) > rules.MAX_PEOPLE:  # a part not understood, or too many
            return AMBIGUOUS, match.start(), match.end()
        if written:  # "3人，其中2大1小": the parts say who the 3 are
            first = min(written.start(), match.start())  # a count written before the parts starts there
            if said != sum(values):
                return AMBIGUOUS, first, max(match.end(), written_end)  # "3人，其中2大2小": three or four?
            if first < match.start():
                return None  # the count as written, where it was written: the door ends before it
        return sum(values), match.start(), match.start() + parts[-1].end()
    return None


# -- doors --------------------------------------------------------------------------------------

_FLAT = re.compile(
    r"^(.*?)([0-9]{1,4})\s*(?:栋|幢|号楼|座|#|-)\s*([0-9]{1,3})\s*(?:单元|-)\s*([0-9]{1,5})\s*(?:室|号|户)?$"
)
_BLOCK_ROOM = re.compile(r"^(.*?)([0-9]{1,4})\s*(?:栋|幢|号楼|座|#)\s*([0-9]{1,5})\s*(?:室|号|户)?$")
_ROOM_END = re.compile(r"^(.*?[0-9])(?:室|户)$")
_FLAT_HINT = re.compile(r"[栋幢楼座#\-室户]")
_LEADING_PLACE = re.compile(r"^[^0-9]+(?=[0-9])")


def door_form(door: str) -> str:
    """The door as it is compared: folded, NFKC, no spaces, one kind of dash."""
    return _SPACE.sub("", rules.clean(fold(door)).translate(DASHES))


def door_key(door: str) -> str:
    """One key for every notation of one flat: 1栋1单元201, 1-1-201 and 1幢1单元201室 give 1-1-201."""
    form = door_form(door).lower()
    if not _FLAT_HINT.search(form):  # "花厅口村12号": one notation only, no need for the patterns
        return form
    if match := _FLAT.match(form):
        return f"{match.group(1)}{int(match.group(2))}-{int(match.group(3))}-{int(match.group(4))}"
    if match := _BLOCK_ROOM.match(form):
        return f"{match.group(1)}{int(match.group(2))}-{int(match.group(3))}"
    if match := _ROOM_END.match(form):
        return match.group(1)
    return form


def door_variants(door: str) -> list[str]:
    """The ways a register may hold the door written: its own form and the other notations of one flat."""
    form = door_form(door)
    found = [form]
    if match := _FLAT.match(form):
        place, b, u, r = match.group(1), match.group(2), match.group(3), match.group(4)
        for pattern in (
            "{b}-{u}-{r}",
            "{b}栋{u}单元{r}",
            "{b}栋{u}单元{r}室",
            "{b}幢{u}单元{r}",
            "{b}幢{u}单元{r}室",
            "{b}号楼{u}单元{r}",
            "{b}号楼{u}单元{r}室",
            "{b}#{u}-{r}",
        ):
            found.append(place + pattern.format(b=b, u=u, r=r))
    elif match := _BLOCK_ROOM.match(form):
        place, b, r = match.group(1), match.group(2), match.group(3)
        for pattern in (
            "{b}-{r}",
            "{b}栋{r}",
            "{b}栋{r}室",
            "{b}幢{r}",
            "{b}幢{r}室",
            "{b}号楼{r}",
            "{b}号楼{r}室",
        ):
            found.append(place + pattern.format(b=b, r=r))
    elif match := _ROOM_END.match(form):
        found.append(match.group(1))
    elif form.isdigit():
        found += [form + "号", form + "室"]
    return list(dict.fromkeys(found))


def short_form(door: str) -> str | None:
    """The door without a place name before its number (花厅口村211号 -> 211号), when it has one."""
    form = door_form(door)
    match = _LEADING_PLACE.match(form)
    return form[match.end() :] if match else None
