"""psycopg 3 against MindooDB (issue 5): SCRAM and TLS, parameters, prepare=True, pipeline
executemany, binary cursors, conn.transaction() with the driver's transaction status, an
error followed by a working statement, savepoints as psycopg's ReadyForQuery status shows them
(issue 3), a named (server-side) cursor fetched in pages, jsonb through the Jsonb adapter, COPY of documents
(text) and of sealed entries (binary) with a CopyFail, LISTEN mindoo_changes through
`conn.notifies()` while the listener sits idle (issue 4) with the change feed binding
psycopg's parameters, and protocol 3.2 (psycopg-binary bundles libpq 18)."""

import re

import psycopg
from psycopg import pq
from psycopg.types.json import Jsonb

from common import check, dsn, expect_error, tls_dsn

IDLE = pq.TransactionStatus.IDLE
INTRANS = pq.TransactionStatus.INTRANS
INERROR = pq.TransactionStatus.INERROR
PATIENCE = 60  # seconds; a passing run never waits this long


class GaveUp(Exception):
    """Raised inside a COPY block: psycopg then sends CopyFail."""


def main():
    with psycopg.connect(dsn(), autocommit=True) as conn:
        check(conn.info.server_version >= 160000, f"server_version {conn.info.server_version}")
        token = conn.execute("SELECT mindoo.create_key('default')").fetchone()[0]
        check(token.startswith("mdbk1."), "create_key returns a key token")
        conn.execute("CREATE TABLE docs ()")
        cur = conn.execute(
            "INSERT INTO docs (id, data) VALUES (%s, %s)",
            ("acme", Jsonb({"name": "ACME", "n": 1, "tags": ["a", "b"]})),
        )
        check(cur.statusmessage == "INSERT 0 1", f"tag {cur.statusmessage}")
        # Pipeline mode: Parse once, n x (Bind, Describe, Execute), one Sync.
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO docs (id, data) VALUES (%s, %s)",
                [(f"d{i}", Jsonb({"name": f"doc {i}", "n": i})) for i in range(2, 7)],
            )
        # Select by a JSON field, prepared at once (Parse _pg3_N, then Bind/Execute only).
        for _ in range(3):
            row = conn.execute(
                "SELECT id, data FROM docs WHERE data->>'name' = %s", ("ACME",), prepare=True
            ).fetchone()
            check(row[0] == "acme", f"row {row}")
            check(row[1] == {"name": "ACME", "n": 1, "tags": ["a", "b"]}, f"jsonb as dict: {row[1]!r}")
        # Integers travel as binary int2/int4; the server types the parameter from context.
        n = conn.execute(
            "SELECT count(*) FROM docs WHERE (data->>'n')::int >= %s", (3,)
        ).fetchone()[0]
        check(n == 4, f"count {n}")
        # Binary results: jsonb 0x01 + text, int8, timestamptz.
        with conn.cursor(binary=True) as cur:
            cur.execute("SELECT data, seq, created_at FROM docs WHERE id = %s", ("acme",))
            data, seq, created = cur.fetchone()
            check(data["name"] == "ACME", f"binary jsonb {data!r}")
            check(isinstance(seq, int) and seq >= 1, f"binary int8 {seq!r}")
            check(created.tzinfo is not None, "binary timestamptz is aware")
        # Postgres-shaped names and catalog answers.
        cur = conn.execute("SELECT 1, count(*) FROM docs")
        check([c.name for c in cur.description] == ["?column?", "count"], "column names")
        version = conn.execute("SELECT version()").fetchone()[0]
        check(version.startswith("PostgreSQL 16."), version)
        check(conn.execute("SHOW standard_conforming_strings").fetchone()[0] == "on", "scs")
        check(
            conn.execute("SELECT current_database(), current_schema()").fetchone()
            == ("c_psycopg3", "public"),
            "current_database/current_schema",
        )

    # Transactions: psycopg's own status follows BEGIN/COMMIT/ROLLBACK.
    with psycopg.connect(dsn()) as conn:
        conn.execute("SET mindoo.keys = %s", (token,))
        check(conn.info.transaction_status == INTRANS, "SET opened psycopg's implicit BEGIN")
        conn.commit()
        check(conn.info.transaction_status == IDLE, "idle after commit")
        conn.execute("INSERT INTO docs (id, data) VALUES (%s, %s)", ("gone", Jsonb({"x": 1})))
        check(conn.info.transaction_status == INTRANS, "in transaction")
        conn.rollback()
        check(conn.info.transaction_status == IDLE, "idle after rollback")
        with conn.transaction():
            conn.execute("INSERT INTO docs (id, data) VALUES (%s, %s)", ("kept", Jsonb({"x": 2})))
            # A nested block is a savepoint.
            with conn.transaction():
                conn.execute("SELECT 1")
        check(conn.info.transaction_status == IDLE, "idle after conn.transaction()")
        ids = [r[0] for r in conn.execute("SELECT id FROM docs WHERE id IN ('gone', 'kept')")]
        conn.commit()
        check(ids == ["kept"], f"rolled back and committed rows: {ids}")
        # An error aborts the block; ROLLBACK recovers the same connection.
        expect_error("42P01", lambda: conn.execute("SELECT * FROM nosuch"))
        check(conn.info.transaction_status == INERROR, "in failed transaction")
        expect_error("25P02", lambda: conn.execute("SELECT 1"))
        conn.rollback()
        check(conn.execute("SELECT 2").fetchone()[0] == 2, "working statement after the error")
        conn.rollback()
        expect_error("22P02", lambda: conn.execute("INSERT INTO docs (data) VALUES ('{bad')"))
        conn.rollback()
        # DISCARD ALL / DEALLOCATE ALL tags make psycopg drop its prepared statements.
        conn.autocommit = True
        conn.execute("SELECT id FROM docs WHERE id = %s", ("acme",), prepare=True)
        check(conn.execute("DEALLOCATE ALL").statusmessage == "DEALLOCATE ALL", "DEALLOCATE ALL")
        check(conn.execute("DISCARD ALL").statusmessage == "DISCARD ALL", "DISCARD ALL")
        row = conn.execute("SELECT id FROM docs WHERE id = %s", ("acme",), prepare=True).fetchone()
        check(row == ("acme",), "prepared again after DEALLOCATE ALL")

    # TLS with a verified certificate.
    with psycopg.connect(tls_dsn(), autocommit=True) as conn:
        check(conn.pgconn.ssl_in_use, "TLS in use")
        conn.execute("SET mindoo.keys = %s", (token,))
        check(conn.execute("SELECT count(*) FROM docs").fetchone()[0] == 7, "rows over TLS")

    check_savepoints(token)
    check_named_cursor(token)
    check_copy(token)
    check_listen(token)

    # Protocol 3.2, which libpq 18 asks for with max_protocol_version.
    if pq.version() >= 180000:
        with psycopg.connect(dsn(max_protocol_version="3.2"), autocommit=True) as conn:
            check(conn.pgconn.full_protocol_version == 30002, "negotiated protocol 3.2")
            check(conn.execute("SELECT 1").fetchone() == (1,), "query over 3.2")
    print("psycopg3 ok")


