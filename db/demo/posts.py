"""Demo command posts: a village like 花厅口村, a town ten times its size, a county, three counties.

The rows are planned in memory first (plan_post), then written through
db/grids/writes.py, so the demo obeys the same rules as real data. Every choice comes
from random.Random(seed) and every date is counted back from ``today``, so a
seed and a day always give the same rows.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from peewee import SqliteDatabase

from db.audit import trail as audit
from db.connection import open_database
from db.demo import names as words
from db.demo.accounts import populate_accounts
from db.demo.passes import populate_passes
from db.demo.registers import populate_registers
from db.demo.roster import populate_roster
from db.demo.supply import populate_supply
from db.errors import DatabaseOpenError
from db.grids import writes
from db.models import database_proxy
from db.records import GridInput, HouseholdInput, StaffInput
from db.vocab import POST_KINDS

ACTOR = "演示数据"
HOUSEHOLD_CHUNK = 20_000
BEIJING = timezone(timedelta(hours=8))
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Scale:
    places: int  # villages and urban communities
    grids_per_place: int
    subgrids: int
    households: int
    urban_places: int
    pinned: tuple[tuple[int, int, int], ...]  # (grid index, sub-grids, households) the story fixes
    posts: tuple[int, ...]  # how many of each POST_KINDS
    medics_per_grid: float
    calm_share: float  # grids never sealed


SCALES = {
    # Seed 004: 7 grids, 32 sub-grids; grid 2 holds 244 houses in 4 sub-grids; "1 depot, 3 delivery points".
    "village": Scale(1, 7, 32, 1_500, 0, ((1, 4, 244),), (3, 7, 1, 1, 3), 0.5, 0.0),
    "town": Scale(10, 7, 320, 15_000, 4, (), (25, 95, 3, 7, 20), 0.5, 0.15),
    # DOMAIN.md's county, posts in seed 000's proportions, and one 20,000-household
    # grid: the size the register must stay instant at.
    "county": Scale(40, 5, 1_000, 155_000, 14, ((5, 40, 20_000),), (86, 323, 10, 20, 61), 1.0, 0.15),
    # Three counties on one laptop (issue 18): 600 grids, ~465,000 households, 1,500 posts.
    "region": Scale(120, 5, 3_000, 465_000, 42, ((5, 40, 20_000),), (258, 969, 30, 60, 183), 1.0, 0.15),
}


@dataclass
class GridPlan:
    code: str
    name: str
    place: str
    place_index: int
    urban: bool
    units: dict[str, list[str]]  # unit code -> doors, in register order


@dataclass
class DemoPlan:
    grids: list[GridInput]
    created_at: str  # when the grids were set up, sealed
    zone_events: list[tuple[str, str, str, str]]  # (changed_at, grid code, new zone, reason)
    households: list[HouseholdInput]
    staff: list[StaffInput]
    posts: list[tuple[str, str, str]]  # (kind, grid code, name)


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    grids: int
    subgrids: int
    units: int
    households: int
    residents: int
    care_households: int
    staff: int
    posts: int
    seconds: float
    kept: Path | None = None  # the post this build replaced (--force), renamed aside


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainder), each share at least 1."""
    raw = [w * total / sum(weights) for w in weights]
    shares = [max(1, int(r)) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in by_remainder[: max(0, total - sum(shares))]:
        shares[i] += 1
    return shares


def _shares(rng: random.Random, total: int, count: int, spread: float) -> list[int]:
    return _split(total, [rng.uniform(1 - spread, 1 + spread) for _ in range(count)])


def _sizes(scale: Scale, rng: random.Random) -> tuple[list[int], list[int]]:
    """Sub-grids and households of each grid: the pinned ones as the story says, the rest
    spread a little unevenly, households in step with sub-grids."""
    count = scale.places * scale.grids_per_place
    pinned = {index: (subs, homes) for index, subs, homes in scale.pinned}
    free = [i for i in range(count) if i not in pinned]
    subs = dict(zip(free, _shares(rng, scale.subgrids - sum(s for s, _ in pinned.values()), len(free), 0.2)))
    homes = dict(
        zip(
            free,
            _split(
                scale.households - sum(h for _, h in pinned.values()),
                [subs[i] * rng.uniform(0.85, 1.15) for i in free],
            ),
        )
    )
    for index, (sub_count, home_count) in pinned.items():
        subs[index], homes[index] = sub_count, home_count
    return [subs[i] for i in range(count)], [homes[i] for i in range(count)]


def _layout(scale: Scale, rng: random.Random) -> tuple[list[GridPlan], list[GridInput]]:
    subs, homes = _sizes(scale, rng)
    # Place 0 is the seed's village; place 1 is urban, so a pinned big grid lands in a town.
    urban = [False] + [True] * min(1, scale.urban_places)
    rest = [True] * (scale.urban_places - sum(urban)) + [False] * (scale.places - 1 - scale.urban_places)
    urban += rng.sample(rest, len(rest))
    villages = words.endless(
        [words.VILLAGE, *rng.sample(words.VILLAGES, len(words.VILLAGES))], town_first=True
    )
    communities = words.endless(rng.sample(words.COMMUNITIES, len(words.COMMUNITIES))[::-1], town_first=True)
    # A county uses up to ~200 estates (seeds 7, 8, 11, ... ran out of them with StopIteration).
    estates = words.endless(rng.sample(words.ESTATES, len(words.ESTATES)), town_first=False)
    plans: list[GridPlan] = []
    inputs: list[GridInput] = []
    for place_index, in_town in enumerate(urban):
        place = next(communities) if in_town else next(villages)
        # Some villages number houses per section (东区12号) rather than village-wide (花厅口村127号).
        by_section = place_index > 0 and not in_town and rng.random() < 0.4
        next_house, estate, next_building = 1, "", 1
        for local in range(1, scale.grids_per_place + 1):
            index = len(plans)
            code, name = str(index + 1), f"第{words.chinese_number(local)}网格"
            name = name if scale.places == 1 else place + name
            plan = GridPlan(code, name, place, place_index, in_town, {})
            inputs.append(GridInput(code, name))
            next_house = 1 if by_section else next_house
            for s, sub_homes in enumerate(_shares(rng, homes[index], subs[index], 0.3), 1):
                inputs.append(GridInput(f"{code}-{s}", f"{name}第{s}小网格"))
                if in_town and (not estate or rng.random() < 0.5):
                    estate, next_building = next(estates), 1
                for u, unit_homes in enumerate(_shares(rng, sub_homes, rng.choice((2, 3)), 0.3), 1):
                    unit_code = f"{code}-{s}-{u}"
                    if in_town:
                        plan.units[unit_code] = words.building_doors(rng, estate, next_building, unit_homes)
                        inputs.append(GridInput(unit_code, f"{estate}{next_building}栋"))
                        next_building += 1
                    else:
                        prefix = words.SECTIONS[local - 1] if by_section else place
                        plan.units[unit_code], next_house = words.rural_doors(
                            rng, prefix, next_house, unit_homes
                        )
                        inputs.append(GridInput(unit_code, f"第{u}单元"))
            plans.append(plan)
    return plans, inputs


def _stamp(day: date, rng: random.Random) -> str:
    """A working-hours moment on ``day`` in Beijing, stored as UTC like writes.utc_now()."""
    moment = datetime(
        day.year, day.month, day.day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)), tzinfo=BEIJING
    )
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _zone_story(
    plans: list[GridPlan], scale: Scale, rng: random.Random, start: date
) -> tuple[list, dict[str, str]]:
    """Most grids follow seed 004's course: sealed, controlled about two weeks in, precaution
    a few days later (12 and 16 April there). Others are still sealed or controlled, some were
    never sealed, and a few had one sub-grid sealed again after a new case."""
    stories = [("lifted", 0.45), ("easing", 0.25), ("sealed", 0.15), ("flare", 0.15)]
    weights = [w * (1 - scale.calm_share) for _, w in stories] + (
        [scale.calm_share] if scale.calm_share else []
    )
    names = [s for s, _ in stories] + (["calm"] if scale.calm_share else [])
    deck = [name for name, n in zip(names, _split(len(plans), weights)) for _ in range(n)][: len(plans)]
    deck = rng.sample(deck, len(deck))
    events, first_zone = [], {}
    for plan, story in zip(plans, deck):
        first_zone[plan.code] = "precaution" if story == "calm" else "sealed"
        if story in ("lifted", "flare"):
            controlled = start + timedelta(days=12 + rng.randint(0, 1))
            events.append((_stamp(controlled, rng), plan.code, "controlled", rng.choice(words.TO_CONTROLLED)))
            lifted = controlled + timedelta(days=rng.randint(3, 5))
            events.append((_stamp(lifted, rng), plan.code, "precaution", rng.choice(words.TO_PRECAUTION)))
        if story == "easing":
            day = start + timedelta(days=20 - rng.randint(2, 5))
            events.append((_stamp(day, rng), plan.code, "controlled", rng.choice(words.TO_CONTROLLED)))
        if story == "flare":
            subgrid = rng.choice(sorted({u.rsplit("-", 1)[0] for u in plan.units}))
            day = start + timedelta(days=19)
            events.append((_stamp(day, rng), subgrid, "sealed", rng.choice(words.RESEALED)))
    return sorted(events), first_zone


