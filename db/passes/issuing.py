"""Individual delivery passes (单人单证): issue, reissue and revoke, and the register's reads.

A pass belongs to one person and one top-level grid, and holds in that grid and its sub-grids
only (不能“窜格”). Its serial is the grid's code and a number counted per grid (``3-0042``).
A reissue keeps the serial, raises the version and revokes the version before it, so the old
printed QR fails as REVOKED at every check. A person holds at most one pass in force.
Times are UTC epoch seconds; validity runs from local midnight to local midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.errors import NotFound, RuleError
from db.fields import reason as parse_reason
from db.models import database_proxy as db
from db.passes import codec as pass_codec
from db.passes.codec import PassFields
from db.roster.settings import Duty

# Who may carry a pass: the people who take supplies to the door (not grid leaders or medics).
PASS_ROLES = ("volunteer", "grid_worker", "liaison", "cadre")
DEFAULT_DAYS = 7
MAX_DAYS = 90
DAY = 86_400


@dataclass(frozen=True)
class PassRow:
    id: int
    grid_code: str
    grid_name: str
    number: int
    version: int
    staff_id: int
    name: str
    role: str
    valid_from: int
    valid_until: int
    issued_at: int
    issued_by: str
    revoked_at: int | None
    revoke_reason: str
    superseded: bool
    status: str  # active, revoked or expired, as of the time it was read

    @property
    def serial(self) -> str:
        return pass_codec.serial(self.grid_code, self.number)

    @property
    def fields(self) -> PassFields:
        return PassFields(
            self.grid_code, self.number, self.version, self.staff_id, self.valid_from, self.valid_until
        )


@dataclass(frozen=True)
class Holder:
    """A person in the grid who may carry a pass and has none in force."""

    staff_id: int
    name: str
    role: str
    home_grid: str


def status(revoked_at: int | None, valid_until: int, now: int) -> str:
    if revoked_at is not None:
        return "revoked"
    return "expired" if now >= valid_until else "active"


_ROW = (
    "SELECT p.id, g.code, g.name, p.number, p.version, p.staff_id, s.name, s.role, p.valid_from, p.valid_until,"
    " p.issued_at, p.issued_by, p.revoked_at, p.revoke_reason, p.superseded"
    " FROM pass p JOIN grid g ON g.id = p.grid_id JOIN staff s ON s.id = p.staff_id"
)
_LATEST = "NOT EXISTS (SELECT 1 FROM pass n WHERE n.serial = p.serial AND n.version > p.version)"


def _rows(where: str, params: tuple, now: int) -> list[PassRow]:
    rows = db.execute_sql(
        f"{_ROW} WHERE {where} ORDER BY g.sort_key, p.number, p.version DESC", params
    ).fetchall()
    # one starred tuple: mypy cannot count a starred row followed by more arguments
    return [PassRow(*(*row[:14], bool(row[14]), status(row[12], row[9], now))) for row in rows]


def _window(now: int, days: int, duty: Duty, until: int | None = None) -> tuple[int, int]:
    """From the start of today at the post to the end of the last day (or a given end)."""
    if not 1 <= days <= MAX_DAYS:
        raise RuleError("passes.days_range", days=days, max=MAX_DAYS)
    today = datetime.fromtimestamp(now, duty.tz).date()
    start = datetime(today.year, today.month, today.day, tzinfo=duty.tz)
    end = start.date() + timedelta(days=days)
    return int(start.timestamp()), until or int(
        datetime(end.year, end.month, end.day, tzinfo=duty.tz).timestamp()
    )


def _holder_checks(staff_id: int, grid_id: int, serial: str | None, now: int) -> None:
    """The person exists, is active, may deliver, belongs to the grid, and has no other pass in force."""
    person = db.execute_sql(
        "SELECT s.name, s.role, s.active, s.root_id, s.team_id, g.code FROM staff s"
        " JOIN grid g ON g.id = s.root_id WHERE s.id = ?",
        (staff_id,),
    ).fetchone()
    if not person:
        raise NotFound("passes.no_staff", staff=staff_id)
    name, role, active, root_id, team_id, home = person
    if not active:
        raise RuleError("passes.staff_inactive", name=name)
    if role not in PASS_ROLES:
        raise RuleError("passes.role_not_allowed", name=name)
    if root_id != grid_id and team_id is None:  # a reinforcement team goes where it is sent
        raise RuleError("passes.other_grid", name=name, home=home)
    held = db.execute_sql(
        "SELECT serial FROM pass WHERE staff_id = ? AND revoked_at IS NULL AND valid_until > ?"
        " AND serial IS NOT ?",
        (staff_id, now, serial),
    ).fetchone()
    if held:
        raise RuleError("passes.already_holds", name=name, serial=held[0])


def _insert(
    grid_id: int,
    code: str,
    number: int,
    version: int,
    staff_id: int,
    window: tuple[int, int],
    actor: str,
    now: int,
) -> int:
    return db.execute_sql(
        "INSERT INTO pass (grid_id, number, serial, version, staff_id, valid_from, valid_until, issued_at, issued_by)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (grid_id, number, pass_codec.serial(code, number), version, staff_id, *window, now, actor),
    ).lastrowid


def issue(
    duty: Duty, staff_id: int, grid_code: str, *, actor: str, now: int, days: int = DEFAULT_DAYS
) -> PassRow:
    """A new pass, version 1, for one person in one top-level grid."""
    window = _window(now, days, duty)
    with db.atomic():
        grid = db.execute_sql(
            "SELECT g.id, g.level, r.code FROM grid g LEFT JOIN grid r ON r.id = g.root_id WHERE g.code = ?",
            (grid_code,),
        ).fetchone()
        if not grid:
            raise NotFound("passes.no_grid", code=grid_code)
        grid_id, level, root_code = grid
        if level:
            raise RuleError("passes.not_top_grid", code=grid_code, root=root_code)
        _holder_checks(staff_id, grid_id, None, now)
        number = db.execute_sql(
            "SELECT coalesce(max(number), 0) + 1 FROM pass WHERE grid_id = ?", (grid_id,)
        ).fetchone()[0]
        pass_id = _insert(grid_id, grid_code, number, 1, staff_id, window, actor, now)
        return _rows("p.id = ?", (pass_id,), now)[0]


def _latest(serial: str, now: int) -> PassRow:
    rows = _rows(f"p.serial = ? AND {_LATEST}", (serial.strip(),), now)
    if not rows:
        raise NotFound("passes.no_pass", serial=serial)
    return rows[0]


def reissue(
    duty: Duty, serial: str, *, actor: str, now: int, days: int | None = None, why: str = ""
) -> PassRow:
    """The next version of a pass; the one before is revoked.

    Without ``days`` a replacement (say for a lost pass) keeps the old end date while it lies
    ahead, and a renewal of an expired pass runs as long as the old one did.
    """
    with db.atomic():
        old = _latest(serial, now)
        grid_id = db.execute_sql("SELECT grid_id FROM pass WHERE id = ?", (old.id,)).fetchone()[0]
        _holder_checks(old.staff_id, grid_id, old.serial, now)
        if days is not None:
            window = _window(now, days, duty)
        elif old.valid_until > now:
            window = _window(now, 1, duty, until=old.valid_until)
        else:
            window = _window(
                now, min(MAX_DAYS, max(1, round((old.valid_until - old.valid_from) / DAY))), duty
            )
        db.execute_sql(
            "UPDATE pass SET superseded = 1, revoked_at = coalesce(revoked_at, ?),"
            " revoked_by = coalesce(revoked_by, ?),"
            " revoke_reason = CASE WHEN revoked_at IS NULL THEN ? ELSE revoke_reason END WHERE id = ?",
            (now, actor, parse_reason(why) if why.strip() else "", old.id),
        )
        pass_id = _insert(
            grid_id, old.grid_code, old.number, old.version + 1, old.staff_id, window, actor, now
        )
        return _rows("p.id = ?", (pass_id,), now)[0]


def revoke(serial: str, why: str, *, actor: str, now: int) -> PassRow:
    """Revoke a pass at once (lost, left the team, misused); the reason goes on record."""
    why = parse_reason(why)
    with db.atomic():
        current = _latest(serial, now)
        if current.revoked_at is not None:
            raise RuleError("passes.already_revoked", serial=current.serial)
        db.execute_sql(
            "UPDATE pass SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?",
            (now, actor, why, current.id),
        )
        return _rows("p.id = ?", (current.id,), now)[0]


# -- reads --------------------------------------------------------------------------


def pass_by_serial(serial: str, now: int) -> PassRow:
    """The latest version of a serial."""
    return _latest(serial, now)


def find(serial: str, version: int, now: int) -> PassRow | None:
    rows = _rows("p.serial = ? AND p.version = ?", (serial, version), now)
    return rows[0] if rows else None


def register(now: int, grid_code: str | None = None) -> list[PassRow]:
    """The latest version of every pass (of one top-level grid), in grid and number order."""
    if grid_code is None:
        return _rows(_LATEST, (), now)
    return _rows(f"g.code = ? AND {_LATEST}", (grid_code,), now)


def printable(now: int, grid_code: str | None = None, serials: list[str] | None = None) -> list[PassRow]:
    """Passes in force or coming into force: of a grid, or the given serials."""
    rows = register(now, grid_code)
    wanted = None if serials is None else set(serials)
    return [r for r in rows if r.status == "active" and (wanted is None or r.serial in wanted)]


def holders_without_pass(grid_code: str, now: int) -> list[Holder]:
    """People of a grid who may carry a pass and hold none in force."""
    roles = PASS_ROLES
    rows = db.execute_sql(
        "SELECT s.id, s.name, s.role, h.code FROM staff s JOIN grid g ON g.id = s.root_id"
        " JOIN grid h ON h.id = s.home_grid_id"
        f" WHERE g.code = ? AND s.active = 1 AND s.role IN ({','.join('?' * len(roles))})"
        " AND NOT EXISTS (SELECT 1 FROM pass p WHERE p.staff_id = s.id AND p.revoked_at IS NULL"
        " AND p.valid_until > ?) ORDER BY h.sort_key, s.name",
        (grid_code, *roles, now),
    ).fetchall()
    return [Holder(*row) for row in rows]


def payload_for(row: PassRow, key: Ed25519PrivateKey) -> str:
    return pass_codec.payload(row.fields, key)
