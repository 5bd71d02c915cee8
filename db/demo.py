"""Demo command posts: a village like 花厅口村, a town ten times its size, a county.

The rows are planned in memory first (plan_post), then written through
db/writes.py, so the demo obeys the same rules as real data. Every choice comes
from random.Random(seed) and every date is counted back from ``today``, so a
seed and a day always give the same rows.

Phones are fake: staff 17000xxxxxx, households 19900xxxxxx. No Chinese mobile
range is reserved for fiction; the run of zeros marks them to a reader, and the
ranges hold the 175,000 distinct numbers a county needs.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from db import demo_names as words
from db import writes
from db.connection import open_database
from db.demo_people import plan_households, plan_staff
from db.errors import DatabaseOpenError
from db.migrations import POST_KINDS
from db.models import database_proxy
from db.records import GridInput, HouseholdInput, StaffInput

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
    created_at: str
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


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainder), each share at least 1."""
    raw = [w * total / sum(weights) for w in weights]
    shares = [max(1, int(r)) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in by_remainder[:max(0, total - sum(shares))]:
        shares[i] += 1
    return shares


def _layout(scale: Scale, rng: random.Random) -> tuple[list[GridPlan], list[GridInput]]:
    count = scale.places * scale.grids_per_place
    pinned = {index: (subs, homes) for index, subs, homes in scale.pinned}
    free = [i for i in range(count) if i not in pinned]
    subs = dict(zip(free, split(scale.subgrids - sum(s for s, _ in pinned.values()),
                                [rng.uniform(0.8, 1.2) for _ in free])))
    homes = dict(zip(free, split(scale.households - sum(h for _, h in pinned.values()),
                                 [subs[i] * rng.uniform(0.85, 1.15) for i in free])))
    subs.update({i: s for i, (s, _) in pinned.items()})
    homes.update({i: h for i, (_, h) in pinned.items()})
    # Place 0 is the seed's village; place 1 is urban so a pinned big grid lands in a town.
    urban = [False] + [True] * min(1, scale.urban_places)
    rest = [True] * (scale.urban_places - sum(urban)) + [False] * (scale.places - scale.urban_places - 1)
    urban += rng.sample(rest, len(rest))
    villages = [words.VILLAGE, *rng.sample(words.VILLAGES, len(words.VILLAGES))]
    communities = rng.sample(words.COMMUNITIES, len(words.COMMUNITIES))
    estates = iter(rng.sample(words.ESTATES, len(words.ESTATES)))
    plans, inputs = [], []
    for place_index in range(scale.places):
        place = communities.pop() if urban[place_index] else villages.pop(0)
        by_section = place_index > 0 and not urban[place_index] and rng.random() < 0.4
        next_house, estate, next_building = 1, "", 1
        for local in range(1, scale.grids_per_place + 1):
            index = place_index * scale.grids_per_place + local - 1
            code = str(index + 1)
            name = f"第{words.chinese_number(local)}网格"
            name = name if scale.places == 1 else place + name
            plan = GridPlan(code, name, place, place_index, urban[place_index], {})
            inputs.append(GridInput(code, name))
            if by_section:
                next_house = 1
            for s, sub_homes in enumerate(split(homes[index], [rng.uniform(0.7, 1.3) for _ in range(subs[index])]), 1):
                inputs.append(GridInput(f"{code}-{s}", f"{name}第{s}小网格"))
                if urban[place_index] and (not estate or rng.random() < 0.5):
                    estate, next_building = next(estates), 1
                for u, unit_homes in enumerate(split(sub_homes, [rng.uniform(0.7, 1.3) for _ in range(rng.choice((2, 3)))]), 1):
                    unit_code = f"{code}-{s}-{u}"
                    if urban[place_index]:
                        doors = words.building_doors(rng, estate, next_building, unit_homes)
                        inputs.append(GridInput(unit_code, f"{estate}{next_building}栋"))
                        next_building += 1
                    else:
                        prefix = words.SECTIONS[local - 1] if by_section else place
                        doors, next_house = words.rural_doors(rng, prefix, next_house, unit_homes)
                        inputs.append(GridInput(unit_code, f"第{u}单元"))
                    plan.units[unit_code] = doors
            plans.append(plan)
    return plans, inputs


def _stamp(day: date, rng: random.Random) -> str:
    """A working-hours moment on ``day`` in Beijing, stored as UTC like writes.utc_now()."""
    moment = datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)), tzinfo=BEIJING)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _zone_story(plans: list[GridPlan], scale: Scale, rng: random.Random, start: date) -> tuple[list, dict[str, str]]:
    """Seed 004's course (sealed, controlled on day 13, precaution 4 days later) for most grids;
    others still sealed or controlled, some never sealed, a few re-sealed in one sub-grid."""
    stories = [("lifted", 0.45), ("easing", 0.25), ("sealed", 0.15), ("flare", 0.15)]
    weights = [w * (1 - scale.calm_share) for _, w in stories] + ([scale.calm_share] if scale.calm_share else [])
    names = [s for s, _ in stories] + (["calm"] if scale.calm_share else [])
    deck = [name for name, n in zip(names, split(len(plans), weights)) for _ in range(n)][:len(plans)]
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
    posts, taken = [], {}
    for kind, count in zip(POST_KINDS, scale.posts):
        order = rng.sample(plans, len(plans))
        for i in range(count):
            plan = order[i % len(order)]
            key = (kind, plan.code if kind == "control_point" else plan.place)
            n = taken[key] = taken.get(key, -1) + 1
            name = {
                "checkpoint": lambda: f"{plan.place}{_site(words.CHECKPOINT_ROADS, n)}卡口",
                "control_point": lambda: f"{plan.name}{n + 1}号管控点位",
                "isolation_point": lambda: f"{plan.place}{_site(words.ISOLATION_SITES, n)}隔离点",
                "depot": lambda: f"{plan.place}物资暂存中转站({_site(words.DEPOT_SITES, n)})",
                "delivery_point": lambda: f"{plan.place}{_site(words.DELIVERY_SITES, n)}配送点",
            }[kind]()
            posts.append((kind, plan.code, name))
    return posts