def check_savepoints(token):
    """After an error inside a block psycopg reports INERROR; ROLLBACK TO SAVEPOINT makes it
    INTRANS again in both the simple and the extended protocol; nested `transaction()` blocks
    keep exactly the right writes. (tokio-postgres cannot show ReadyForQuery's status.)"""
    with psycopg.connect(dsn()) as conn:
        status = lambda: conn.info.transaction_status  # noqa: E731
        conn.execute("SET mindoo.keys = %s", (token,))
        conn.execute("CREATE TABLE sp ()")
        conn.commit()
        check(status() == IDLE, f"idle after commit: {status()}")

        conn.execute("INSERT INTO sp (id, data) VALUES ('a', '{}')")
        check(status() == INTRANS, f"in transaction: {status()}")
        conn.execute("SAVEPOINT s")
        expect_error("42P01", lambda: conn.execute("SELECT * FROM nope"))
        check(status() == INERROR, f"failed block: {status()}")
        expect_error("25P02", lambda: conn.execute("SELECT 1"))
        conn.execute("ROLLBACK TO SAVEPOINT s")
        check(status() == INTRANS, f"resumed by ROLLBACK TO SAVEPOINT: {status()}")

        # The extended protocol (psycopg binds parameters server-side).
        conn.execute("INSERT INTO sp (id, data) VALUES (%s, %s)", ("undone", "{}"))
        expect_error("42P01", lambda: conn.execute("SELECT * FROM nope WHERE id = %s", ("x",)))
        check(status() == INERROR, f"failed block (extended): {status()}")
        conn.execute("ROLLBACK TO s")
        check(status() == INTRANS, f"resumed by ROLLBACK TO (extended): {status()}")

        with conn.transaction():  # a savepoint, released
            conn.execute("INSERT INTO sp (id, data) VALUES (%s, %s)", ("kept", "{}"))
        try:
            with conn.transaction():  # a savepoint, rolled back by the error
                conn.execute("INSERT INTO sp (id, data) VALUES (%s, %s)", ("lost", "{}"))
                conn.execute("SELECT * FROM nope")
        except psycopg.errors.UndefinedTable:
            pass
        check(status() == INTRANS, f"outer block open after the inner one failed: {status()}")
        conn.commit()
        check(status() == IDLE, f"idle after commit: {status()}")
        rows = conn.execute("SELECT id FROM sp ORDER BY id").fetchall()
        conn.commit()
        check(rows == [("a",), ("kept",)], f"rows after savepoints: {rows}")


