"""Schema 13: an index for the whole-post search of one or two characters (issue 18).

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

The trigram index (schema 8) cannot answer fewer than three characters, so a search for a surname
(欧) or "Zq" scanned every household: 510–620 ms at three times a county. ``household_grams_fts``
holds, for each household, every single character and every pair of neighbouring characters of its
door, phone and head's name, each as one token: a search of one or two characters reads one token's
list of households, whatever the size of the post.

Each character is written as its code point in hex (``grams``), so FTS5's plain ``ascii``
tokenizer sees every character, punctuation and spaces included, and folds nothing by itself;
ASCII letters are lowered first, as SQLite's LIKE (ASCII-only case folding) did for the scan.
A pair is its two codes joined by ``x``, which no code contains. Pairs never cross from one field
into the next. The index keeps only which households hold a token (``detail=none``, no content,
no sizes): it is never asked anything else. Writes are the trigger's and the bulk path's only.

FROZEN: the index was written by ``grams``; the triggers delete a household's entry by computing its
tokens again from the old row. Changing ``grams`` needs a new schema version that rebuilds the index.
"""

from __future__ import annotations

GRAMS_FUNCTION = "cmdpost_grams"
_PAIR = "x"


def _code(point: int) -> str:
    return format(point + 32 if 65 <= point <= 90 else point, "x")


class _Grams(dict):
    """Character (as a code point) → ``"c c cx"`` (c its token), made on first use. A field written
    through it by ``str.translate``, one C call, holds every token: each ``cx`` runs into the next
    character's first ``c`` to make their pair, and each character is there on its own."""

    def __missing__(self, point: int) -> str:
        code = _code(point)
        text = self[point] = f"{code} {code} {code}{_PAIR}"
        return text


_GRAMS = _Grams()


def grams(*fields: object) -> str:
    """Every character and neighbouring pair of ``fields`` as tokens (the index's text). The last
    character's dangling ``x`` is cut off; pairs never join two fields. Characters repeat: FTS5
    keeps one entry per household and token whatever the count, and repeating them is cheaper
    than removing them (an import computes this for every household)."""
    return " ".join([str(field).translate(_GRAMS)[:-1] for field in fields if field])


def query_token(text: str) -> str:
    """The one token a search of one or two characters looks up."""
    return _PAIR.join(_code(ord(ch)) for ch in text)


def _index(row: str) -> str:
    return (
        f"INSERT INTO household_grams_fts (rowid, grams)"
        f" VALUES ({row}.id, {GRAMS_FUNCTION}({row}.door, {row}.phone, {row}.head_name));"
    )


def _unindex(row: str) -> str:
    return (
        f"INSERT INTO household_grams_fts (household_grams_fts, rowid, grams)"
        f" VALUES ('delete', {row}.id, {GRAMS_FUNCTION}({row}.door, {row}.phone, {row}.head_name));"
    )


# Schema 8's statements, frozen here as that migration wrote them, with this index's beside them.
_ANCESTORS = (
    "SELECT id FROM grid WHERE id = {g} UNION SELECT parent_id FROM grid WHERE id = {g}"
    " UNION SELECT root_id FROM grid WHERE id = {g}"
)
_BUMP = (
    "UPDATE grid_total SET households = households + 1,"
    " residents = residents + NEW.people,"
    " care_households = care_households + (NEW.care_tags <> '')"
    f" WHERE grid_id IN ({_ANCESTORS.format(g='NEW.grid_id')});"
)


def _trigram(op: str, row: str) -> str:
    head = "household_fts (household_fts, rowid, door, phone, head_name) VALUES ('delete', "
    if op == "index":
        head = "household_fts (rowid, door, phone, head_name) VALUES ("
    return f"INSERT INTO {head}{row}.id, {row}.door, {row}.phone, {row}.head_name);"


V13 = (
    13,
    "one- and two-character household search index",
    (
        "CREATE VIRTUAL TABLE household_grams_fts USING fts5(grams, content='', detail=none,"
        " columnsize=0, tokenize='ascii')",
        # One insert trigger still does every job (a trigger fired costs as much as its work):
        # the bulk path lifts it by this name (db/schema/__init__.py BULK_LIFTED).
        "DROP TRIGGER household_upkeep_ins",
        f"CREATE TRIGGER household_upkeep_ins AFTER INSERT ON household BEGIN"
        f" {_BUMP} {_trigram('index', 'NEW')} {_index('NEW')} END",
        "DROP TRIGGER household_fts_del",
        f"CREATE TRIGGER household_fts_del AFTER DELETE ON household BEGIN"
        f" {_trigram('unindex', 'OLD')} {_unindex('OLD')} END",
        "DROP TRIGGER household_fts_upd",
        f"CREATE TRIGGER household_fts_upd AFTER UPDATE OF door, phone, head_name ON household BEGIN"
        f" {_trigram('unindex', 'OLD')} {_unindex('OLD')} {_trigram('index', 'NEW')} {_index('NEW')} END",
        f"INSERT INTO household_grams_fts (rowid, grams)"
        f" SELECT id, {GRAMS_FUNCTION}(door, phone, head_name) FROM household",
    ),
)
