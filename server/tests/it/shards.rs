//! Shards over time (issue 7), end to end: `ALTER TABLE ... SET (read_only = true)` refuses
//! writes with 25006 and keeps the table readable across a restart; `mindoo.move` grafts
//! documents into another table without keys, idempotently, keeping their signatures;
//! `mindoo.stats()` counts per table.

use tokio_postgres::error::SqlState;

use crate::support::{TestServer, code, column, keyed, one};

#[tokio::test]
async fn a_read_only_table_refuses_writes_with_25006_and_stays_readable() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(
            "INSERT INTO crm2025 (id, data) VALUES ('a', '{\"n\":1}');
             ALTER TABLE crm2025 SET (read_only = true)",
        )
        .await
        .unwrap();
    for sql in [
        "INSERT INTO crm2025 (id, data) VALUES ('b', '{}')",
        "UPDATE crm2025 SET data = '{\"n\":2}' WHERE id = 'a'",
        "DELETE FROM crm2025 WHERE id = 'a'",
    ] {
        assert_eq!(
            code(&client, sql).await,
            SqlState::READ_ONLY_SQL_TRANSACTION,
            "{sql}"
        );
    }
    // The connection stays usable and nothing changed.
    assert_eq!(
        one(&client, "SELECT data->>'n' FROM crm2025 WHERE id = 'a'").await,
        "1"
    );
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "1");

    // Unknown tables, views and options are refused with their own codes.
    assert_eq!(
        code(&client, "ALTER TABLE nope SET (read_only = true)").await,
        SqlState::UNDEFINED_TABLE
    );
    client
        .batch_execute("ALTER TABLE IF EXISTS nope SET (read_only = true)")
        .await
        .unwrap();
    assert_eq!(
        code(&client, "ALTER TABLE crm2025 SET (read_only = maybe)").await,
        SqlState::INVALID_PARAMETER_VALUE
    );
    assert_eq!(
        code(&client, "ALTER TABLE crm2025 SET (fillfactor = 50)").await,
        SqlState::FEATURE_NOT_SUPPORTED
    );
    assert_eq!(
        code(&client, "ALTER TABLE crm2025 ADD COLUMN x int").await,
        SqlState::FEATURE_NOT_SUPPORTED
    );

    // The flag is stored: it survives a restart, and can be lifted.
    drop(client);
    let server = server.restart();
    let client = server.connect().await;
    client
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    assert_eq!(
        code(&client, "INSERT INTO crm2025 (id, data) VALUES ('b', '{}')").await,
        SqlState::READ_ONLY_SQL_TRANSACTION
    );
    assert_eq!(
        column(&client, "SELECT table_name, read_only FROM mindoo.stats()").await,
        [Some("crm2025".to_owned())]
    );
    assert_eq!(
        one(&client, "SELECT read_only FROM mindoo.stats()").await,
        "t"
    );
    client
        .batch_execute(
            "ALTER TABLE crm2025 SET (read_only = false);
             INSERT INTO crm2025 (id, data) VALUES ('b', '{}')",
        )
        .await
        .unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "2");
}

#[tokio::test]
async fn move_grafts_documents_without_keys_and_is_idempotent() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(
            "CREATE TABLE crm2026 ();
             INSERT INTO crm2025 (id, data) VALUES ('acme-1', '{\"n\":1}'), ('acme-2', '{\"n\":2}'), ('other', '{\"n\":3}');
             UPDATE crm2025 SET data = '{\"n\":10}' WHERE id = 'acme-1';
             DELETE FROM crm2025 WHERE id = 'acme-2'",
        )
        .await
        .unwrap();
    let revs = column(
        &client,
        "SELECT rev FROM mindoo.history('crm2025', 'acme-1') ORDER BY seq",
    )
    .await;

    // A session without keys moves them: ciphertext and signatures only.
    let keyless = server.connect().await;
    let row = keyless
        .query_one(
            "SELECT * FROM mindoo.move('crm2025', 'crm2026', 'acme-')",
            &[],
        )
        .await
        .unwrap();
    let (documents, entries, copied): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    assert_eq!((documents, entries, copied), (2, 4, 4));
    let again = keyless
        .query_one(
            "SELECT * FROM mindoo.move($1, $2, $3)",
            &[&"crm2025", &"crm2026", &"acme-"],
        )
        .await
        .unwrap();
    assert_eq!((again.get::<_, i64>(0), again.get::<_, i64>(2)), (2, 0));

    // The key holder reads them in the target, with the same revisions and signatures.
    assert_eq!(
        column(
            &client,
            "SELECT id || ':' || (data->>'n') FROM crm2026 ORDER BY id"
        )
        .await,
        [Some("acme-1:10".to_owned())]
    );
    assert_eq!(
        column(
            &client,
            "SELECT rev FROM mindoo.history('crm2026', 'acme-1') ORDER BY seq"
        )
        .await,
        revs
    );
    assert_eq!(
        one(&client, "SELECT ok FROM mindoo.verify('crm2026')").await,
        "t"
    );
    // The source keeps its log (append-only).
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "2");

    assert_eq!(
        code(
            &keyless,
            "SELECT * FROM mindoo.move('crm2025', 'crm2025', '')"
        )
        .await,
        SqlState::INVALID_PARAMETER_VALUE
    );
    assert_eq!(
        code(&keyless, "SELECT * FROM mindoo.move('crm2025', 'nope', '')").await,
        SqlState::UNDEFINED_TABLE
    );
    keyless
        .batch_execute("ALTER TABLE crm2026 SET (read_only = true)")
        .await
        .unwrap();
    assert_eq!(
        code(
            &keyless,
            "SELECT * FROM mindoo.move('crm2025', 'crm2026', '')"
        )
        .await,
        SqlState::READ_ONLY_SQL_TRANSACTION
    );
    keyless.batch_execute("BEGIN").await.unwrap();
    assert_eq!(
        code(
            &keyless,
            "SELECT * FROM mindoo.move('crm2025', 'crm2026', '')"
        )
        .await,
        SqlState::ACTIVE_SQL_TRANSACTION
    );
    drop(token);
}

#[tokio::test]
async fn stats_count_documents_entries_and_seqs_per_table() {
    let server = TestServer::start();
    let client = server.connect().await;
    let token = one(&client, "SELECT mindoo.create_key('default')").await;
    client
        .batch_execute(&format!(
            "SET mindoo.keys = '{token}';
             CREATE TABLE b_table (); CREATE TABLE a_table ();
             INSERT INTO a_table (id, data) VALUES ('x', '{{}}'), ('y', '{{}}');
             UPDATE a_table SET data = '{{\"v\":1}}' WHERE id = 'x';
             DELETE FROM a_table WHERE id = 'y'"
        ))
        .await
        .unwrap();
    let rows = client
        .query(
            "SELECT table_name, documents, deleted, entries, last_seq, bytes_on_disk, read_only
             FROM mindoo.stats()",
            &[],
        )
        .await
        .unwrap();
    let got: Vec<(String, i64, i64, i64, i64, bool)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(6)))
        .collect();
    assert_eq!(
        got,
        [
            ("a_table".to_owned(), 2, 1, 4, 4, false),
            ("b_table".to_owned(), 0, 0, 0, 0, false),
        ]
    );
    assert!(rows.iter().all(|r| r.get::<_, i64>(5) >= 0));
    // Bare call form and filtering work too.
    assert_eq!(
        one(
            &client,
            "SELECT count(*) FROM mindoo.stats() WHERE entries > 0"
        )
        .await,
        "1"
    );
}
