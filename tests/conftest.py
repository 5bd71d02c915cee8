"""Shared fixtures: temporary post databases, a fixed clock, and the app under test."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from console import i18n
from console.config import Config
from db.connection import open_database
from db.grids import writes
from db.records import GridInput, HouseholdInput, StaffInput

FIXED_NOW = datetime(2022, 4, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
MARKUP_NAME = "[bold]x"
MARKUP_NOTE = "[@click=app.quit]点我"


@pytest.fixture(autouse=True)
def chinese_by_default():
    i18n.set_language("zh")
    yield
    i18n.set_language("zh")


def build_small_post() -> None:
    """Three grids in three zones, with sub-grids, units, 40 households and staff."""
    grids = [GridInput("1", "第一网格", "封控区"), GridInput("2", "第二网格", "管控区"),
             GridInput("3", "第三网格", "防范区")]
    for g in ("1", "2", "3"):
        grids += [GridInput(f"{g}-1", "一组"), GridInput(f"{g}-2", "二组"), GridInput(f"{g}-1-1", "一单元")]
    writes.upsert_grids(grids, actor="test")
    households = []
    for n in range(1, 41):
        grid = ["1-1", "1-2", "1-1-1", "2-1"][n % 4]
        households.append(HouseholdInput(grid, f"花厅口村{n}号", n % 5 + 1, f"户主{n}", f"170000{n:05d}",
                                         "独居老人" if n % 10 == 0 else "", ""))
    households.append(HouseholdInput("2-2", "花厅口村99号", 2, MARKUP_NAME, "17000009999", "", MARKUP_NOTE))
    writes.upsert_households(households, actor="test")
    writes.upsert_staff([
        StaffInput("许文倡", "网格长", "1", phone="17000100001", birth_year=1975, party_member="是",
                   last_negative_test="2022-04-09", team="龙湖镇疫情防控突击队"),
        StaffInput("林秋芽", "干部", "1", phone="17000100002", birth_year=1966, last_negative_test="2022-03-01"),
        StaffInput("陈志明", "志愿者", "2-1", phone="17000100003", birth_year=1995),
    ], actor="test")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "post.db"


@pytest.fixture
def post_db(db_path: Path):
    """An open database holding the small post."""
    database = open_database(db_path)
    build_small_post()
    yield database
    database.close()


def make_app(db_path: Path, *, language: str = "zh", demo: bool = False, readonly: bool = False):
    from console.app import CmdpostApp
    from db.connection import open_readonly

    i18n.set_language(language)
    database = open_readonly(db_path) if readonly else open_database(db_path)
    config = Config(post_name="花厅口村疫情防控临时指挥部", database=db_path, language=language)
    return CmdpostApp(config, database, db_path, demo=demo, clock=lambda: FIXED_NOW, actor="tester",
                      readonly=readonly)


@pytest.fixture
def roster_post(post_db):
    """The small post with a checkpoint, a day of shifts from 10 April, and one person on duty now."""
    from db.roster import writes as roster
    from db.roster.settings import Duty, Rules

    writes.add_duty_post("卡口", "1", "村口卡口")
    writes.upsert_staff([
        StaffInput("甲", "志愿者", "1", phone="17000200001", birth_year=1990, last_negative_test="2022-04-10"),
        StaffInput("乙", "志愿者", "1", phone="17000200002", birth_year=1992, last_negative_test="2022-04-10"),
    ], actor="test")
    duty = Duty(Rules(), FIXED_NOW.tzinfo)
    roster.generate_shifts(duty, FIXED_NOW.date(), 2)
    shift = post_db.execute_sql("SELECT id FROM shift WHERE starts_at <= ? AND ends_at > ?",
                                (int(FIXED_NOW.timestamp()),) * 2).fetchone()[0]
    staff = post_db.execute_sql("SELECT id FROM staff WHERE name = '甲'").fetchone()[0]
    roster.assign(duty, staff, shift, actor="test", now=int(FIXED_NOW.timestamp()))
    return post_db


async def settle(app, pilot) -> None:
    """Let every worker finish and the screen repaint before asserting."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()
