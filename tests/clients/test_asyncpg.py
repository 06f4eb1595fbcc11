"""asyncpg against MindooDB (issue 5): named prepared statements with Describe and Flush
before Bind, binary parameters typed from ParameterDescription, fetchval/fetchrow (Execute
with a row limit), transactions with is_in_transaction(), an error followed by a working
statement, a jsonb codec, LISTEN mindoo_changes through `add_listener` while the listener
sits idle (issue 4), and TLS."""

import asyncio
import json
import ssl

import asyncpg

from common import CA, DB, HOST, PASSWORD, PORT, TLS_HOST, USER, check

PATIENCE = 60  # seconds; a passing run never waits this long


async def connect(**extra):
    conn = await asyncpg.connect(
        host=HOST, port=PORT, user=USER, password=PASSWORD, database=DB, ssl=False, **extra
    )
    # jsonb as Python objects, in text and binary form.
    await conn.set_type_codec(
        "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog", format="text"
    )
    return conn


async def main():
    conn = await connect()
    check(conn.get_server_version().major >= 16, f"version {conn.get_server_version()}")
    token = await conn.fetchval("SELECT mindoo.create_key('default')")
    await conn.execute("CREATE TABLE docs ()")
    status = await conn.execute(
        "INSERT INTO docs (id, data) VALUES ($1, $2)", "acme", {"name": "ACME", "n": 1}
    )
    check(status == "INSERT 0 1", f"tag {status}")
    await conn.executemany(
        "INSERT INTO docs (id, data) VALUES ($1, $2)",
        [(f"d{i}", {"name": f"doc {i}", "n": i}) for i in range(2, 6)],
    )
    # Parameters typed by the server: text for ->>, int4 for the cast comparison.
    row = await conn.fetchrow("SELECT id, data FROM docs WHERE data->>'name' = $1", "ACME")
    check(row["id"] == "acme" and row["data"] == {"name": "ACME", "n": 1}, f"row {row!r}")
    n = await conn.fetchval("SELECT count(*) FROM docs WHERE (data->>'n')::int4 > $1", 2)
    check(n == 3, f"count {n}")
    stmt = await conn.prepare("SELECT id FROM docs WHERE id = $1")
    check([t.name for t in stmt.get_parameters()] == ["text"], "parameter typed text")
    check(await stmt.fetchval("d3") == "d3", "prepared fetchval")
    created = await conn.fetchval("SELECT created_at FROM docs WHERE id = 'acme'")
    check(created.tzinfo is not None, "timestamptz in binary")

    # Transactions, checked through the driver's own state.
    tr = conn.transaction()
    await tr.start()
    check(conn.is_in_transaction(), "in transaction")
    await conn.execute("INSERT INTO docs (id, data) VALUES ($1, $2)", "gone", {})
    await tr.rollback()
    check(not conn.is_in_transaction(), "idle after rollback")
    async with conn.transaction():
        await conn.execute("INSERT INTO docs (id, data) VALUES ($1, $2)", "kept", {})
        async with conn.transaction():  # a savepoint
            await conn.execute("SELECT 1")
    check(not conn.is_in_transaction(), "idle after commit")
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM docs WHERE id IN ('gone', 'kept')")]
    check(ids == ["kept"], f"ids {ids}")

    # An error, then a working statement.
    try:
        await conn.fetch("SELECT * FROM nosuch")
        raise AssertionError("expected 42P01")
    except asyncpg.UndefinedTableError as err:
        check(err.sqlstate == "42P01", f"sqlstate {err.sqlstate}")
    check(await conn.fetchval("SELECT 2") == 2, "working statement after the error")
    await check_listen(conn)
    await conn.close()

    # TLS.
    context = ssl.create_default_context(cafile=CA)
    tls = await asyncpg.connect(
        host=TLS_HOST, port=PORT, user=USER, password=PASSWORD, database=DB, ssl=context
    )
    check(tls.get_settings().server_version is not None, "settings")
    check(tls._transport.get_extra_info("sslcontext") is not None, "TLS in use")
    await tls.execute(f"SET mindoo.keys = '{token}'")
    check(await tls.fetchval("SELECT count(*) FROM docs") == 6, "rows over TLS")
    await tls.close()
    print("asyncpg ok")


async def check_listen(writer):
    """A second connection listens and then only waits: each commit of the writer reaches it
    as a `table:seq` notification from pid 0 (the server)."""
    await writer.execute("CREATE TABLE events ()")
    listener = await connect()
    payloads = []
    done = asyncio.get_running_loop().create_future()

    def heard(_conn, pid, channel, payload):
        payloads.append((pid, channel, payload))
        if payload == "events:2" and not done.done():
            done.set_result(None)

    await listener.add_listener("mindoo_changes", heard)
    await writer.execute("INSERT INTO events (id, data) VALUES ($1, $2)", "e1", {})
    await writer.execute("INSERT INTO events (id, data) VALUES ($1, $2)", "e2", {})
    try:
        await asyncio.wait_for(done, PATIENCE)
    except asyncio.TimeoutError:
        raise AssertionError(f"notifications: {payloads}") from None
    for pid, channel, payload in payloads:
        check(pid == 0 and channel == "mindoo_changes", f"notification {pid} {channel}")
        check(payload.startswith("events:"), f"payload {payload}")
    await listener.remove_listener("mindoo_changes", heard)
    await listener.close()


if __name__ == "__main__":
    asyncio.run(main())
