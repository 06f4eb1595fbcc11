//! tokio-postgres as a client (issue 5), the Rust counterpart of tests/clients/: parameters
//! typed strictly from ParameterDescription (jsonb for `data`, int4 for `SELECT 1`), binary
//! results, transactions, an error followed by a working statement, jsonb into
//! `serde_json::Value`, COPY in the extended protocol, OIDs from the catalog, and TLS.
//! LISTEN with tokio-postgres is listen.rs.

use futures::{SinkExt, TryStreamExt, pin_mut};
use serde_json::json;
use tokio_postgres::types::Oid;

use crate::support::expect_err;
use crate::tls::{connect_tls, start_tls_server};

#[tokio::test]
async fn tokio_postgres_works_unchanged() {
    let (server, tls_config) = start_tls_server();
    let mut client = server.connect().await;
    client
        .simple_query("SELECT mindoo.create_key('default')")
        .await
        .unwrap();
    client.batch_execute("CREATE TABLE docs ()").await.unwrap();

    // `$2` fills `data`, so the server describes it as jsonb and serde_json values bind.
    let insert = client
        .prepare("INSERT INTO docs (id, data) VALUES ($1, $2)")
        .await
        .unwrap();
    assert_eq!(insert.params()[1], tokio_postgres::types::Type::JSONB);
    // A type the client declares at Parse is echoed, as Postgres does (pgjdbc's varchar).
    let typed = client
        .prepare_typed(
            "INSERT INTO docs (id, data) VALUES ($1, $2)",
            &[tokio_postgres::types::Type::VARCHAR],
        )
        .await
        .unwrap();
    assert_eq!(
        typed.params(),
        [
            tokio_postgres::types::Type::VARCHAR,
            tokio_postgres::types::Type::JSONB
        ]
    );
    for (id, doc) in [
        ("acme", json!({"name": "ACME", "n": 1})),
        ("globex", json!({"name": "Globex", "n": 2})),
    ] {
        assert_eq!(client.execute(&insert, &[&id, &doc]).await.unwrap(), 1);
    }

    let rows = client
        .query(
            "SELECT id, data FROM docs WHERE data->>'name' = $1",
            &[&"Globex"],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, &str>(0), "globex");
    assert_eq!(
        rows[0].get::<_, serde_json::Value>(1),
        json!({"name": "Globex", "n": 2})
    );
    let row = client
        .query_one(
            "SELECT 1, count(*), max(seq) FROM docs WHERE (data->>'n')::int4 >= $1",
            &[&1i32],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i32>(0), 1, "SELECT 1 is int4");
    assert_eq!(row.get::<_, i64>(1), 2);
    assert!(row.get::<_, i64>(2) >= 1);

    // Transactions.
    let tx = client.transaction().await.unwrap();
    tx.execute(&insert, &[&"gone", &json!({})]).await.unwrap();
    tx.rollback().await.unwrap();
    let tx = client.transaction().await.unwrap();
    tx.execute(&insert, &[&"kept", &json!({})]).await.unwrap();
    tx.commit().await.unwrap();
    let ids: Vec<String> = client
        .query("SELECT id FROM docs ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, ["acme", "globex", "kept"]);

    // An error, then a working statement on the same connection.
    let err = expect_err(
        client.query("SELECT * FROM nosuch", &[]).await,
        "missing table",
    );
    assert_eq!(err.code().map(|c| c.code()), Some("42P01"));
    assert_eq!(
        client
            .query_one("SELECT 2", &[])
            .await
            .unwrap()
            .get::<_, i32>(0),
        2
    );

    // COPY through the extended protocol.
    let sink = client
        .copy_in("COPY docs (id, data) FROM STDIN WITH (FORMAT csv)")
        .await
        .unwrap();
    pin_mut!(sink);
    let data: &'static [u8] = b"c1,\"{\"\"name\"\":\"\"Copied\"\"}\"\nc2,\"{}\"\n";
    sink.send(data).await.unwrap();
    assert_eq!(sink.finish().await.unwrap(), 2);
    let out = client
        .copy_out("COPY (SELECT id FROM docs ORDER BY id) TO STDOUT")
        .await
        .unwrap();
    let chunks: Vec<_> = out.try_collect().await.unwrap();
    let text: String = chunks
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    assert_eq!(text, "acme\nc1\nc2\nglobex\nkept\n");

    // OIDs from the catalog, typed oid.
    let row = client
        .query_one(
            "SELECT c.oid, 'docs'::regclass::oid FROM pg_class c WHERE c.relname = $1",
            &[&"docs"],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, Oid>(0), row.get::<_, Oid>(1));
    assert!(row.get::<_, Oid>(0) >= 16_384);

    // TLS.
    let tls = connect_tls(&server, tls_config).await;
    assert_eq!(
        tls.query_one("SELECT current_user", &[])
            .await
            .unwrap()
            .get::<_, &str>(0),
        crate::support::USER
    );
}