def plan_post(scale_name: str, seed: int, today: date) -> DemoPlan:
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    plans, grids = _layout(scale, rng)
    start = today - timedelta(days=20)
    events, first_zone = _zone_story(plans, scale, rng, start)
    grids = [GridInput(g.code, g.name, first_zone.get(g.code, "")) for g in grids]
    households, by_unit = plan_households(plans, rng)
    staff = plan_staff(plans, by_unit, scale.medics_per_grid, rng, today)
    return DemoPlan(grids, _stamp(start, rng), events, households, staff, _posts(plans, scale, rng))


@contextmanager
def _clock(stamp: str) -> Iterator[None]:
    """upsert_grids stamps each new grid's first zone record with the wall clock and takes
    no ``now``; pin it, so the zone history is the same for every build of a seed."""
    wall_clock = writes.utc_now
    writes.utc_now = lambda: stamp
    try:
        yield
    finally:
        writes.utc_now = wall_clock


def _write(plan: DemoPlan, progress: Progress | None) -> None:
    total = len(plan.grids) + len(plan.households) + len(plan.staff) + len(plan.posts) + len(plan.zone_events)
    report = progress or (lambda done, total: None)
    with _clock(plan.created_at):
        writes.upsert_grids(plan.grids, actor=ACTOR)
    done = len(plan.grids)
    for start in range(0, len(plan.households), HOUSEHOLD_CHUNK):
        writes.upsert_households(plan.households[start:start + HOUSEHOLD_CHUNK], actor=ACTOR,
                                 progress=lambda n, _, base=done + start: report(base + n, total))
    done += len(plan.households)
    writes.upsert_staff(plan.staff, actor=ACTOR, progress=lambda n, _: report(done + n, total))
    done += len(plan.staff)
    report(done, total)
    # One outer transaction: each call below would otherwise commit on its own.
    with database_proxy.atomic():
        grid_ids = dict(database_proxy.execute_sql("SELECT code, id FROM grid").fetchall())
        for changed_at, code, zone, reason in plan.zone_events:
            writes.change_zone(grid_ids[code], zone, reason, actor=ACTOR, now=changed_at)
        for kind, code, name in plan.posts:
            writes.add_duty_post(kind, code, name)
    report(total, total)


def _count(database) -> tuple[int, ...]:
    return database.execute_sql(
        "SELECT (SELECT count(*) FROM grid WHERE level = 0), (SELECT count(*) FROM grid WHERE level = 1),"
        " (SELECT count(*) FROM grid WHERE level = 2), count(*), coalesce(sum(people), 0),"
        " coalesce(sum(care_tags <> ''), 0), (SELECT count(*) FROM staff), (SELECT count(*) FROM duty_post)"
        " FROM household").fetchone()


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def build(path: str | os.PathLike[str], scale: str = "village", seed: int = 1, *, force: bool = False,
          today: date | None = None, progress: Progress | None = None) -> DemoSummary:
    """Build a demo post at ``path``; an existing file is replaced only with ``force``.

    The rows go into ``path.partial`` which is renamed into place when complete,
    so a build that stops half-way never leaves a file that looks like a demo.
    """
    target = Path(path).expanduser()
    if target.exists() and not force:
        raise DatabaseOpenError("db.exists", path=str(target))
    started = time.monotonic()
    plan = plan_post(scale, seed, today or date.today())
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    previous = database_proxy.obj
    database = open_database(partial)
    try:
        # The partial file is deleted if anything stops the build, so no commit has to wait
        # for the disk; the finished file is flushed once, before the rename.
        database.execute_sql("PRAGMA synchronous = OFF")
        _write(plan, progress)
        grids, subgrids, units, households, residents, care, staff, posts = _count(database)
        database.close()
    except BaseException:
        database.close()
        _remove(partial)
        raise
    finally:
        if previous is not None:
            database_proxy.initialize(previous)
    with partial.open("rb+") as fh:
        os.fsync(fh.fileno())
    # A -wal left by the file being replaced would be replayed into the new one.
    _remove(Path(f"{target}-wal"))
    _remove(Path(f"{target}-shm"))
    os.replace(partial, target)
    return DemoSummary(target, grids, subgrids, units, households, residents, care, staff, posts,
                       round(time.monotonic() - started, 1))
