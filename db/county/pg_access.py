"""Who may read and write what at the county (PostgreSQL roles and row-level security).

Three groups, all NOLOGIN; a login role is made a member of one of them:

- ``county_post``: a post's own sync role. It registers its post id once (under its own role),
  adds changes to that post only, and reads back only where its own sync stands.
- ``county_reader``: a county-wide user (the command centre). It reads every post, writes nothing.
- ``county_post_reader``: a county user who belongs to one post (``county.reader_post`` binds the
  role to the post). It reads that post's rows only, in every table that holds a post's rows, and
  writes nothing. A RESTRICTIVE policy holds it there even if the role is also given
  ``county_reader`` by mistake: restrictive policies are AND-ed with every permissive one.

Every table holding a post's rows has row-level security enabled. It is not FORCEd: the tables'
owner is the county's administrator (``cmdpost county init``; in the README's set-up the
superuser ``postgres``, whom PostgreSQL never holds to row security, forced or not), and the
arrival trigger (db/county/pg_schema.py ``county.arrive``, SECURITY DEFINER) runs as that owner
because it must read and write every post's rows. FORCE would only add an owner's policy that
lets the owner see everything. What the owner must not do is hand out rows past these policies:
cmdpost makes no view, and a view made later for county users must be created WITH
(security_invoker = true) so that the reader's own policies apply. ``county.meta`` holds only the
schema version and no post's rows: every county role reads it.
"""

from __future__ import annotations

import re

from db.errors import CmdpostError

GROUPS = ("county_post", "county_reader", "county_post_reader")
# Tables holding a post's rows (a post_id column), each under row-level security.
POST_TABLES = (
    "post",
    "post_state",
    "change",
    "row_current",
    "quarantine",
    "verify_key",
    "post_totals",
    "round_tested",
    "reader_post",
)
# A login role cmdpost makes: plain lower-case names, so they never need quoting in psql either.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
POST_ID = re.compile(r"[0-9a-f]{32}")

_BOUND = "post_id IN (SELECT b.post_id FROM county.reader_post b WHERE b.db_role = current_user)"
_OWN = "post_id IN (SELECT o.post_id FROM county.post o WHERE o.db_role = current_user)"


def _policy(name: str, table: str, body: str) -> tuple[str, str]:
    return f"DROP POLICY IF EXISTS {name} ON county.{table}", f"CREATE POLICY {name} ON county.{table} {body}"


def _statements() -> tuple[str, ...]:
    out: list[str] = [
        "DO $$ BEGIN "
        + " ".join(
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{g}') THEN CREATE ROLE {g} NOLOGIN; END IF;"
            for g in GROUPS
        )
        + " END $$",
        """CREATE TABLE IF NOT EXISTS county.reader_post (
            db_role name PRIMARY KEY,
            post_id text NOT NULL REFERENCES county.post,
            added_at timestamptz NOT NULL DEFAULT now())""",
    ]
    for table in POST_TABLES:
        out.append(f"ALTER TABLE county.{table} ENABLE ROW LEVEL SECURITY")
        # The county-wide reader reads everything; a post-bound reader its post only, whatever else it is
        # (its own binding, in reader_post itself, which the others' policies read).
        bound = "db_role = current_user" if table == "reader_post" else _BOUND
        out += _policy(f"{table}_read", table, "FOR SELECT TO county_reader USING (true)")
        out += _policy(f"{table}_bound_read", table, f"FOR SELECT TO county_post_reader USING ({bound})")
        out += _policy(
            f"{table}_bound_only",
            table,
            f"AS RESTRICTIVE FOR ALL TO county_post_reader USING ({bound}) WITH CHECK (false)",
        )
    # A post's sync role: its own post registered once, its own changes added, its own state read.
    out += _policy("post_own_read", "post", "FOR SELECT TO county_post USING (db_role = current_user)")
    out += _policy("post_register", "post", "FOR INSERT TO county_post WITH CHECK (db_role = current_user)")
    for table in ("change", "quarantine", "verify_key", "post_state"):
        out += _policy(f"{table}_own_read", table, f"FOR SELECT TO county_post USING ({_OWN})")
    for table in ("change", "quarantine", "verify_key"):
        out += _policy(f"{table}_own_post", table, f"FOR INSERT TO county_post WITH CHECK ({_OWN})")
    out += [
        "GRANT USAGE ON SCHEMA county TO county_post, county_reader, county_post_reader",
        "GRANT SELECT ON ALL TABLES IN SCHEMA county TO county_reader, county_post_reader",
        "REVOKE ALL ON county.reader_post FROM county_post",
        "GRANT SELECT ON county.post, county.post_state, county.change, county.quarantine, county.verify_key,"
        " county.meta TO county_post",
        "GRANT INSERT ON county.post, county.change, county.quarantine, county.verify_key TO county_post",
    ]
    return tuple(out)


STATEMENTS = _statements()


class CountyUserError(CmdpostError):
    """A county user that cannot be made as asked."""


def add_user(conn, name: str, password: str, post_id: str | None = None) -> None:
    """A county user who signs in as ``name``: county-wide reader, or bound to ``post_id``.

    Run by the county's administrator. The password goes to the server only as its SCRAM
    verifier (libpq computes it here), so no log or statement history ever holds it.
    """
    from psycopg import sql

    if not isinstance(name, str) or not ROLE_NAME.fullmatch(name) or name.startswith("pg_") or name in GROUPS:
        raise CountyUserError("county.bad_user_name", name=name)
    if post_id is not None and not POST_ID.fullmatch(post_id):
        raise CountyUserError("county.bad_post_id", post=post_id)
    if not password:
        raise CountyUserError("county.empty_password")
    with conn.transaction():
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
            raise CountyUserError("county.user_exists", name=name)
        if (
            post_id is not None
            and not conn.execute("SELECT 1 FROM county.post WHERE post_id = %s", (post_id,)).fetchone()
        ):
            raise CountyUserError("county.unknown_post", post=post_id)
        verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
        group = "county_post_reader" if post_id else "county_reader"
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.Literal(verifier), sql.Identifier(group)
            )
        )
        if post_id:
            conn.execute("INSERT INTO county.reader_post (db_role, post_id) VALUES (%s, %s)", (name, post_id))