def _site(sites: tuple[str, ...], n: int) -> str:
    return sites[n % len(sites)] + (f"{n // len(sites) + 1}号" if n >= len(sites) else "")


def _posts(plans: list[GridPlan], scale: Scale, rng: random.Random) -> list[tuple[str, str, str]]:
    """Spread each kind over the grids in a shuffled order, so no grid gets a second before all have one."""
    posts: list[tuple[str, str, str]] = []
    taken: dict[tuple[str, str], int] = {}
    for kind, count in zip(POST_KINDS, scale.posts):
        order = rng.sample(plans, len(plans))
        for i in range(count):
            plan = order[i % len(order)]
            template, sites = words.POST_NAMES[kind]
            # Control points are numbered within their grid, the other kinds named by place.
            key = (kind, plan.code if not sites else plan.place)
            n = taken[key] = taken.get(key, -1) + 1
            site = _site(sites, n) if sites else ""
            posts.append(
                (kind, plan.code, template.format(place=plan.place, grid=plan.name, site=site, number=n + 1))
            )
    return posts


def plan_post(scale_name: str, seed: int, today: date) -> DemoPlan:
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    plans, grids = _layout(scale, rng)
    start = today - timedelta(days=20)
    events, first_zone = _zone_story(plans, scale, rng, start)
    grids = [GridInput(g.code, g.name, first_zone.get(g.code, "")) for g in grids]
    households, by_unit = words.plan_households(plans, rng)
    staff = words.plan_staff(plans, by_unit, scale.medics_per_grid, rng, today)
    return DemoPlan(grids, _stamp(start, rng), events, households, staff, _posts(plans, scale, rng))


