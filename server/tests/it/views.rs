//! Views end to end (docs/SQL.md#views): a view over two
//! shards is stored in the catalog, survives a restart, is seen by every session of the tenant,
//! reads through the querying session's keys and pending writes, sees its shards at one moment
//! (never half of a commit that touched both), and its DDL fails the way Postgres fails (42P01,
//! 42P07, 42809, 2BP01, 42P16, 42P17, read-only 0A000).

use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::support::{code, column, keyed, one};

/// `crm2025` and `crm2026` with customers under `default` and one salary under `hr`, and the
/// view `crm` over both; returns the `hr` token.
async fn two_shards(client: &Client) -> String {
    let hr = one(client, "SELECT mindoo.create_key('hr')").await;
    client
        .batch_execute(&format!(
            r#"
            CREATE TABLE crm2026 ();
            INSERT INTO crm2025 (id, data) VALUES
                ('a25', '{{"type":"customer","name":"ACME","revenue":10}}'),
                ('b25', '{{"type":"vendor","name":"Initech","revenue":5}}');
            INSERT INTO crm2026 (id, data) VALUES
                ('a26', '{{"type":"customer","name":"ACME","revenue":20}}'),
                ('c26', '{{"type":"customer","name":"Globex","revenue":7}}');
            SET mindoo.keys = '{hr}';
            INSERT INTO crm2026 (id, data, key_id) VALUES ('s26', '{{"type":"salary","revenue":1000}}', 'hr');
            CREATE VIEW crm AS SELECT * FROM crm2025 UNION ALL SELECT * FROM crm2026;
            "#
        ))
        .await
        .unwrap();
    hr
}

