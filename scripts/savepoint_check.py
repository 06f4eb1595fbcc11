#!/usr/bin/env python3
"""Transaction status as psycopg sees it (issue 3): after an error inside a block the
connection reports INERROR, ROLLBACK TO SAVEPOINT makes it INTRANS again in both the simple and
the extended protocol, psycopg's nested `transaction()` blocks (savepoints) keep exactly the
right writes, and COMMIT leaves it IDLE. tokio-postgres cannot show ReadyForQuery's status;
psycopg can.

Usage: scripts/savepoint_check.py path/to/mindoodb
Starts its own server on a free loopback port with a temporary data directory; exits non-zero
on failure. scripts/test.sh runs it after `cargo test`.
"""

import sys

import check_server
import psycopg
from psycopg.pq import TransactionStatus


def check(conninfo: str) -> None:
    with psycopg.connect(conninfo) as conn:
        status = lambda: conn.info.transaction_status  # noqa: E731
        token = conn.execute("SELECT mindoo.create_key('default')").fetchone()[0]
        conn.execute(f"SET mindoo.keys = '{token}'")
        conn.execute("CREATE TABLE t ()")
        conn.commit()
        assert status() == TransactionStatus.IDLE, status()

        conn.execute("INSERT INTO t (id, data) VALUES ('a', '{}')")
        assert status() == TransactionStatus.INTRANS, status()
        conn.execute("SAVEPOINT s")
        expect_error(conn, "SELECT * FROM nope", (), "42P01")
        assert status() == TransactionStatus.INERROR, status()
        expect_error(conn, "SELECT 1", (), "25P02")
        conn.execute("ROLLBACK TO SAVEPOINT s")
        assert status() == TransactionStatus.INTRANS, status()

        # The extended protocol (psycopg binds parameters server-side).
        conn.execute("INSERT INTO t (id, data) VALUES (%s, %s)", ("undone", "{}"))
        expect_error(conn, "SELECT * FROM nope WHERE id = %s", ("x",), "42P01")
        assert status() == TransactionStatus.INERROR, status()
        conn.execute("ROLLBACK TO s")
        assert status() == TransactionStatus.INTRANS, status()

        with conn.transaction():  # a savepoint, released
            conn.execute("INSERT INTO t (id, data) VALUES (%s, %s)", ("kept", "{}"))
        try:
            with conn.transaction():  # a savepoint, rolled back by the error
                conn.execute("INSERT INTO t (id, data) VALUES (%s, %s)", ("lost", "{}"))
                conn.execute("SELECT * FROM nope")
        except psycopg.errors.UndefinedTable:
            pass
        assert status() == TransactionStatus.INTRANS, status()
        conn.commit()
        assert status() == TransactionStatus.IDLE, status()
        rows = conn.execute("SELECT id FROM t ORDER BY id").fetchall()
        assert rows == [("a",), ("kept",)], rows
        conn.commit()


def expect_error(conn, sql: str, params: tuple, sqlstate: str) -> None:
    try:
        conn.execute(sql, params or None)
    except psycopg.Error as err:
        assert err.sqlstate == sqlstate, (sql, err.sqlstate, err)
        return
    raise AssertionError(f"{sql} succeeded")


if __name__ == "__main__":
    sys.exit(check_server.run("savepoint_check", check))