def populate(
    scale: str = "village",
    seed: int = 1,
    *,
    actor: str = ACTOR,
    today: date | None = None,
    progress: Progress | None = None,
) -> None:
    """Write a demo post into the open database, e.g. an empty one on the first run.

    All of it or none of it: the writes below nest inside one transaction.
    (build() does not use this: its file is renamed into place only when
    complete, and one huge transaction of nested savepoints is ten times slower.)
    """
    plan = plan_post(scale, seed, today or date.today())
    with database_proxy.atomic():
        _write_plan(plan, actor, progress or (lambda *_: None), today or date.today(), seed)


def _write_plan(plan: DemoPlan, actor: str, report: Progress, today: date, seed: int) -> None:
    # One audit event for the whole demo, not a million row entries nobody asked for.
    with audit.inserts_summarised(
        "demo", {"seed": seed, "day": today.isoformat()}, ("insert", "update", "delete")
    ):
        _write_rows(plan, actor, report, today, seed)


def _write_rows(plan: DemoPlan, actor: str, report: Progress, today: date, seed: int) -> None:
    total = len(plan.grids) + len(plan.households) + len(plan.staff) + len(plan.posts) + len(plan.zone_events)
    writes.upsert_grids(plan.grids, actor=actor, now=plan.created_at)
    done = len(plan.grids)
    for start in range(0, len(plan.households), HOUSEHOLD_CHUNK):

        def progress(n: int, _total: int, base: int = done + start) -> None:  # base: this chunk's
            report(base + n, total)

        writes.upsert_households(
            plan.households[start : start + HOUSEHOLD_CHUNK], actor=actor, progress=progress
        )
    done += len(plan.households)
    writes.upsert_staff(plan.staff, actor=actor, progress=lambda n, _: report(done + n, total))
    done += len(plan.staff)
    report(done, total)
    grid_ids = dict(database_proxy.execute_sql("SELECT code, id FROM grid").fetchall())
    for changed_at, code, zone, reason in plan.zone_events:
        writes.change_zone(grid_ids[code], zone, reason, actor=actor, now=changed_at)
    for kind, code, name in plan.posts:
        writes.add_duty_post(kind, code, name)
    populate_roster(today, seed, actor)
    populate_passes(today, actor)
    populate_registers(today, seed)
    populate_supply(today, seed, actor)
    database_proxy.execute_sql(
        "INSERT OR REPLACE INTO post_meta (key, value) VALUES ('demo', ?)", (f"seed {seed}",)
    )
    report(total, total)


