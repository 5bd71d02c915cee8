"""What a demo post is made of: names, places, doors, and the households and staff.

The place names and surname mix lean towards southern Fujian (闽南), where the
village the demo is modelled on (晋江市陈埭镇花厅口村) lies. db/demo/posts.py lays out
the grids and writes everything; this module fills them with people.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from db.records import HouseholdInput, StaffInput

if TYPE_CHECKING:
    from db.demo.posts import GridPlan

# Weights are rough shares in a Minnan county, not national figures.
_SURNAMES = (
    ("陈", 30),
    ("林", 24),
    ("黄", 16),
    ("王", 14),
    ("张", 12),
    ("李", 12),
    ("吴", 10),
    ("许", 10),
    ("蔡", 9),
    ("施", 8),
    ("洪", 7),
    ("郭", 7),
    ("刘", 7),
    ("杨", 6),
    ("丁", 6),
    ("曾", 5),
    ("苏", 5),
    ("庄", 5),
    ("郑", 5),
    ("周", 4),
    ("柯", 4),
    ("颜", 4),
    ("谢", 4),
    ("赵", 3),
    ("徐", 3),
    ("孙", 3),
    ("朱", 3),
    ("何", 3),
    ("高", 3),
    ("罗", 3),
    ("梁", 3),
    ("叶", 3),
    ("邱", 3),
    ("江", 2),
    ("杜", 2),
    ("方", 2),
    ("姚", 2),
    ("傅", 2),
    ("卢", 2),
    ("骆", 2),
    ("马", 2),
    ("胡", 2),
    ("宋", 2),
    ("唐", 2),
    ("韩", 2),
    ("彭", 2),
    ("余", 2),
    ("粘", 1),
    ("龚", 1),
    ("董", 1),
    ("潘", 1),
    ("魏", 1),
    ("沈", 1),
    ("钟", 1),
    ("廖", 1),
    ("石", 1),
    ("欧阳", 1),
    ("司马", 1),
)
_SURNAME_LIST = [s for s, _ in _SURNAMES]
_SURNAME_CUM = list(accumulate(w for _, w in _SURNAMES))
_MALE = (
    "伟强军建国明华志文辉杰俊斌宏海涛鹏勇毅峰晨阳子浩宇轩博振家荣成金水福清德泉源锦榕坤龙鸿思梓睿嘉宗添顺炳"
)
_FEMALE = "丽芳娟敏静燕霞婷慧玲雪琳欣怡萍红梅兰秀美玉珍凤彩雅佳颖诗晶丹月碧惠淑秋芽冰婉素琼"


def person_name(rng: random.Random) -> str:
    """Surname plus one character (about one name in seven) or two."""
    surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
    pool = _MALE if rng.random() < 0.5 else _FEMALE
    given = rng.choice(pool) if rng.random() < 0.15 else rng.choice(pool) + rng.choice(pool)
    return surname + given


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 as written in grid names: 二, 十二, 二十."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


VILLAGE = "花厅口村"
VILLAGES = (
    "湖中村",
    "洋埭村",
    "岸兜村",
    "坊头村",
    "溪边村",
    "沟西村",
    "高坑村",
    "江头村",
    "鹏头村",
    "西滨村",
    "仙石村",
    "埔锦村",
    "后埔村",
    "前坑村",
    "大埔村",
    "新街村",
    "塘头村",
    "东山村",
    "浦边村",
    "庄头村",
    "林口村",
    "石厦村",
    "檀林村",
    "玉井村",
    "古厝村",
    "田头村",
    "下宅村",
    "上郭村",
    "霞浯村",
    "金井村",
    "围头村",
    "南沙岗村",
    "永和村",
    "钞井村",
    "英墩村",
)
COMMUNITIES = (
    "滨江社区",
    "梅岭社区",
    "青阳社区",
    "阳光社区",
    "锦绣社区",
    "世纪社区",
    "东湖社区",
    "新华社区",
    "和平社区",
    "泉安社区",
    "晋华社区",
    "凤池社区",
    "湖光社区",
    "龙津社区",
    "紫帽社区",
    "罗山社区",
    "兴泰社区",
    "万安社区",
    "宝盖社区",
    "文锦社区",
)
SECTIONS = ("东区", "西区", "南区", "北区", "中区", "新区", "后厝", "前埔", "顶厝", "下厝")
_ESTATE_HEADS = (
    "滨江",
    "阳光",
    "世纪",
    "金色",
    "锦绣",
    "御景",
    "书香",
    "海峡",
    "凤凰",
    "紫荆",
    "碧水",
    "东方",
    "恒祥",
    "万嘉",
    "泰和",
    "宝龙",
    "融侨",
    "中骏",
    "世茂",
    "建发",
)
_ESTATE_TAILS = ("花园", "家园", "美景湾", "华府", "名邸", "豪庭", "雅苑", "新城", "公馆", "小区")
ESTATES = tuple(h + t for h in _ESTATE_HEADS for t in _ESTATE_TAILS)
# A post bigger than a county (a region) runs out of the names above: the same names come round
# again in a neighbouring town (villages, communities) or as a later phase (estates).
TOWNS = ("龙湖镇", "金井镇", "深沪镇", "英林镇", "东石镇", "安海镇", "磁灶镇", "内坑镇", "永和镇")
PHASES = ("二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期")


def endless(names: list[str], *, town_first: bool) -> Iterator[str]:
    """``names`` in order, then again under each of TOWNS (or PHASES), then numbered: never runs out."""
    yield from names
    for mark in TOWNS if town_first else PHASES:
        yield from (mark + name if town_first else name + mark for name in names)
    for n in itertools.count(2):
        yield from (f"{name}{n}" for name in names)


def rural_doors(rng: random.Random, prefix: str, first: int, count: int) -> tuple[list[str], int]:
    """House numbers from ``first``, with gaps for demolished houses and the odd 之一
    (a second house built on one plot). Returns the doors and the next free number."""
    doors: list[str] = []
    number = first
    while len(doors) < count:
        if rng.random() < 0.06:
            number += rng.randint(1, 3)
        doors.append(f"{prefix}{number}号")
        if len(doors) < count and rng.random() < 0.03:
            doors.append(f"{prefix}{number}号之一")
        number += 1
    return doors, number


def building_doors(rng: random.Random, estate: str, building: int, count: int) -> list[str]:
    """Flats of one building as 滨江美景湾3栋2单元501, floor by floor, some left empty."""
    per_floor = rng.choice((2, 2, 3, 4))
    # More stairwells rather than towers taller than 33 floors.
    stairs = max(rng.choice((1, 2, 2, 3)), -(-count // (per_floor * 33)))
    quota = [count // stairs + (1 if s < count % stairs else 0) for s in range(stairs)]
    doors = []
    for stair, wanted in enumerate(quota, 1):
        taken, floor = 0, 1
        while taken < wanted:
            for room in range(1, per_floor + 1):
                if taken < wanted and rng.random() >= 0.04:
                    doors.append(f"{estate}{building}栋{stair}单元{floor}{room:02d}")
                    taken += 1
            floor += 1
    return doors


# The six categories of config.yaml's rules.care_tags, weighted.
CARE_TAGS = (
    ("独居老人", 30),
    ("慢性病", 20),
    ("残疾", 15),
    ("困难群众", 15),
    ("孕产妇", 10),
    ("无人照护儿童", 10),
)
CARE_NOTES = {
    "独居老人": ("独居,子女在外地务工,需送菜上门", "八旬老人独居,每日电话问候", "独居,耳背,上门时多敲门"),
    "慢性病": ("高血压,需代购降压药", "糖尿病,胰岛素需冷藏配送", "慢阻肺,备有制氧机"),
    "残疾": ("双脚行动不便,由七旬母亲照顾", "视力残疾,物资需送到屋内", "肢体残疾,坐轮椅"),
    "困难群众": ("低保户,爱心物资优先", "家中主要劳动力在隔离点,收入中断", "特困供养户"),
    "孕产妇": ("孕32周,需定期产检", "产后一个月,需代购婴儿用品", "孕早期,需叶酸"),
    "无人照护儿童": (
        "父母在集中隔离点,由邻居代为照看",
        "父母均在外地,祖父母已住院",
        "父亲被隔离,母亲在医院陪护",
    ),
}
NOTES = (
    "租户,房东在外地",
    "外地返乡人员,居家健康监测中",
    "家中有婴儿,需代购奶粉",
    "解除集中隔离,居家健康监测",
    "门口有犬,送货请先电话联系",
    "接龙报了两次,已合并",
    "电话常打不通,可找邻居转告",
    "有一人在外地未返回",
    "已核对人数",
    "二楼出租,租户另行登记",
)

TEAM_ASSAULT = "龙湖镇疫情防控突击队"
TEAM_ENFORCEMENT = "龙湖镇综合执法队"
TEAM_MEDICAL = "金井镇卫生院医疗支援队"

CHECKPOINT_ROADS = (
    "东入口",
    "西入口",
    "南入口",
    "北入口",
    "324国道路口",
    "安东路口",
    "江滨路口",
    "沿海大通道路口",
    "世纪大道路口",
    "工业区路口",
    "菜市场路口",
    "学校路口",
)
ISOLATION_SITES = (
    "原村小学",
    "老人活动中心",
    "党群服务中心旧址",
    "祠堂",
    "职校宿舍",
    "镇卫生院旧楼",
    "工业区员工宿舍",
    "体育馆",
)
DEPOT_SITES = ("党群服务中心", "村委会", "老人活动中心", "篮球场", "农贸市场", "文化广场")
DELIVERY_SITES = (
    "村口广场",
    "老年活动中心",
    "菜市场",
    "篮球场",
    "祠堂前",
    "小区南门",
    "小区北门",
    "幼儿园门口",
    "文化广场",
    "公交站旁",
)
POST_NAMES = {  # kind -> (name template, sites that fill {site})
    "checkpoint": ("{place}{site}卡口", CHECKPOINT_ROADS),
    "control_point": ("{grid}{number}号管控点位", ()),
    "isolation_point": ("{place}{site}隔离点", ISOLATION_SITES),
    "depot": ("{place}物资暂存中转站({site})", DEPOT_SITES),
    "delivery_point": ("{place}{site}配送点", DELIVERY_SITES),
}

TO_CONTROLLED = ("连续7天无新增阳性感染者,经评估调整为管控区", "封控期满,全员核酸阴性,调整为管控区")
TO_PRECAUTION = ("连续14天无新增阳性", "连续14天无新增阳性,经指挥部研判调整为防范区")
RESEALED = ("小网格内新增1例阳性感染者,升级为封控区", "发现密接人员,该小网格临时封控")


# -- households and staff -----------------------------------------------------

# Fake phones: staff 10100xxxxxx, households 10000xxxxxx. Chinese mobile numbers start
# 13-19, so an 11-digit number starting 10 cannot reach anyone; each range holds a
# million numbers where a county needs 175,000.
STAFF_PHONES = "10100"
HOUSEHOLD_PHONES = "10000"
# Mean 3.6 people: rural households are large (seed 002's village: 1,474 people in 358).
HEAD_COUNTS = (1, 2, 3, 4, 5, 6)
HEAD_COUNT_WEIGHTS = (8, 17, 22, 24, 17, 12)
CARE_SHARE = 0.03
HOUSEHOLDS_PER_LIAISON = 10  # 十联户
HOUSEHOLDS_PER_HELPER = 40  # the N of "1+1+1+N": grid workers and volunteers


class PhoneBook:
    """Distinct numbers under one fake prefix."""

    def __init__(self, rng: random.Random, prefix: str) -> None:
        self.rng, self.prefix = rng, prefix
        self.used: set[int] = set()

    def next(self) -> str:
        number = self.rng.randrange(1_000_000)
        while number in self.used:
            number = self.rng.randrange(1_000_000)
        self.used.add(number)
        return f"{self.prefix}{number:06d}"


def _care_tags(rng: random.Random) -> list[str]:
    tags = [t for t, _ in CARE_TAGS]
    first = rng.choices(tags, [w for _, w in CARE_TAGS])[0]
    if rng.random() < 0.2:
        return [first, rng.choice([t for t in tags if t != first])]
    return [first]


def plan_households(plans: list[GridPlan], rng: random.Random) -> tuple[list[HouseholdInput], dict]:
    """Every door of every unit as a household; also returns them by unit code."""
    total = sum(len(doors) for plan in plans for doors in plan.units.values())
    care = set(rng.sample(range(total), round(total * CARE_SHARE)))
    phones = PhoneBook(rng, HOUSEHOLD_PHONES)
    rows: list[HouseholdInput] = []
    by_unit: dict[str, list[HouseholdInput]] = {}
    for plan in plans:
        for unit, doors in plan.units.items():
            here = by_unit[unit] = []
            for door in doors:
                tags = _care_tags(rng) if len(rows) in care else []
                people = rng.choices(HEAD_COUNTS, HEAD_COUNT_WEIGHTS)[0]
                if "独居老人" in tags:
                    people = 1
                elif "孕产妇" in tags:
                    people = max(2, people)
                head = person_name(rng) if rng.random() < 0.92 else ""
                phone = phones.next() if rng.random() < 0.97 else ""
                if tags:  # noqa: SIM108 (a nested conditional expression would read worse)
                    note = rng.choice(CARE_NOTES[tags[0]])
                else:
                    note = rng.choice(NOTES) if rng.random() < 0.05 else ""
                row = HouseholdInput(unit, door, people, head, phone, "、".join(tags), note)
                rows.append(row)
                here.append(row)
    return rows, by_unit


def _test_date(rng: random.Random, today: date) -> str | None:
    """Most tested today or yesterday; one in ten is stale, a few never recorded."""
    roll = rng.random()
    if roll < 0.04:
        return None
    days = rng.randint(2, 9) if roll < 0.14 else rng.randint(0, 1)
    return (today - timedelta(days=days)).isoformat()


def _helper_age(rng: random.Random) -> int | None:
    """18 to 50 mostly, with the few under-age and over-age helpers the duty rules must catch."""
    roll = rng.random()
    if roll < 0.03:
        return rng.randint(16, 17)
    if roll < 0.06:
        return rng.randint(56, 66)
    if roll < 0.07:
        return None
    return rng.randint(18, 50)


def plan_staff(
    plans: list[GridPlan],
    by_unit: dict[str, list[HouseholdInput]],
    medics_per_grid: float,
    rng: random.Random,
    today: date,
) -> list[StaffInput]:
    """Each grid's "1+1+1+N" team, its liaisons and medics.

    The seed's reinforcement team leads the grids of place 0; liaisons are
    household heads of their own unit, reachable on their household phone.
    """
    phones = PhoneBook(rng, STAFF_PHONES)
    staff: list[StaffInput] = []

    def add(
        name: str,
        role: str,
        home: str,
        age: int | None,
        party: bool,
        team: str = "",
        note: str = "",
        phone: str = "",
    ) -> None:
        staff.append(
            StaffInput(
                name,
                role,
                home,
                phone or phones.next(),
                today.year - age if age else None,
                party,
                _test_date(rng, today),
                team,
                note,
            )
        )

    medic_grids = {plan.code for plan in rng.sample(plans, round(len(plans) * medics_per_grid))}
    for plan in plans:
        reinforced = plan.place_index == 0
        team = TEAM_ASSAULT if reinforced else ""
        add(
            person_name(rng),
            "grid_leader",
            plan.code,
            rng.randint(42, 57),
            True,
            team,
            "科级干部" if reinforced else "下沉干部",
        )
        add(person_name(rng), "cadre", plan.code, rng.randint(30, 48), True, team, "党员中层骨干")
        add(
            person_name(rng),
            "cadre",
            plan.code,
            rng.randint(30, 58),
            rng.random() < 0.7,
            "",
            "社区干部" if plan.urban else "村两委干部",
        )
        subgrids = list(dict.fromkeys(unit.rsplit("-", 1)[0] for unit in plan.units))
        homes = sum(len(doors) for doors in plan.units.values())
        for k in range(max(2, round(homes / HOUSEHOLDS_PER_HELPER))):
            age, party = _helper_age(rng), rng.random() < 0.35
            if rng.random() < 0.4:
                helper_team = (
                    rng.choices((TEAM_ASSAULT, TEAM_ENFORCEMENT, ""), (50, 15, 35))[0] if reinforced else ""
                )
                add(person_name(rng), "grid_worker", subgrids[k % len(subgrids)], age, party, helper_team)
            else:
                note = "党员志愿者" if party else ("返乡大学生" if age and 19 <= age <= 23 else "")
                add(person_name(rng), "volunteer", subgrids[k % len(subgrids)], age, party, "", note)
        for unit in plan.units:
            households = by_unit[unit]
            reachable = [(h.head_name, h.phone) for h in households if h.head_name and h.phone]
            count = min(len(reachable), max(1, round(len(households) / HOUSEHOLDS_PER_LIAISON)))
            for head_name, phone in rng.sample(reachable, count):
                party = rng.random() < 0.5
                note = f"联系约{len(households) // count}户" + (",党员中心户" if party else "")
                age = rng.randint(56, 68) if rng.random() < 0.08 else rng.randint(28, 55)
                add(head_name, "liaison", unit, age, party, "", note, phone)
        if plan.code in medic_grids:
            add(
                person_name(rng),
                "medic",
                plan.code,
                rng.randint(22, 50),
                rng.random() < 0.4,
                TEAM_MEDICAL if reinforced else "",
                rng.choice(("医生", "护士", "核酸采样员")),
            )
    return staff
