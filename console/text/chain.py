"""A chain (接龙) in the operator's words, the same in ``cmdpost import chain``/``cmdpost chain`` and
the chain review screens: why a line is not recorded as written, and the template and call-back
texts to post into a grid's WeChat group."""

from __future__ import annotations

from datetime import date

from console import i18n
from db.grids import queries
from db.intake import chain, chain_loop, chain_plan
from db.registers import writes as registers
from db.supply import queries as supply_queries

SHOWN_TEXT = 40


def _shown(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "…"


def decision_text(entry, decision: chain_plan.Decision, kind: str) -> str | None:
    """Why a line is not recorded as written, in the operator's words; None for a recorded line or a header."""
    if decision.status == chain_plan.OK and decision.other_line:
        return i18n.t("chain_plan.replaces", other=decision.other_line)
    if decision.status in (chain_plan.OK, chain.HEADER, "skipped"):
        return None
    key = decision.reason if decision.status == chain_plan.ASK else decision.status
    if kind == "households" and key == "no_count":
        return i18n.t("chain.no_people", door=entry.door)
    return i18n.t(
        f"chain_plan.{key}",
        door=decision.door or entry.door or "",
        text=_shown(entry.text),
        other=decision.other_line,
        value=decision.value,
        choices="、".join(decision.choices),
    )


def template_text(grid_code: str, kind: str, today: date, round_number: int | None = None) -> str:
    """On the database thread: the template for the grid (a testing round: its untested doors only)."""
    grid = queries.grid_by_code(grid_code)
    round_id = registers.round_by_number(round_number).id if kind == "tests" and round_number else None
    doors = chain_loop.grid_doors(grid_code, round_id)
    assert grid is not None, "grid_doors refuses a grid that does not exist"
    lines = [
        i18n.t(
            f"chain_loop.title_{kind}",
            grid=f"{grid.code} {grid.name}",
            date=today.isoformat(),
            round=round_number or "",
        )
    ]
    if kind == "orders":
        menu = "、".join(f"{row.name}({row.unit})" for row in supply_queries.stock())
        if menu:
            lines.append(i18n.t("chain_loop.menu", menu=menu))
    lines.append(i18n.t(f"chain_loop.format_{kind}"))
    lines += [f"{n}. {d.door} " for n, d in enumerate(doors, 1)]
    return "\n".join(lines) + "\n"


def missing_text(grid_code: str, round_number: int, today: date) -> str:
    """On the database thread: the doors the round has not heard from, with masked phone tails."""
    grid = queries.grid_by_code(grid_code)
    doors = chain_loop.grid_doors(grid_code, registers.round_by_number(round_number).id)
    assert grid is not None, "grid_doors refuses a grid that does not exist"
    lines = [
        i18n.t(
            "chain_loop.missing_title",
            grid=f"{grid.code} {grid.name}",
            round=round_number,
            date=today.isoformat(),
            count=len(doors),
        )
    ]
    for n, d in enumerate(doors, 1):
        tail = chain_loop.phone_tail(d.phone)
        lines.append(
            f"{n}. {d.door} "
            + (i18n.t("chain_loop.tail", tail=tail) if tail else i18n.t("chain_loop.no_phone"))
        )
    return "\n".join(lines) + "\n"