#[tokio::test]
async fn a_view_over_two_shards_aggregates_reads_through_session_keys_and_survives_restart() {
    let (server, owner, default) = keyed(&["crm2025"]).await;
    let hr = two_shards(&owner).await;
    // `owner` now holds only `hr` (SET replaces the key set): it sees the salary alone.
    assert_eq!(one(&owner, "SELECT count(*) FROM crm").await, "1");
    owner
        .batch_execute(&format!("SET mindoo.keys = '{default},{hr}'"))
        .await
        .unwrap();
    let totals = owner
        .query(
            "SELECT data->>'type' AS t, sum((data->>'revenue')::int) AS s FROM crm GROUP BY 1 ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let totals: Vec<(String, i64)> = totals.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(
        totals,
        [
            ("customer".to_owned(), 37),
            ("salary".to_owned(), 1000),
            ("vendor".to_owned(), 5)
        ]
    );

    // Another session of the tenant sees the view, through its own keys only.
    let stranger = server.connect().await;
    assert_eq!(one(&stranger, "SELECT count(*) FROM crm").await, "0");
    stranger
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();
    assert_eq!(
        column(&stranger, "SELECT id FROM crm ORDER BY id").await,
        ["a25", "a26", "b25", "c26"].map(|id| Some(id.to_owned()))
    );
    // Parameters and filters work through the view in the extended protocol.
    let names = stranger
        .query(
            "SELECT DISTINCT data->>'name' FROM crm WHERE data->>'type' = $1 ORDER BY 1",
            &[&"customer"],
        )
        .await
        .unwrap();
    let names: Vec<String> = names.iter().map(|r| r.get(0)).collect();
    assert_eq!(names, ["ACME", "Globex"]);

    // A view reads the querying session's pending writes, and only that session's.
    stranger.batch_execute("BEGIN").await.unwrap();
    stranger
        .batch_execute(r#"INSERT INTO crm2026 (id, data) VALUES ('d26', '{"type":"customer"}')"#)
        .await
        .unwrap();
    stranger
        .batch_execute("DELETE FROM crm2025 WHERE id = 'a25'")
        .await
        .unwrap();
    assert_eq!(
        column(&stranger, "SELECT id FROM crm ORDER BY id").await,
        ["a26", "b25", "c26", "d26"].map(|id| Some(id.to_owned()))
    );
    assert_eq!(one(&owner, "SELECT count(*) FROM crm").await, "5");
    stranger.batch_execute("ROLLBACK").await.unwrap();

    drop((owner, stranger));
    let server = server.restart();
    let client = server.connect().await;
    client
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm").await, "4");
    assert_eq!(
        one(&client, "SELECT data->>'name' FROM crm WHERE id = 'c26'").await,
        "Globex"
    );
}

#[tokio::test]
async fn view_ddl_fails_like_postgres_and_drop_cascade_removes_dependents() {
    let (_server, client, default) = keyed(&["crm2025"]).await;
    let hr = two_shards(&client).await;
    client
        .batch_execute(&format!("SET mindoo.keys = '{default},{hr}'"))
        .await
        .unwrap();
    let cases = [
        (
            "CREATE VIEW v AS SELECT * FROM nope",
            SqlState::UNDEFINED_TABLE,
        ),
        (
            "CREATE VIEW crm AS SELECT * FROM crm2025",
            SqlState::DUPLICATE_TABLE,
        ),
        (
            "CREATE VIEW crm2025 AS SELECT * FROM crm2026",
            SqlState::DUPLICATE_TABLE,
        ),
        (
            "CREATE OR REPLACE VIEW crm2025 AS SELECT * FROM crm2026",
            SqlState::WRONG_OBJECT_TYPE,
        ),
        ("CREATE TABLE crm ()", SqlState::DUPLICATE_TABLE),
        (
            r#"INSERT INTO crm (data) VALUES ('{}')"#,
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        (
            r#"UPDATE crm SET data = '{}' WHERE id = 'a25'"#,
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        ("DELETE FROM crm", SqlState::FEATURE_NOT_SUPPORTED),
        ("DROP TABLE crm", SqlState::WRONG_OBJECT_TYPE),
        ("DROP VIEW crm2025", SqlState::WRONG_OBJECT_TYPE),
        ("DROP VIEW nope", SqlState::UNDEFINED_TABLE),
        (
            "DROP TABLE crm2025",
            SqlState::DEPENDENT_OBJECTS_STILL_EXIST,
        ),
        (
            "CREATE OR REPLACE VIEW crm AS SELECT id FROM crm2025",
            SqlState::INVALID_TABLE_DEFINITION,
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(code(&client, sql).await, expected, "{sql}");
    }
    client
        .batch_execute("DROP VIEW IF EXISTS nope")
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT count(*) FROM crm").await,
        "5",
        "nothing above changed the view or its tables"
    );

    // A view over a view; then a replacement that would make them read each other.
    client
        .batch_execute(
            "CREATE VIEW customers AS SELECT * FROM crm WHERE data->>'type' = 'customer'",
        )
        .await
        .unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM customers").await, "3");
    assert_eq!(
        code(
            &client,
            "CREATE OR REPLACE VIEW crm AS SELECT * FROM customers"
        )
        .await,
        SqlState::INVALID_OBJECT_DEFINITION
    );
    assert_eq!(
        code(&client, "DROP VIEW crm").await,
        SqlState::DEPENDENT_OBJECTS_STILL_EXIST
    );
    // Same columns, other rows: allowed, and every reader sees the new definition.
    client
        .batch_execute("CREATE OR REPLACE VIEW crm AS SELECT * FROM crm2026")
        .await
        .unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM customers").await, "2");

    client
        .batch_execute("DROP TABLE crm2026 CASCADE")
        .await
        .unwrap();
    for gone in ["crm", "customers", "crm2026"] {
        assert_eq!(
            code(&client, &format!("SELECT * FROM {gone}")).await,
            SqlState::UNDEFINED_TABLE,
            "{gone}"
        );
    }
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "2");
    // Column names given to the view name its columns.
    client
        .batch_execute("CREATE VIEW named (doc, body) AS SELECT id, data FROM crm2025")
        .await
        .unwrap();
    assert_eq!(
        column(&client, "SELECT doc FROM named ORDER BY doc").await,
        ["a25", "b25"].map(|id| Some(id.to_owned()))
    );
}

/// Transfers committed by one session while another reads both shards through a view and a
/// join: every read sees the total, because all scans of one statement share one snapshot.
#[tokio::test]
async fn a_statement_over_two_shards_never_sees_half_a_commit() {
    const TOTAL: i64 = 1000;
    const TRANSFERS: i64 = 150;
    let (server, writer, default) = keyed(&["crm2025"]).await;
    writer
        .batch_execute(&format!(
            r#"
            CREATE TABLE crm2026 ();
            INSERT INTO crm2025 (id, data) VALUES ('from', '{{"v":{TOTAL}}}');
            INSERT INTO crm2026 (id, data) VALUES ('to', '{{"v":0}}');
            CREATE VIEW crm AS SELECT * FROM crm2025 UNION ALL SELECT * FROM crm2026;
            "#
        ))
        .await
        .unwrap();
    let reader = server.connect().await;
    reader
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();

    let transfers = async {
        for moved in 1..=TRANSFERS {
            writer
                .batch_execute(&format!(
                    r#"
                    BEGIN;
                    UPDATE crm2025 SET data = '{{"v":{}}}' WHERE id = 'from';
                    UPDATE crm2026 SET data = '{{"v":{moved}}}' WHERE id = 'to';
                    COMMIT;
                    "#,
                    TOTAL - moved
                ))
                .await
                .unwrap();
        }
    };
    let reads = async {
        let mut totals = Vec::new();
        for _ in 0..TRANSFERS {
            totals.push(one(&reader, "SELECT sum((data->>'v')::int) FROM crm").await);
            totals.push(
                one(
                    &reader,
                    "SELECT (a.data->>'v')::int + (b.data->>'v')::int \
                     FROM crm2025 a CROSS JOIN crm2026 b",
                )
                .await,
            );
        }
        totals
    };
    let ((), totals) = tokio::join!(transfers, reads);
    for total in totals {
        assert_eq!(total, TOTAL.to_string(), "a read saw half a transfer");
    }
    assert_eq!(
        one(&reader, "SELECT data->>'v' FROM crm WHERE id = 'to'").await,
        TRANSFERS.to_string()
    );
}
