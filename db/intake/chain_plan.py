"""What a pasted chain would record: the one decision the dry run, the review screen and the import share.

plan_entries() takes the entries db/intake/chain (households, tests) or db/intake/orders_chain (orders) read, matches
their doors against the register (db/chain_doors) and decides each one: ``ok`` (recorded, with the
register's door and the value), ``ask`` (the operator must say: an unknown door, several doors, a count
or goods not certain, two lines that disagree, with the reason), or a status that records nothing and
needs nothing (header, chatter, unparsed, duplicate, superseded by a later correction, cancelled, not
tested, vacant, antigen not counted). A later line for the same door that corrects (更正, 改为, or the
same phone) replaces the earlier one; 取消 withdraws an order. record_plan() writes exactly the ``ok``
decisions, with dry_run for a check that goes through the same rules.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from db.grids import writes
from db.intake import chain
from db.intake import orders_chain as supply_chain
from db.intake.chain_doors import Household, match_doors
from db.intake.chain_text import door_key
from db.records import HouseholdInput
from db.registers import writes as registers
from db.supply import writes as supply

OK, ASK = "ok", "ask"
KINDS = ("households", "tests", "orders")


@dataclass
class Decision:
    """What one entry comes to. ``door`` is the register's door when matched; ``value`` the head count
    or number tested; ``goods`` an order's; ``other_line`` the line that replaced, repeats or disagrees."""

    line: int
    status: str
    reason: str | None = None
    door: str | None = None
    household_id: int | None = None
    value: int | None = None
    goods: list[tuple[str, int]] | None = None
    choices: list[str] = field(default_factory=list)
    other_line: int | None = None

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "reason": self.reason,
            "register_door": self.door,
            "value": self.value,
            "choices": list(self.choices),
            "other_line": self.other_line,
            **({"goods": [list(g) for g in self.goods]} if self.goods is not None else {}),
        }


@dataclass
class ChainPlan:
    kind: str
    grid_code: str
    entries: list
    decisions: list[Decision]

    def recorded(self) -> list[tuple[int, Decision]]:
        return [(i, d) for i, d in enumerate(self.decisions) if d.status == OK]

    def asks(self) -> list[tuple[int, Decision]]:
        return [(i, d) for i, d in enumerate(self.decisions) if d.status == ASK]

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "entries": [
                {**e.to_json(), "read_as": e.status, **d.to_json()}
                for e, d in zip(self.entries, self.decisions)
            ],
        }


def stopping_lines(plan: ChainPlan) -> list[tuple[int, Decision]]:
    """The lines that stop a whole chain from being recorded: for a chain of orders, every line still
    asked about (an order placed twice cannot be taken back by importing again, so it is all or
    nothing). Other chains record their settled lines and list the rest: none stops them."""
    return plan.asks() if plan.kind == "orders" else []


def _base(entry, kind: str, antigen_counts: bool) -> Decision:
    """The decision from the text alone, before doors and other lines are looked at."""
    d = Decision(entry.line, OK)
    if kind == "orders":
        status = entry.status
        if status in (supply_chain.HEADER, supply_chain.CHATTER, supply_chain.BLANK):
            return Decision(entry.line, status)
        reasons = {
            supply_chain.UNPARSED: "no_door",
            supply_chain.ASK: "two_entries",
            supply_chain.UNMATCHED: "not_on_menu" if entry.problems else "no_goods",
        }
        if status in reasons:
            return Decision(entry.line, ASK, reasons[status])
        if not entry.goods and not entry.cancel:
            return Decision(entry.line, ASK, "no_goods")
        d.goods = list(entry.goods)
        return d
    if entry.status == chain.HEADER:
        return Decision(entry.line, chain.HEADER)
    if entry.status == chain.UNPARSED:
        return (
            Decision(entry.line, ASK, "names_no_door")
            if entry.names
            else Decision(entry.line, chain.UNPARSED)
        )
    if entry.status == chain.ASK:
        return Decision(entry.line, ASK, "two_entries")
    if entry.vacant and entry.people is None:
        return Decision(entry.line, "vacant")
    if (entry.people, entry.phone, entry.tested, entry.remark, entry.names) == (None,) * 5 and not (
        entry.not_tested or entry.correction or entry.cancel
    ):
        return Decision(entry.line, "blank")  # a template line left as posted: not answered, nothing to fix
    if kind == "households":
        d.value = entry.people
        return d if entry.people is not None else Decision(entry.line, ASK, "no_count")
    if entry.antigen and not antigen_counts:
        return Decision(entry.line, "antigen")
    if entry.tested is not None:
        d.value = entry.tested
    elif entry.not_tested:
        return Decision(entry.line, "not_tested")
    elif entry.names and len(entry.names) > 1 and entry.people is None:
        if not entry.names_plain:
            return Decision(entry.line, ASK, "names_unclear")
        d.value = len(entry.names)
    elif entry.people is not None:
        d.value = entry.people
    elif entry.names and entry.names_plain:
        d.value = 1
    else:
        return Decision(entry.line, ASK, "no_count")
    return d


def _place(d: Decision, door: str, hits: list[Household], kind: str, chosen: str | None) -> None:
    if chosen is not None:
        hits = [h for h in hits if h.door == chosen] or hits
    if len(hits) > 1:
        d.status, d.reason, d.choices = ASK, "several_doors", [h.door for h in hits]
    elif hits:
        d.door, d.household_id = hits[0].door, hits[0].id
        if kind == "tests" and d.value is not None and d.value > hits[0].people:
            d.status, d.reason = ASK, "more_than_registered"
    elif kind == "households" and any(c.isdigit() for c in door):
        d.door = door  # a household new to the register
    else:  # a test or order needs a registered door; "二十号": the register writes numbers as digits
        d.status, d.reason = ASK, "unknown_door"