def check_named_cursor(token):
    """A server-side cursor (DECLARE ... CURSOR, FETCH FORWARD n) with a bound parameter,
    fetched in pages: exactly the rows of the whole query."""
    with psycopg.connect(dsn()) as conn:
        conn.execute("SET mindoo.keys = %s", (token,))
        whole = conn.execute("SELECT id FROM docs WHERE (data->>'n')::int >= %s ORDER BY id", (0,)).fetchall()
        with conn.cursor(name="pages") as cur:
            cur.itersize = 2
            cur.execute("SELECT id FROM docs WHERE (data->>'n')::int >= %s ORDER BY id", (0,))
            check(cur.description[0].name == "id", "a named cursor describes its columns")
            first = cur.fetchmany(2)
            rest = list(cur)
        check(first + rest == whole and len(whole) > 3, f"paged {first + rest} vs {whole}")
        conn.rollback()


def check_copy(token):
    """COPY of documents as text, both ways, then their sealed entries into another table in
    binary; a COPY the client abandons writes nothing."""
    with psycopg.connect(dsn(), autocommit=True) as conn:
        conn.execute("SET mindoo.keys = %s", (token,))
        conn.execute("CREATE TABLE copied ()")
        docs = [("c1", '{"name":"one"}'), ("c2", '{"text":"tab\\there"}')]
        with conn.cursor() as cur:
            with cur.copy("COPY copied FROM STDIN") as copy:
                for row in docs:
                    copy.write_row(row)
            check(cur.rowcount == 2, f"COPY FROM rowcount {cur.rowcount}")
            with cur.copy("COPY copied TO STDOUT") as copy:
                copied = sorted(copy.rows())
            # Documents come back as PostgreSQL prints jsonb.
            printed = [("c1", '{"name": "one"}'), ("c2", '{"text": "tab\\there"}')]
            check(copied == printed, f"COPY TO rows {copied}")
        # Each entry with its carried proof (its signed commit and inclusion path).
        sealed = conn.execute("SELECT sealed, proof FROM mindoo.entries('copied', 0)").fetchall()
        conn.execute("CREATE TABLE mirror ()")
        with conn.cursor() as cur:
            for _ in range(2):  # the second import finds every entry there: idempotent
                with cur.copy("COPY mirror FROM STDIN (FORMAT binary)") as copy:
                    copy.set_types(["bytea", "bytea"])
                    for entry, proof in sealed:
                        copy.write_row((entry, proof))
                check(cur.rowcount == len(sealed), f"binary COPY rowcount {cur.rowcount}")
        mirrored = conn.execute("SELECT id, data FROM mirror ORDER BY id").fetchall()
        check(mirrored == [("c1", {"name": "one"}), ("c2", {"text": "tab\there"})], f"{mirrored}")
        check(len(conn.execute("SELECT seq FROM mindoo.entries('mirror', 0)").fetchall()) == 2,
              "each entry stored once")
        # psycopg sends CopyFail and expects 57014 back; any other answer would replace the
        # GaveUp raised here.
        for statement in ("COPY copied FROM STDIN", "COPY mirror FROM STDIN (FORMAT binary)"):
            try:
                with conn.cursor() as cur, cur.copy(statement) as copy:
                    if "binary" in statement:
                        copy.set_types(["bytea", "bytea"])
                        copy.write_row(sealed[0])
                    else:
                        copy.write_row(("c3", "{}"))
                    raise GaveUp(statement)
            except GaveUp:
                pass
        n = conn.execute("SELECT count(*) FROM copied").fetchone()[0]
        check(n == 2, f"an abandoned COPY wrote nothing: {n} rows")


