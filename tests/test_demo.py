"""The demo post generator: the seed village's shape, same seed same rows, realistic
people, and never clobbering a file that is already there."""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from console.cli import main
from db.connection import open_database
from db.demo import names as demo_names
from db.demo import posts as demo
from db.grids import writes

TODAY = date(2024, 5, 20)
CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
TABLES = ("grid", "zone_change", "team", "staff", "household", "duty_post")


def query(path: Path, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def one(path: Path, sql: str, *params):
    return query(path, sql, *params)[0][0]


def dump(path: Path) -> dict[str, list[tuple]]:
    return {table: query(path, f"SELECT * FROM {table} ORDER BY id") for table in TABLES}


@pytest.fixture(scope="module")
def village(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "village.db"
    demo.build(path, "village", seed=1, today=TODAY)
    return path


@pytest.fixture
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CMDPOST_CONFIG", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_village_has_the_seed_villages_shape(village):
    assert one(village, "SELECT count(*) FROM grid WHERE level = 0") == 7
    assert one(village, "SELECT count(*) FROM grid WHERE level = 1") == 32
    assert (
        one(village, "SELECT count(*) FROM grid WHERE parent_id = (SELECT id FROM grid WHERE code = '2')")
        == 4
    )
    units = query(
        village,
        "SELECT count(*) FROM grid c JOIN grid s ON s.id = c.parent_id WHERE s.level = 1 GROUP BY s.id",
    )
    assert len(units) == 32 and all(2 <= n <= 3 for (n,) in units)
    assert 1_300 <= one(village, "SELECT count(*) FROM household") <= 1_700
    assert one(village, "SELECT households FROM grid_total JOIN grid ON id = grid_id WHERE code = '2'") == 244
    assert 12 <= one(village, "SELECT count(*) FROM duty_post") <= 18


def test_same_seed_gives_identical_rows(village, tmp_path):
    again = tmp_path / "again.db"
    demo.build(again, "village", seed=1, today=TODAY)
    assert dump(again) == dump(village)


def test_another_seed_gives_other_rows(village, tmp_path):
    other = tmp_path / "other.db"
    demo.build(other, "village", seed=2, today=TODAY)
    assert dump(other)["household"] != dump(village)["household"]
    assert dump(other)["staff"] != dump(village)["staff"]


def test_about_three_percent_need_special_care(village):
    households = one(village, "SELECT count(*) FROM household")
    tagged = [tags for (tags,) in query(village, "SELECT care_tags FROM household WHERE care_tags <> ''")]
    assert 0.02 <= len(tagged) / households <= 0.04
    known = {tag for tag, _ in demo_names.CARE_TAGS}
    assert all(set(tags.split("、")) <= known for tags in tagged)
    assert one(village, "SELECT max(people) FROM household WHERE care_tags LIKE '%独居老人%'") == 1


def test_zones_are_mixed_with_a_reasoned_history(village):
    assert len(query(village, "SELECT DISTINCT zone FROM grid WHERE level = 0")) > 1
    changes = query(
        village, "SELECT old_zone, new_zone, reason, changed_at FROM zone_change WHERE reason <> ''"
    )
    assert ("controlled", "precaution") in {(old, new) for old, new, _, _ in changes}
    assert any("无新增阳性" in reason for _, _, reason, _ in changes)
    created = one(village, "SELECT max(changed_at) FROM zone_change WHERE old_zone IS NULL")
    assert all(created < at < TODAY.isoformat() for _, _, _, at in changes)


def test_each_grid_has_a_one_one_one_n_team(village):
    for (grid_id,) in query(village, "SELECT id FROM grid WHERE level = 0"):
        roles = dict(
            query(village, "SELECT role, count(*) FROM staff WHERE root_id = ? GROUP BY role", grid_id)
        )
        assert roles["grid_leader"] == 1 and roles["cadre"] == 2
        assert roles.get("grid_worker", 0) + roles.get("volunteer", 0) >= 2
        leader = one(village, "SELECT leader_id FROM grid WHERE id = ?", grid_id)
        assert one(village, "SELECT role FROM staff WHERE id = ?", leader) == "grid_leader"
    households = one(village, "SELECT count(*) FROM household")
    assert (
        households / 12 <= one(village, "SELECT count(*) FROM staff WHERE role = 'liaison'") <= households / 8
    )
    assert one(village, "SELECT count(*) FROM staff WHERE role = 'medic'") >= 2
    teams = dict(
        query(
            village, "SELECT t.name, count(s.id) FROM team t JOIN staff s ON s.team_id = t.id GROUP BY t.id"
        )
    )
    assert len(teams) >= 2 and teams[demo_names.TEAM_ASSAULT] >= 14


def test_duty_rules_have_people_to_catch(village):
    years = [y for (y,) in query(village, "SELECT birth_year FROM staff WHERE birth_year IS NOT NULL")]
    fit = [y for y in years if 18 <= TODAY.year - y <= 55]
    assert 0.8 <= len(fit) / len(years) < 1
    tests = [
        d
        for (d,) in query(
            village, "SELECT last_negative_test FROM staff WHERE last_negative_test IS NOT NULL"
        )
    ]
    assert max(tests) <= TODAY.isoformat()
    stale = [d for d in tests if d < (TODAY - timedelta(days=1)).isoformat()]
    assert 0 < len(stale) < len(tests) / 4


def test_names_are_chinese(village):
    names = [
        n
        for (n,) in query(
            village, "SELECT head_name FROM household WHERE head_name <> '' UNION ALL SELECT name FROM staff"
        )
    ]
    assert all(CHINESE_NAME.match(n) for n in names)
    assert {2, 3} <= {len(n) for n in names}


def test_phones_are_in_the_fake_ranges(village):
    assert all(
        re.fullmatch(r"10000\d{6}", p)
        for (p,) in query(village, "SELECT phone FROM household WHERE phone <> ''")
    )
    assert all(re.fullmatch(r"(10100|10000)\d{6}", p) for (p,) in query(village, "SELECT phone FROM staff"))


def test_doors_are_house_numbers_or_flats():
    rng = random.Random(5)
    doors, _ = demo_names.rural_doors(rng, "花厅口村", 1, 200)
    assert len(set(doors)) == 200 and all(re.fullmatch(r"花厅口村\d+号(之一)?", d) for d in doors)
    flats = demo_names.building_doors(rng, "滨江美景湾", 3, 300)
    assert len(set(flats)) == 300
    floors = [int(m.group(1)) for m in (re.fullmatch(r"滨江美景湾3栋\d单元(\d+)0\d", d) for d in flats)]
    assert max(floors) <= 36


def test_county_plan_meets_the_domain_figures():
    plan = demo.plan_post("county", 1, TODAY)
    assert len(plan.households) >= 150_000
    assert sum(h.people for h in plan.households) >= 500_000
    assert len({g.code for g in plan.grids if g.code.count("-") == 1}) == 1_000
    assert len(plan.posts) == 500 and 19_000 <= len(plan.staff) <= 21_000
    per_grid = Counter(h.grid_code.split("-")[0] for h in plan.households)
    assert max(per_grid.values()) == 20_000


def test_cli_refuses_to_overwrite_without_force(tmp_path, no_user_config, capsys):
    path = tmp_path / "post.db"
    path.write_bytes(b"the post's real records")
    assert main(["demo", "--db", str(path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert path.read_bytes() == b"the post's real records"
    assert main(["demo", "--db", str(path), "--force"]) == 0
    assert one(path, "SELECT count(*) FROM grid WHERE level = 0") == 7
    assert "1,500" in capsys.readouterr().out


def test_interrupted_build_leaves_no_file(tmp_path, monkeypatch):
    def power_cut(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(writes, "add_duty_post", power_cut)
    path = tmp_path / "demo.db"
    with pytest.raises(KeyboardInterrupt):
        demo.build(path, "village", seed=1, today=TODAY)
    assert list(tmp_path.iterdir()) == []


def test_progress_runs_to_the_end(tmp_path):
    calls = []
    demo.build(
        tmp_path / "demo.db", "village", today=TODAY, progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_populate_fills_an_open_empty_post(tmp_path):
    database = open_database(tmp_path / "post.db")
    try:
        demo.populate("village", seed=1, actor="tester", today=TODAY)
        assert database.execute_sql("SELECT count(*) FROM grid WHERE level = 1").fetchone()[0] == 32
        assert database.execute_sql("SELECT DISTINCT changed_by FROM zone_change").fetchall() == [("tester",)]
    finally:
        database.close()


@pytest.mark.parametrize("scale", ["county", "region"])
def test_every_seed_lays_out_without_running_out_of_names(scale):
    """Seeds 7, 8, 11, 12, 14, 16 and 24 ran out of estates at county scale (StopIteration);
    a region needs three times the places. Only the layout: building each would take minutes."""
    seeds = range(30) if scale == "county" else range(3)
    for seed in seeds:
        plans, grids = demo._layout(demo.SCALES[scale], random.Random(seed))
        assert len(plans) == demo.SCALES[scale].places * demo.SCALES[scale].grids_per_place
        assert len({p.place for p in plans if p.place_index >= 0}) == demo.SCALES[scale].places
        units = [g.name for g in grids if g.code.count("-") == 2 and "栋" in g.name]
        assert len(units) == len(set(units)), f"seed {seed}: two buildings share a name"


def test_the_demos_revocation_bulletin_shows_before_any_pass_was_printed(tmp_path):
    """The demo's passes are rows whose key is made when the first one is shown. `b` on the passes
    screen said "this post has issued no passes yet" until then; shown, it makes the key (an admin's
    job) like the first pass shown would. A printed sheet still goes without, and writes no key."""
    from db.demo.accounts import sign_in_demo_admin
    from db.passes import field
    from db.passes.keys import key_path

    path = tmp_path / "demo.db"
    demo.build(path, "village", seed=1, today=TODAY)
    database = open_database(path)
    try:
        now = int(datetime_of(TODAY).timestamp())
        assert field.current_bulletin(path, now) is None  # a sheet: no key made
        assert not key_path(path).exists()
        assert field.current_bulletin(path, now, shown=True) is None  # nobody signed in: not theirs to make
        assert not key_path(path).exists()
        assert sign_in_demo_admin()
        text = field.current_bulletin(path, now, shown=True)
        assert text and key_path(path).exists()
    finally:
        database.close()


def datetime_of(day: date):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(12), ZoneInfo("Asia/Shanghai"))