def _count(database: SqliteDatabase) -> tuple[int, ...]:
    return database.execute_sql(
        "SELECT (SELECT count(*) FROM grid WHERE level = 0), (SELECT count(*) FROM grid WHERE level = 1),"
        " (SELECT count(*) FROM grid WHERE level = 2), count(*), coalesce(sum(people), 0),"
        " coalesce(sum(care_tags <> ''), 0), (SELECT count(*) FROM staff), (SELECT count(*) FROM duty_post)"
        " FROM household"
    ).fetchone()


def _remove(path: Path, *, journal_only: bool = False) -> None:
    for suffix in ("-wal", "-shm") if journal_only else ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build(
    path: str | os.PathLike[str],
    scale: str = "village",
    seed: int = 1,
    *,
    force: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Build a demo post at ``path``; an existing file is replaced only with ``force``.

    The rows go into ``path.partial`` which is renamed into place when complete,
    so a build that stops half-way never leaves a file that looks like a demo.
    """
    target = Path(path).expanduser()
    if target.exists() and not force:
        raise DatabaseOpenError("db.exists", path=str(target))
    from db.backup import replace_post  # replacing a post: an admin's act, and the old file is kept

    replace_post.require_admin(target, "demo.admin_only")
    started = time.monotonic()
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    previous = database_proxy.obj
    database = open_database(partial)
    # The file only counts once renamed into place, so a power cut mid-build costs nothing:
    # no need to wait for the disk on each of the build's thousands of commits.
    database.execute_sql("PRAGMA synchronous = OFF")
    try:
        _write_plan(
            plan_post(scale, seed, today or date.today()),
            ACTOR,
            progress or (lambda *_: None),
            today or date.today(),
            seed,
        )
        populate_accounts(int(time.time()))
        grids, subgrids, units, households, residents, care, staff, posts = _count(database)
        database.close()
    except BaseException:
        database.close()
        _remove(partial)
        raise
    finally:
        if previous is not None:
            database_proxy.initialize(previous)
    try:
        kept = replace_post.replace_file(target, partial)
    except BaseException:  # the post is in use: it stands, and the build leaves nothing behind
        _remove(partial)
        raise
    return DemoSummary(
        target,
        grids,
        subgrids,
        units,
        households,
        residents,
        care,
        staff,
        posts,
        round(time.monotonic() - started, 1),
        kept,
    )
