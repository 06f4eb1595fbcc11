#!/usr/bin/env python3
"""LISTEN mindoo_changes through psycopg (issue 4): `conn.notifies()` receives a `table:seq`
notification for each commit while the listening connection sits idle, and the change feed
binds psycopg's parameters.

Usage: scripts/notify_check.py path/to/mindoodb
Starts its own server on a free loopback port with a temporary data directory; exits non-zero
on failure. scripts/test.sh runs it after `cargo test`.
"""

import re
import sys

import check_server
import psycopg

PATIENCE = 60  # seconds; a passing run never waits this long


def check(conninfo: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as writer, psycopg.connect(
        conninfo, autocommit=True
    ) as listener:
        token = writer.execute("SELECT mindoo.create_key('default')").fetchone()[0]
        writer.execute(f"SET mindoo.keys = '{token}'")
        writer.execute("CREATE TABLE crm ()")
        listener.execute("LISTEN mindoo_changes")

        # The listener sends nothing more: notifications must reach it while it is idle.
        writer.execute("INSERT INTO crm (id, data) VALUES (%s, %s)", ("a", '{"n": 1}'))
        writer.execute("INSERT INTO crm (id, data) VALUES (%s, %s)", ("b", '{"n": 2}'))
        received = []
        for notify in listener.notifies(timeout=PATIENCE):
            assert notify.channel == "mindoo_changes", notify
            received.append(notify.payload)
            if notify.payload == "crm:2":
                break
        assert received and received[-1] == "crm:2", f"notifications: {received}"
        assert all(re.fullmatch(r"crm:\d+", p) for p in received), received

        rows = writer.execute(
            "SELECT id, op, data FROM mindoo.changes(%s, %s)", ("crm", 0)
        ).fetchall()
        assert rows == [("a", "insert", {"n": 1}), ("b", "insert", {"n": 2})], rows
        rows = listener.execute(
            "SELECT id, data FROM mindoo.changes(%s, %s, %s)", ("crm", 1, 10)
        ).fetchall()
        assert rows == [("b", None)], f"a session without keys sees metadata only: {rows}"


if __name__ == "__main__":
    sys.exit(check_server.run("notify_check", check))
