"""psycopg2 against MindooDB (issue 5): simple-protocol only, parameters interpolated on the
client, BEGIN before the first statement, the driver's transaction status, an error followed
by a working statement, jsonb into dicts, LISTEN mindoo_changes through `conn.poll()` and
`conn.notifies` while the listener waits in select() (issue 4), and TLS."""

import re
import select
import time

import psycopg2
import psycopg2.extensions as ext
from psycopg2.extras import Json

from common import check, dsn, expect_error, tls_dsn

PATIENCE = 60  # seconds; a passing run never waits this long


def main():
    conn = psycopg2.connect(dsn())
    check(conn.server_version >= 160000, f"server_version {conn.server_version}")
    check(conn.encoding == "UTF8", f"client encoding {conn.encoding}")
    cur = conn.cursor()
    check(conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE, "idle on connect")
    cur.execute("SELECT mindoo.create_key('default')")
    token = cur.fetchone()[0]
    check(conn.get_transaction_status() == ext.TRANSACTION_STATUS_INTRANS, "implicit BEGIN")
    cur.execute("CREATE TABLE docs ()")
    cur.execute(
        "INSERT INTO docs (id, data) VALUES (%s, %s), (%s, %s)",
        ("acme", Json({"name": "ACME", "n": 1}), "globex", Json({"name": "Globex", "n": 2})),
    )
    check(cur.statusmessage == "INSERT 0 2", f"tag {cur.statusmessage}")
    conn.commit()
    check(conn.get_transaction_status() == ext.TRANSACTION_STATUS_IDLE, "idle after commit")

    cur.execute("SELECT id, data FROM docs WHERE data->>'name' = %s", ("Globex",))
    row = cur.fetchone()
    check(row == ("globex", {"name": "Globex", "n": 2}), f"jsonb as dict: {row!r}")
    check(cur.description[1].type_code == 3802, "data is jsonb (OID 3802)")

    # Rolled back, then committed.
    cur.execute("INSERT INTO docs (id, data) VALUES (%s, %s)", ("gone", Json({})))
    conn.rollback()
    cur.execute("INSERT INTO docs (id, data) VALUES (%s, %s)", ("kept", Json({})))
    conn.commit()
    cur.execute("SELECT id FROM docs ORDER BY id")
    ids = [r[0] for r in cur.fetchall()]
    check(ids == ["acme", "globex", "kept"], f"ids {ids}")
    conn.rollback()

    # An error, then a working statement on the same connection.
    expect_error("42P01", lambda: cur.execute("SELECT * FROM nosuch"))
    check(conn.get_transaction_status() == ext.TRANSACTION_STATUS_INERROR, "in error")
    conn.rollback()
    cur.execute("SELECT count(*) FROM docs")
    check(cur.fetchone()[0] == 3, "count after the error")
    conn.rollback()

    # Autocommit and SQL-level SET/SHOW.
    conn.autocommit = True
    cur.execute("SET application_name = 'psycopg2-test'")
    cur.execute("SHOW application_name")
    check(cur.fetchone()[0] == "psycopg2-test", "SHOW after SET")
    cur.execute("SELECT current_setting('application_name'), current_user")
    check(cur.fetchone() == ("psycopg2-test", conn.info.user), "current_setting/current_user")
    check_listen(conn)
    conn.close()

    tls = psycopg2.connect(tls_dsn())
    tls.autocommit = True
    check(tls.info.ssl_in_use, "TLS in use")
    cur = tls.cursor()
    cur.execute("SET mindoo.keys = %s", (token,))
    cur.execute("SELECT data FROM docs WHERE id = %s", ("acme",))
    check(cur.fetchone()[0] == {"name": "ACME", "n": 1}, "jsonb over TLS")
    tls.close()
    print("psycopg2 ok")


def check_listen(writer):
    """A second connection listens and then only waits: each commit of the writer reaches it
    as a `table:seq` notification from pid 0 (the server)."""
    cur = writer.cursor()
    cur.execute("CREATE TABLE events ()")
    listener = psycopg2.connect(dsn())
    listener.autocommit = True
    listener.cursor().execute("LISTEN mindoo_changes")
    cur.execute("INSERT INTO events (id, data) VALUES (%s, %s)", ("e1", Json({})))
    cur.execute("INSERT INTO events (id, data) VALUES (%s, %s)", ("e2", Json({})))
    payloads = []
    deadline = time.monotonic() + PATIENCE
    while "events:2" not in payloads:
        left = deadline - time.monotonic()
        check(left > 0, f"notifications: {payloads}")
        select.select([listener], [], [], left)
        listener.poll()
        while listener.notifies:
            notify = listener.notifies.pop(0)
            check(notify.channel == "mindoo_changes", f"channel {notify.channel}")
            check(notify.pid == 0, f"sent by the server, pid {notify.pid}")
            check(re.fullmatch(r"events:\d+", notify.payload), f"payload {notify.payload}")
            payloads.append(notify.payload)
    listener.close()


if __name__ == "__main__":
    main()