def _settle(entries: list, decisions: list[Decision], kind: str) -> None:
    """Lines for the same household, in order: a correction or the same phone replaces, 取消 withdraws,
    the same value again is a duplicate, a different value without a word is asked about."""
    current: dict[object, int] = {}
    history: dict[object, list[int]] = {}
    for index, d in enumerate(decisions):
        if d.status != OK and d.reason != "more_than_registered":  # a door and a value, even if doubted
            continue
        entry = entries[index]
        key = d.household_id if d.household_id is not None else door_key(_door(d))
        history.setdefault(key, []).append(index)
        if key not in current:
            current[key] = index
            if kind == "orders" and entry.cancel:
                d.status, d.reason = ASK, "cancel_nothing"
            continue
        before_index = current[key]
        before, earlier = decisions[before_index], entries[before_index]
        if kind == "orders" and entry.cancel:
            left = [g for g in (before.goods or []) if g[0] not in dict(entry.goods)] if entry.goods else []
            d.status, d.other_line = "cancel", before.line
            if left:
                before.goods = left
            else:
                before.status, before.other_line = "cancelled", d.line
            continue
        same_phone = bool(getattr(entry, "phone", None)) and entry.phone == getattr(earlier, "phone", None)
        if entry.correction or same_phone:
            if kind == "orders" and before.status == OK:
                d.goods = list({**dict(before.goods or []), **dict(d.goods or [])}.items())
            if (d.value, d.goods) == (before.value, before.goods) and not entry.correction:
                d.status, d.other_line = chain.DUPLICATE, before.line
                continue
            for earlier_index in history[key][:-1]:  # every line it corrects, disputed ones too
                other = decisions[earlier_index]
                if other.status == OK or other.reason in ("conflict", "more_than_registered"):
                    other.status, other.reason, other.other_line = "superseded", None, d.line
            d.other_line = before.line  # the winner names the line it replaces, for the review screen
            current[key] = index
        elif (d.value, sorted(d.goods or [])) == (before.value, sorted(before.goods or [])):
            d.status, d.other_line = chain.DUPLICATE, before.line
        else:
            before.status, before.reason, before.other_line = ASK, "conflict", d.line
            d.status, d.reason, d.other_line = ASK, "conflict", before.line
            current[key] = index


def plan_entries(
    kind: str,
    grid_code: str,
    entries: list,
    *,
    antigen_counts: bool = False,
    skipped: Collection[int] = (),
    chosen_doors: Mapping[int, str] | None = None,
) -> ChainPlan:
    """The decision on every entry (read by db.intake.chain.read_chain, or db.intake.orders_chain for orders):
    what would be recorded, and what the operator must settle first. Runs on the database thread."""
    decisions = [
        Decision(e.line, "skipped") if i in skipped else _base(e, kind, antigen_counts)
        for i, e in enumerate(entries)
    ]
    matched = match_doors(grid_code, [e.door for e, d in zip(entries, decisions) if d.status == OK])
    for index, (entry, d) in enumerate(zip(entries, decisions)):
        if d.status == OK:
            _place(d, entry.door, matched.get(entry.door, []), kind, (chosen_doors or {}).get(index))
    _settle(entries, decisions, kind)
    return ChainPlan(kind, grid_code, entries, decisions)


def plan_chain(
    kind: str,
    grid_code: str,
    text: str,
    *,
    menu: Sequence[tuple[str, str]] = (),
    antigen_counts: bool = False,
) -> ChainPlan:
    entries = supply_chain.read_order_chain(text, menu) if kind == "orders" else chain.read_chain(text)
    return plan_entries(kind, grid_code, entries, antigen_counts=antigen_counts)


def record_plan(
    plan: ChainPlan, *, actor: str, round_id: int | None = None, now: int | None = None, dry_run: bool = False
):
    """Write the plan's ``ok`` decisions, each as its line says, through the rules of the write itself.
    Raises writes.BatchError (indexes into plan.recorded()) when the register refuses one."""
    chosen = [(plan.entries[i], d) for i, d in plan.recorded()]
    if plan.kind == "tests":
        return registers.mark_tested(
            round_id,
            plan.grid_code,
            [(_door(d), d.value) for _, d in chosen],
            source="chain",
            actor=actor,
            now=now,
            dry_run=dry_run,
        )
    if plan.kind == "orders":
        assert now is not None, "an order is stamped with the time it is placed: every caller gives it"
        return supply.add_orders(
            plan.grid_code,
            [(_door(d), d.goods or [], e.urgent, e.remark or "") for e, d in chosen],
            source="chain",
            actor=actor,
            now=now,
            dry_run=dry_run,
        )
    return writes.upsert_households(
        [
            HouseholdInput(
                plan.grid_code, _door(d), _count(d), e.head or None, e.phone or None, None, e.remark or None
            )
            for e, d in chosen
        ],
        actor=actor,
        dry_run=dry_run,
    )


def _door(d: Decision) -> str:
    assert d.door is not None, "_place gives a door to each decision it leaves ok or more_than_registered"
    return d.door


def _count(d: Decision) -> int:
    assert d.value is not None, "_base leaves a household's line ok only with its count"
    return d.value
