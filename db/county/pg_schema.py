"""The county database (PostgreSQL): every post's rows under (post, id), checked as they arrive.

- ``county.change`` is the record: one row per outbox line a post sent, keyed by (post, seq),
  never updated or deleted (a trigger refuses both, and no role is granted them).
- ``county.row_current`` is each post's rows as they now stand, kept by the arrival trigger from
  ``change`` alone: nobody writes it directly, so it is a view of the record, kept for speed.
- A batch is one INSERT statement; the statement trigger ``county.arrive`` checks that its
  numbers follow on from the last with no gap, walks the post's audit entries through the hash
  chain (the same SHA-256 link as db/audit/guard.py ``chain_hash``), and only then brings
  ``row_current`` up to date and notifies the board (LISTEN county_changed). A chain that does not
  verify aborts the batch (SQLSTATE CP001): nothing of it is merged, and the sync records the
  post in ``county.quarantine``, which stops every later batch of that post.
- Who may read and write what (roles, row-level security, county users bound to one post) is
  db/county/pg_access.py, installed with this schema.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

STATEMENTS = (
    "CREATE SCHEMA IF NOT EXISTS county",
    """CREATE TABLE IF NOT EXISTS county.post (
        post_id text PRIMARY KEY CHECK (post_id ~ '^[0-9a-f]{32}$'),
        db_role name NOT NULL DEFAULT current_user,
        name text NOT NULL DEFAULT '',
        registered_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS county.post_state (
        post_id text PRIMARY KEY REFERENCES county.post,
        last_seq bigint NOT NULL DEFAULT 0,
        synced_at timestamptz,
        schema_version int,
        chain_last_id bigint NOT NULL DEFAULT 0,
        chain_head text NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS county.change (
        post_id text NOT NULL REFERENCES county.post,
        seq bigint NOT NULL,
        table_name text NOT NULL,
        row_id bigint NOT NULL,
        op text NOT NULL CHECK (op IN ('upsert', 'delete')),
        data jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (post_id, seq))""",
    """CREATE TABLE IF NOT EXISTS county.row_current (
        post_id text NOT NULL,
        table_name text NOT NULL,
        row_id bigint NOT NULL,
        seq bigint NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (post_id, table_name, row_id))""",
    """CREATE TABLE IF NOT EXISTS county.quarantine (
        post_id text NOT NULL REFERENCES county.post,
        flagged_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS county.verify_key (
        post_id text NOT NULL REFERENCES county.post,
        public_pem text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (post_id, public_pem))""",
    # Kept figures, so the board's first paint never counts half a million households: brought up
    # to date by the arrival trigger from each batch's rows and the rows they replace.
    """CREATE TABLE IF NOT EXISTS county.post_totals (
        post_id text PRIMARY KEY REFERENCES county.post,
        households bigint NOT NULL DEFAULT 0,
        residents bigint NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS county.round_tested (
        post_id text NOT NULL REFERENCES county.post,
        round_id bigint NOT NULL,
        households bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (post_id, round_id))""",
    """CREATE TABLE IF NOT EXISTS county.meta (key text PRIMARY KEY, value text NOT NULL)""",
    f"INSERT INTO county.meta VALUES ('schema_version', '{SCHEMA_VERSION}') ON CONFLICT DO NOTHING",
    """CREATE OR REPLACE FUNCTION county.refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'county.change is append-only: a post sends a new change instead'; END $$""",
    "DROP TRIGGER IF EXISTS change_append_only ON county.change",
    """CREATE TRIGGER change_append_only BEFORE UPDATE OR DELETE ON county.change
        FOR EACH ROW EXECUTE FUNCTION county.refuse_edit()""",
    # One field of an audit entry as db/audit/guard.py chain_hash hashes it: NULL is a NUL byte.
    """CREATE OR REPLACE FUNCTION county.hash_part(t text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN t IS NULL THEN '\\x00'::bytea ELSE convert_to(t, 'UTF8') END $$""",
    """CREATE OR REPLACE FUNCTION county.arrive() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = county, pg_temp AS $$
    DECLARE
        p text; first_seq bigint; last_seq_in bigint; n_in bigint; st county.post_state; e record; computed text;
        sep bytea := '\\x1f'::bytea;
    BEGIN
        FOR p IN SELECT DISTINCT post_id FROM arrived LOOP
            IF EXISTS (SELECT 1 FROM county.quarantine q WHERE q.post_id = p) THEN
                RAISE EXCEPTION 'post % is quarantined', p USING ERRCODE = 'CP003';
            END IF;
            SELECT min(seq), max(seq), count(*) INTO first_seq, last_seq_in, n_in FROM arrived WHERE post_id = p;
            INSERT INTO county.post_state (post_id) VALUES (p) ON CONFLICT DO NOTHING;
            SELECT * INTO st FROM county.post_state WHERE post_id = p FOR UPDATE;
            IF first_seq <> st.last_seq + 1 OR last_seq_in - first_seq + 1 <> n_in THEN
                RAISE EXCEPTION 'post %: batch % to % does not follow %', p, first_seq, last_seq_in, st.last_seq
                    USING ERRCODE = 'CP002';
            END IF;
            FOR e IN SELECT a.op, a.row_id, a.data FROM arrived a
                     WHERE a.post_id = p AND a.table_name = 'audit_entry' ORDER BY a.seq LOOP
                IF e.op <> 'upsert' OR e.row_id <> st.chain_last_id + 1 THEN
                    RAISE EXCEPTION 'audit entry %: missing or changed after it was written', e.row_id
                        USING ERRCODE = 'CP001';
                END IF;
                IF e.data->>'prev_hash' IS DISTINCT FROM st.chain_head THEN
                    RAISE EXCEPTION 'audit entry %: link', e.row_id USING ERRCODE = 'CP001';
                END IF;
                computed := encode(sha256(hash_part(st.chain_head) || sep || hash_part(e.data->>'at') || sep
                    || hash_part(e.data->>'actor') || sep || hash_part(e.data->>'op') || sep
                    || hash_part(e.data->>'table_name') || sep || hash_part(e.data->>'row_id') || sep
                    || hash_part(e.data->>'grid_id') || sep || hash_part(e.data->>'before') || sep
                    || hash_part(e.data->>'after')), 'hex');
                IF computed IS DISTINCT FROM e.data->>'hash' THEN
                    RAISE EXCEPTION 'audit entry %: altered', e.row_id USING ERRCODE = 'CP001';
                END IF;
                st.chain_last_id := e.row_id; st.chain_head := computed;
            END LOOP;
            UPDATE county.post_state SET last_seq = last_seq_in, synced_at = now(),
                chain_last_id = st.chain_last_id, chain_head = st.chain_head WHERE post_id = p;
            -- One statement merges the batch: each row's last version in it (latest, sorted once)
            -- replaces or deletes the row as it stood, and the kept figures move with it: each
            -- household and test record counts in, the version it replaces (read from the
            -- statement's snapshot, before the change) counts out.
            INSERT INTO county.post_totals (post_id) VALUES (p) ON CONFLICT DO NOTHING;
            WITH latest AS MATERIALIZED (
                SELECT DISTINCT ON (table_name, row_id) table_name, row_id, seq, op, data FROM arrived
                WHERE post_id = p ORDER BY table_name, row_id, seq DESC),
            counted AS (SELECT * FROM latest WHERE table_name IN ('household', 'test_record')),
            moves AS (
                SELECT l.table_name, 1 AS sign, l.data FROM counted l WHERE l.op = 'upsert' AND l.data IS NOT NULL
                UNION ALL
                SELECT r.table_name, -1, r.data FROM county.row_current r JOIN counted l
                    ON r.post_id = p AND r.table_name = l.table_name AND r.row_id = l.row_id),
            households AS (
                SELECT coalesce(sum(sign), 0) AS n, coalesce(sum(sign * (data->>'people')::bigint), 0) AS people
                FROM moves WHERE table_name = 'household'),
            rounds AS (
                SELECT (data->>'round_id')::bigint AS round_id, sum(sign) AS n FROM moves
                WHERE table_name = 'test_record' GROUP BY 1),
            kept_rounds AS (
                INSERT INTO county.round_tested (post_id, round_id, households) SELECT p, round_id, n FROM rounds
                ON CONFLICT (post_id, round_id)
                DO UPDATE SET households = round_tested.households + excluded.households),
            kept_totals AS (
                UPDATE county.post_totals t SET households = t.households + hh.n, residents = t.residents + hh.people
                FROM households hh WHERE t.post_id = p),
            gone AS (
                DELETE FROM county.row_current r USING latest d
                WHERE d.op = 'delete' AND r.post_id = p AND r.table_name = d.table_name AND r.row_id = d.row_id)
            INSERT INTO county.row_current (post_id, table_name, row_id, seq, data)
                SELECT p, table_name, row_id, seq, data FROM latest WHERE op = 'upsert' AND data IS NOT NULL
                ON CONFLICT (post_id, table_name, row_id) DO UPDATE SET seq = excluded.seq, data = excluded.data;
            PERFORM pg_notify('county_changed', '');  -- no post id: a post-bound reader LISTENs too
        END LOOP;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS change_arrive ON county.change",
    """CREATE TRIGGER change_arrive AFTER INSERT ON county.change REFERENCING NEW TABLE AS arrived
        FOR EACH STATEMENT EXECUTE FUNCTION county.arrive()""",
    # Only small partial indexes beside the key (post, table, row): each index on row_current is
    # kept up to date for every row of a first sync, and one over every row cost a tenth of it.
    "DROP INDEX IF EXISTS county.row_current_table",
    "CREATE INDEX IF NOT EXISTS row_current_test_round ON county.row_current (post_id) WHERE table_name = 'test_round'",
    # The board counts the assignments of the day's shifts only (text: no cast that a bad row could fail).
    "CREATE INDEX IF NOT EXISTS row_current_assignment_shift ON county.row_current (post_id, (data->>'shift_id'))"
    " WHERE table_name = 'assignment'",
    # The board reads the shifts of the next day and the deliveries of today, not every one kept.
    "CREATE INDEX IF NOT EXISTS row_current_shift_start ON county.row_current (((data->>'starts_at')::bigint))"
    " WHERE table_name = 'shift'",
    "CREATE INDEX IF NOT EXISTS row_current_handoff_day ON county.row_current ((data->>'day'))"
    " WHERE table_name = 'handoff'",
)


def install(conn) -> None:
    """Create (or bring up to date) the county schema: run by the county's administrator."""
    from db.county import pg_access

    with conn.transaction():
        for statement in STATEMENTS + pg_access.STATEMENTS:
            conn.execute(statement)
