"""psycopg 3 against MindooDB (issue 5): SCRAM and TLS, parameters, prepare=True, pipeline
executemany, binary cursors, conn.transaction() with the driver's transaction status, an
error followed by a working statement, jsonb through the Jsonb adapter, and protocol 3.2
(psycopg-binary bundles libpq 18). LISTEN/NOTIFY is not exercised here."""

import psycopg
from psycopg import pq
from psycopg.types.json import Jsonb

from common import check, dsn, expect_error, tls_dsn

IDLE = pq.TransactionStatus.IDLE
INTRANS = pq.TransactionStatus.INTRANS
INERROR = pq.TransactionStatus.INERROR


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

    # Protocol 3.2, which libpq 18 asks for with max_protocol_version.
    if pq.version() >= 180000:
        with psycopg.connect(dsn(max_protocol_version="3.2"), autocommit=True) as conn:
            check(conn.pgconn.full_protocol_version == 30002, "negotiated protocol 3.2")
            check(conn.execute("SELECT 1").fetchone() == (1,), "query over 3.2")
    print("psycopg3 ok")


if __name__ == "__main__":
    main()
