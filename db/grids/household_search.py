"""The whole-post household search: door, phone or head's name, anywhere in the post.

Its cost must not grow with the post. Text of three characters or more is looked up in the
trigram index (schema 8, ``household_fts``), which finds any substring without reading the
households. Shorter text (one or two characters, often a surname) is one token of the index of
single characters and neighbouring pairs (schema 13, ``household_grams_fts``): the same households
the LIKE scan it replaces found (ASCII letters in either case, every other character as typed),
without reading them.

Either way at most ``CAP`` matches are shown, in grid and door order, and the count stops at
``CAP + 1``: past that, the operator is asked to type more rather than page through thousands.
"""

from __future__ import annotations

from db.models import database_proxy as db
from db.records import HouseholdRow
from db.schema import query_token

CAP = 1_000
TRIGRAM = 3


def _matches(text: str, limit: int) -> tuple[str, list]:
    """SQL for the ids of up to ``limit`` households matching ``text``, and its parameters."""
    if len(text) >= TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        return "SELECT rowid FROM household_fts WHERE household_fts MATCH ? LIMIT ?", [phrase, limit]
    token = '"' + query_token(text) + '"'
    return "SELECT rowid FROM household_grams_fts WHERE household_grams_fts MATCH ? LIMIT ?", [token, limit]


def search_count(text: str) -> int:
    """How many households match, counted up to ``CAP + 1`` (more than CAP: ask for more text)."""
    text = text.strip()
    if not text:
        return 0
    sql, params = _matches(text, CAP + 1)
    return db.execute_sql(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def search_page(text: str, offset: int = 0, limit: int = 100) -> list[HouseholdRow]:
    """A page of the (at most CAP) matching households, in grid and door order."""
    text = text.strip()
    if not text:
        return []
    sql, params = _matches(text, CAP)
    rows = db.execute_sql(
        "SELECT h.id, h.root_id, g.code, h.door, h.head_name, h.people, h.phone, h.care_tags, h.note"
        f" FROM household h JOIN grid g ON g.id = h.grid_id WHERE h.id IN ({sql})"
        " ORDER BY h.root_id, h.door_sort LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [HouseholdRow(*row) for row in rows]