def check_listen(token):
    """LISTEN mindoo_changes: a `table:seq` notification for each commit reaches the listener
    while it sends nothing; a session without keys reads the feed's metadata only."""
    with psycopg.connect(dsn(), autocommit=True) as writer, psycopg.connect(
        dsn(), autocommit=True
    ) as listener:
        writer.execute("SET mindoo.keys = %s", (token,))
        writer.execute("CREATE TABLE crm ()")
        listener.execute("LISTEN mindoo_changes")
        writer.execute("INSERT INTO crm (id, data) VALUES (%s, %s)", ("a", Jsonb({"n": 1})))
        writer.execute("INSERT INTO crm (id, data) VALUES (%s, %s)", ("b", Jsonb({"n": 2})))
        received = []
        for notify in listener.notifies(timeout=PATIENCE):
            check(notify.channel == "mindoo_changes", f"channel {notify.channel}")
            check(notify.pid == 0, f"sent by the server, pid {notify.pid}")
            received.append(notify.payload)
            if notify.payload == "crm:2":
                break
        check(received and received[-1] == "crm:2", f"notifications: {received}")
        check(all(re.fullmatch(r"crm:\d+", p) for p in received), f"payloads {received}")

        rows = writer.execute(
            "SELECT id, op, data FROM mindoo.changes(%s, %s)", ("crm", 0)
        ).fetchall()
        check(rows == [("a", "insert", {"n": 1}), ("b", "insert", {"n": 2})], f"feed {rows}")
        rows = listener.execute(
            "SELECT id, data FROM mindoo.changes(%s, %s, %s)", ("crm", 1, 10)
        ).fetchall()
        check(rows == [("b", None)], f"a session without keys sees metadata only: {rows}")

        # After UNLISTEN, commits are not announced.
        listener.execute("UNLISTEN mindoo_changes")
        writer.execute("INSERT INTO crm (id, data) VALUES (%s, %s)", ("c", Jsonb({})))
        listener.execute("LISTEN mindoo_changes")
        writer.execute("INSERT INTO crm (id, data) VALUES (%s, %s)", ("d", Jsonb({})))
        late = [n.payload for n in listener.notifies(timeout=PATIENCE, stop_after=1)]
        check(late == ["crm:4"], f"after UNLISTEN and LISTEN again: {late}")


if __name__ == "__main__":
    main()
