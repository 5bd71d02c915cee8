"""Every change to the post's records goes through one of these functions.

Each checks its own rules and runs in one transaction: it either writes all
of its rows or none. Screens and the CLI call them and never re-check a rule.
Bulk writes validate every row first and raise BatchError listing each bad
value, so an import with one bad row writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import TypeVar

from db import fields as rules
from db.errors import CmdpostError, NotFound, RuleError
from db.fields import FieldError
from db.models import database_proxy
from db.records import GridInput, HouseholdInput, RowProblem, StaffInput, WriteOutcome

Progress = Callable[[int, int], None]
BATCH = 5_000


class BatchError(CmdpostError):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("batch.invalid", count=len(problems))
        self.problems = problems


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _grid_index() -> dict[str, tuple[int, int, int]]:
    """code -> (id, root_id, level)."""
    rows = database_proxy.execute_sql("SELECT code, id, root_id, level FROM grid").fetchall()
    return {code: (gid, root, level) for code, gid, root, level in rows}


RowT = TypeVar("RowT")
CheckedT = TypeVar("CheckedT")


def _collect(rows: Sequence[RowT], check: Callable[[int, RowT], CheckedT]) -> list[CheckedT]:
    checked: list[CheckedT] = []
    problems: list[RowProblem] = []
    for index, row in enumerate(rows):
        try:
            checked.append(check(index, row))
        except FieldError as err:
            problems.append(RowProblem(index, err.column, err.key, err.params))
    if problems:
        raise BatchError(problems)
    return checked


# -- grids ---------------------------------------------------------------


def upsert_grids(
    rows: Sequence[GridInput],
    *,
    actor: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: str | None = None,
) -> WriteOutcome:
    """Create grids, sub-grids and units, or rename existing ones.

    A code's parent is the code without its last ``-part`` and must exist in
    the database or earlier in the same batch. The zone of an existing grid is
    not changed here: that takes change_zone() with a reason.
    """
    with database_proxy.atomic() as txn:
        known = _grid_index()
        in_batch = set()
        for row in rows:
            with suppress(FieldError):  # reported with its row below
                in_batch.add(rules.grid_code(row.code))
        pending: set[str] = set()

        def check(index: int, row: GridInput) -> tuple[str, str, str]:
            code = rules.grid_code(row.code)
            name = rules.required_text(row.name, "name")
            zone = rules.zone(row.zone, default=None) if rules.clean(row.zone) else ""
            parent = rules.parent_code(code)
            if parent and parent not in known and parent not in in_batch:
                raise FieldError("code", "field.unknown_parent", code=code, parent=parent)
            if code in pending:
                raise FieldError("code", "field.duplicate_in_file", value=code)
            pending.add(code)
            return code, name, zone

        checked = _collect(rows, check)
        created = updated = unchanged = 0
        stamp = now or utc_now()
        for done, (code, name, zone) in enumerate(sorted(checked, key=lambda c: c[0].count("-")), 1):
            if progress and (done % 500 == 0 or done == len(checked)):
                progress(done, len(checked))
            if code in known:
                grid_id = known[code][0]
                if _sql("SELECT name FROM grid WHERE id = ?", (grid_id,)).fetchone()[0] == name:
                    unchanged += 1
                    continue
                _sql("UPDATE grid SET name = ? WHERE id = ?", (name, grid_id))
                updated += 1
                continue
            parent = rules.parent_code(code)
            parent_id, root_id, level = (None, None, 0)
            if parent:
                pid, proot, plevel = known[parent]
                parent_id, root_id, level = pid, proot, plevel + 1
            # A new sub-grid with no status of its own starts with its parent's.
            zone = zone or (
                _sql("SELECT zone FROM grid WHERE id = ?", (parent_id,)).fetchone()[0]
                if parent_id
                else "precaution"
            )
            grid_id = _sql(
                "INSERT INTO grid (code, name, parent_id, root_id, level, sort_key, zone)"
                " VALUES (?,?,?,?,?,?,?)",
                (code, name, parent_id, root_id, level, rules.natural_key(code), zone),
            ).lastrowid
            if root_id is None:  # a top-level grid is its own root
                root_id = grid_id
                _sql("UPDATE grid SET root_id = ? WHERE id = ?", (root_id, grid_id))
            known[code] = (grid_id, root_id, level)
            _record_zone(grid_id, None, zone, "", stamp, actor)
            created += 1
        if dry_run:
            txn.rollback()
    return WriteOutcome(created, updated, unchanged)


def change_zone(
    grid_id: int,
    new_zone: str,
    reason: str,
    *,
    actor: str,
    include_children: bool = True,
    now: str | None = None,
) -> list[str]:
    """Set a grid's zone status, recording the change and its reason.

    With ``include_children`` the sub-grids and units that shared the grid's
    old status follow it. One with a status of its own (a sub-grid still
    sealed inside a lifted grid) keeps it: lifting a seal is always a change
    made to that sub-grid by name, never a side effect. Setting the status a
    grid already has is refused. Returns the codes whose status changed.
    """
    new_zone = rules.zone(new_zone, default=None)
    stamp = now or utc_now()
    with database_proxy.atomic():
        grid = _sql("SELECT id, code, zone, root_id FROM grid WHERE id = ?", (grid_id,)).fetchone()
        if grid is None:
            raise NotFound("grid.not_found", code=str(grid_id))
        _, code, zone, root_id = grid
        if zone == new_zone:
            raise RuleError("zone_rules.unchanged", code=code, zone=new_zone)
        why = rules.reason(reason)
        targets: list[tuple[int, str, str]] = [(grid_id, code, zone)]  # (id, code, zone)
        if include_children:
            prefix = code + "-"
            # substr, not LIKE: codes are case-sensitive and LIKE is not.
            targets += _sql(
                "SELECT id, code, zone FROM grid WHERE root_id = ? AND substr(code, 1, ?) = ?"
                " AND zone = ? ORDER BY sort_key",
                (root_id, len(prefix), prefix, zone),
            ).fetchall()
        for target_id, _, old_zone in targets:
            _record_zone(target_id, old_zone, new_zone, why, stamp, actor)
            _sql("UPDATE grid SET zone = ? WHERE id = ?", (new_zone, target_id))
        return [target_code for _, target_code, _ in targets]


def _sql(sql: str, params: Sequence[object] = ()):
    return database_proxy.execute_sql(sql, params)


def _record_zone(grid_id: int, old_zone: str | None, new_zone: str, reason: str, at: str, actor: str) -> None:
    _sql(
        "INSERT INTO zone_change (grid_id, old_zone, new_zone, reason, changed_at, changed_by)"
        " VALUES (?,?,?,?,?,?)",
        (grid_id, old_zone, new_zone, reason, at, actor),
    )


# -- households -------------------------------------------------------------


def upsert_households(
    rows: Sequence[HouseholdInput], *, actor: str, dry_run: bool = False, progress: Progress | None = None
) -> WriteOutcome:
    """Add households, or update the one with the same door in the same grid.

    A field given as None was not in the source (a CSV without that column):
    an existing household keeps its value, a new one gets it blank. A grid
    that is an ancestor of the household's current sub-grid or unit does not
    move it up: "1" in a file does not undo a filing under "1-2-3".
    The work is db/grids/household_writes.py's, which also takes a file's rows in batches.
    """
    del actor  # the audit trail names the signed-in account itself (db/audit/guard.py), not this
    from db.grids.household_writes import upsert_household_batches

    batches = (rows[start : start + BATCH] for start in range(0, len(rows), BATCH))
    return upsert_household_batches(batches, dry_run=dry_run, progress=progress, total=len(rows))


# -- staff -------------------------------------------------------------------


def upsert_staff(
    rows: Sequence[StaffInput], *, actor: str, dry_run: bool = False, progress: Progress | None = None
) -> WriteOutcome:
    """Add staff, or update the person with the same phone number.

    Reinforcement teams are created by name as they first appear. A grid
    leader becomes the leader of their home grid if it has none yet.
    """
    del actor  # as in upsert_households
    with database_proxy.atomic() as txn:
        grids = _grid_index()
        phones: dict[str, int] = {}

        def check(index: int, row: StaffInput) -> tuple:
            code = rules.grid_code(row.home_grid_code, "home_grid")
            if code not in grids:
                raise FieldError("home_grid", "field.unknown_grid", value=code)
            number = rules.phone(row.phone)
            if "*" in number:
                raise FieldError("phone", "field.masked_phone", value=number)
            if number and number in phones:
                raise FieldError("phone", "field.duplicate_phone", value=number, first=phones[number] + 1)
            if number:
                phones[number] = index
            party = row.party_member
            if party is not None and not isinstance(party, bool):
                party = rules.yes_no(party, "party_member")
            keep = lambda value, parse: None if value is None else parse(value)  # noqa: E731
            return (
                rules.required_text(row.name, "name", 30),
                number,
                rules.role(row.role),
                keep(row.birth_year, rules.birth_year),
                None if party is None else int(party),
                grids[code][0],
                grids[code][1],
                keep(row.team, lambda v: rules.optional_text(v, "team", 40)),
                keep(row.last_negative_test, lambda v: rules.iso_date(v, "last_negative_test")),
                keep(row.note, lambda v: rules.optional_text(v, "note")),
            )

        checked = _collect(rows, check)
        teams = dict(database_proxy.execute_sql("SELECT name, id FROM team").fetchall())
        notes = []
        for team in dict.fromkeys(c[7] for c in checked if c[7] and c[7] not in teams):
            teams[team] = database_proxy.execute_sql("INSERT INTO team (name) VALUES (?)", (team,)).lastrowid
            notes.append(team)
        # A person is the same person by phone; without a phone, by name within the same home grid.
        by_phone, by_name, stored = {}, {}, {}
        for sid, *row in database_proxy.execute_sql(
            "SELECT id, name, phone, role, birth_year, party_member, home_grid_id, root_id, team_id,"
            " last_negative_test, note FROM staff"
        ).fetchall():
            stored[sid] = tuple(row)
            if row[1]:
                by_phone[row[1]] = sid
            else:
                by_name[(row[0], row[5])] = sid
        created = updated = unchanged = 0
        cursor = database_proxy.cursor()
        for index, c in enumerate(checked, 1):
            team = None if c[7] is None else teams.get(c[7])  # "" clears the team, None keeps it
            values = (c[0], c[1], c[2], c[3], c[4], c[5], c[6], team, c[8], c[9])
            staff_id = by_phone.get(c[1]) if c[1] else by_name.get((c[0], c[5]))
            if staff_id is None:
                fresh = tuple(
                    0 if i == 4 and v is None else ("" if i == 9 and v is None else v)
                    for i, v in enumerate(values)
                )
                cursor.execute(
                    "INSERT INTO staff (name, phone, role, birth_year, party_member, home_grid_id,"
                    " root_id, team_id, last_negative_test, note) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    fresh,
                )
                created += 1
                continue
            old = stored[staff_id]
            given = {3: c[3], 4: c[4], 7: c[7], 8: c[8], 9: c[9]}  # the optional fields, None when absent
            merged = tuple(old[i] if i in given and given[i] is None else v for i, v in enumerate(values))
            if merged == old:
                unchanged += 1
            else:
                cursor.execute(
                    "UPDATE staff SET name=?, phone=?, role=?, birth_year=?, party_member=?,"
                    " home_grid_id=?, root_id=?, team_id=?, last_negative_test=?, note=? WHERE id=?",
                    (*merged, staff_id),
                )
                updated += 1
            if progress and (index % 1000 == 0 or index == len(checked)):
                progress(index, len(checked))
        if progress and checked:
            progress(len(checked), len(checked))
        database_proxy.execute_sql(
            "UPDATE grid SET leader_id = (SELECT s.id FROM staff s WHERE s.home_grid_id = grid.id"
            " AND s.role = 'grid_leader' AND s.active = 1 ORDER BY s.id LIMIT 1) WHERE leader_id IS NULL"
        )
        if dry_run:
            txn.rollback()
    return WriteOutcome(created, updated, unchanged, tuple(notes))


def add_duty_post(kind: str, grid_code: str, name: str) -> int:
    with database_proxy.atomic():
        code = rules.grid_code(grid_code, "grid")
        grid = _sql("SELECT id FROM grid WHERE code = ?", (code,)).fetchone()
        if grid is None:
            raise NotFound("grid.not_found", code=code)
        return database_proxy.execute_sql(
            "INSERT INTO duty_post (kind, grid_id, name) VALUES (?,?,?)",
            (rules.post_kind(kind), grid[0], rules.required_text(name, "name")),
        ).lastrowid
