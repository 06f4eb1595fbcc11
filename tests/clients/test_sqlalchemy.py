"""SQLAlchemy 2 Core against MindooDB (issue 5), with the psycopg 3 and psycopg2 dialects:
the first-connect probes (version(), current_schema(), SHOW transaction isolation level,
SHOW standard_conforming_strings, the hstore lookup), text() queries with bound parameters
and jsonb, engine.begin() commit and rollback, an error followed by a working statement,
and TLS. LISTEN/NOTIFY is not exercised here."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from common import CA, DB, HOST, PASSWORD, PORT, TLS_HOST, USER, check


def url(driver, host=HOST, **query):
    return sa.engine.URL.create(
        f"postgresql+{driver}",
        username=USER,
        password=PASSWORD,
        host=host,
        port=PORT,
        database=DB,
        query=query,
    )


def main():
    engine = sa.create_engine(url("psycopg", sslmode="disable"))
    with engine.connect() as conn:
        # First connect ran the dialect's probes; the parsed version proves version() worked.
        check(engine.dialect.server_version_info[0] == 16, f"{engine.dialect.server_version_info}")
        check(engine.dialect.default_schema_name == "public", "current_schema()")
        token = conn.execute(sa.text("SELECT mindoo.create_key('default')")).scalar_one()
        conn.execute(sa.text("CREATE TABLE docs ()"))
        conn.commit()

    docs = sa.table("docs", sa.column("id", sa.Text), sa.column("data", JSONB))
    with engine.begin() as conn:
        conn.execute(sa.text("SET mindoo.keys = :t"), {"t": token})
        conn.execute(
            sa.text("INSERT INTO docs (id, data) VALUES (:id, :data)").bindparams(
                sa.bindparam("data", type_=JSONB)
            ),
            [{"id": "acme", "data": {"name": "ACME", "n": 1}},
             {"id": "globex", "data": {"name": "Globex", "n": 2}}],
        )
    with engine.connect() as conn:
        conn.execute(sa.text("SET mindoo.keys = :t"), {"t": token})
        data = conn.execute(
            sa.select(docs.c.data).where(docs.c.data["name"].astext == "Globex")
        ).scalar_one()
        check(data == {"name": "Globex", "n": 2}, f"jsonb via Core: {data!r}")
        n = conn.execute(
            sa.text("SELECT count(*) FROM docs WHERE data->>'name' = :name"), {"name": "ACME"}
        ).scalar_one()
        check(n == 1, f"count {n}")
        conn.commit()
        # Rolled back, then committed, on SQLAlchemy's own transaction.
        tx = conn.begin()
        conn.execute(sa.text("INSERT INTO docs (id, data) VALUES ('gone', '{}')"))
        check(conn.in_transaction(), "in transaction")
        tx.rollback()
        check(not conn.in_transaction(), "rolled back")
        with conn.begin():
            conn.execute(sa.text("INSERT INTO docs (id, data) VALUES ('kept', '{}')"))
        ids = conn.execute(sa.text("SELECT id FROM docs ORDER BY id")).scalars().all()
        check(ids == ["acme", "globex", "kept"], f"ids {ids}")
        conn.rollback()
        # An error, then a working statement on the same connection.
        try:
            conn.execute(sa.text("SELECT * FROM nosuch"))
            raise AssertionError("expected an error")
        except sa.exc.ProgrammingError as err:
            check(err.orig.sqlstate == "42P01", f"sqlstate {err.orig.sqlstate}")
        conn.rollback()
        check(conn.execute(sa.text("SELECT 2")).scalar_one() == 2, "after the error")

    # psycopg2 dialect over TLS (its first connect looks up hstore by name).
    tls = sa.create_engine(
        url("psycopg2", host=TLS_HOST, sslmode="verify-full", sslrootcert=CA)
    )
    with tls.connect() as conn:
        check(conn.connection.dbapi_connection.info.ssl_in_use, "TLS in use")
        conn.execute(sa.text("SET mindoo.keys = :t"), {"t": token})
        n = conn.execute(sa.text("SELECT count(*) FROM docs")).scalar_one()
        check(n == 3, f"rows over TLS: {n}")
    print("sqlalchemy ok")


if __name__ == "__main__":
    main()
