//! Transaction blocks as drivers drive them (docs/SQL.md#transactions): SAVEPOINT,
//! ROLLBACK TO and RELEASE undo exactly the writes after the savepoint and revive a failed
//! block; an error in any extended-protocol step aborts the block, so COMMIT then rolls back.

use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;

use crate::support::{code, column, expect_err, keyed, one};

#[tokio::test]
async fn rollback_to_savepoint_leaves_exactly_the_right_writes_after_commit() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('kept', '{"v":0}')"#)
        .await
        .unwrap();
    client
        .batch_execute(
            r#"
            BEGIN;
            INSERT INTO crm2025 (id, data) VALUES ('a', '{"v":1}');
            SAVEPOINT one;
            INSERT INTO crm2025 (id, data) VALUES ('b', '{"v":1}');
            UPDATE crm2025 SET data = '{"v":2}' WHERE id = 'a';
            DELETE FROM crm2025 WHERE id = 'kept';
            SAVEPOINT two;
            INSERT INTO crm2025 (id, data) VALUES ('c', '{"v":1}');
            "#,
        )
        .await
        .unwrap();
    assert_eq!(
        column(&client, "SELECT id FROM crm2025 ORDER BY id").await,
        ["a", "b", "c"].map(|id| Some(id.to_owned()))
    );
    client.batch_execute("ROLLBACK TO two").await.unwrap();
    assert_eq!(
        column(&client, "SELECT id FROM crm2025 ORDER BY id").await,
        ["a", "b"].map(|id| Some(id.to_owned()))
    );
    client
        .batch_execute("ROLLBACK TO SAVEPOINT one")
        .await
        .unwrap();
    assert_eq!(
        column(
            &client,
            "SELECT id || ':' || (data->>'v') FROM crm2025 ORDER BY id"
        )
        .await,
        ["a:1", "kept:0"].map(|id| Some(id.to_owned()))
    );
    // `two` was set after `one`, so it is gone; `one` stays and can be used again.
    assert_eq!(
        code(&client, "RELEASE two").await,
        SqlState::S_E_INVALID_SPECIFICATION
    );
    assert_eq!(
        code(&client, "SELECT 1").await,
        SqlState::IN_FAILED_SQL_TRANSACTION,
        "a bad RELEASE aborts the block like any error"
    );
    client.batch_execute("ROLLBACK TO one").await.unwrap();
    client
        .batch_execute(
            r#"
            INSERT INTO crm2025 (id, data) VALUES ('d', '{"v":1}');
            UPDATE crm2025 SET data = '{"v":3}' WHERE id = 'a';
            RELEASE SAVEPOINT one;
            COMMIT;
            "#,
        )
        .await
        .unwrap();
    assert_eq!(
        column(
            &client,
            "SELECT id || ':' || (data->>'v') FROM crm2025 ORDER BY id"
        )
        .await,
        ["a:3", "d:1", "kept:0"].map(|id| Some(id.to_owned()))
    );
    assert_eq!(
        code(&client, "SAVEPOINT outside").await,
        SqlState::NO_ACTIVE_SQL_TRANSACTION
    );
}

#[tokio::test]
async fn rollback_to_savepoint_revives_a_failed_block() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(
            r#"
            BEGIN;
            INSERT INTO crm2025 (id, data) VALUES ('x', '{}');
            SAVEPOINT s;
            INSERT INTO crm2025 (id, data) VALUES ('lost', '{}');
            "#,
        )
        .await
        .unwrap();
    assert_eq!(
        code(&client, "INSERT INTO crm2025 (id, data) VALUES ('x', '{}')").await,
        SqlState::UNIQUE_VIOLATION
    );
    assert_eq!(
        code(&client, "SELECT 1").await,
        SqlState::IN_FAILED_SQL_TRANSACTION
    );
    assert_eq!(
        code(&client, "ROLLBACK TO nope").await,
        SqlState::S_E_INVALID_SPECIFICATION
    );
    client.batch_execute("ROLLBACK TO s").await.unwrap();
    // The block is healthy again in both protocols.
    assert_eq!(one(&client, "SELECT 1").await, "1");
    client
        .execute(
            r#"INSERT INTO crm2025 (id, data) VALUES ($1, '{}')"#,
            &[&"y"],
        )
        .await
        .unwrap();
    client.batch_execute("COMMIT").await.unwrap();
    assert_eq!(
        column(&client, "SELECT id FROM crm2025 ORDER BY id").await,
        ["x", "y"].map(|id| Some(id.to_owned()))
    );
}

#[tokio::test]
async fn tokio_postgres_nested_transactions_use_savepoints() {
    let (_server, mut client, _token) = keyed(&["crm2025"]).await;
    let mut txn = client.transaction().await.unwrap();
    txn.execute(
        r#"INSERT INTO crm2025 (id, data) VALUES ('outer', '{}')"#,
        &[],
    )
    .await
    .unwrap();
    {
        // Dropped without commit: ROLLBACK TO SAVEPOINT.
        let inner = txn.savepoint("inner").await.unwrap();
        inner
            .execute(
                r#"INSERT INTO crm2025 (id, data) VALUES ('undone', '{}')"#,
                &[],
            )
            .await
            .unwrap();
        let err = expect_err(
            inner.query("SELECT * FROM nope", &[]).await,
            "an error inside the savepoint",
        );
        assert_eq!(err.code(), Some(&SqlState::UNDEFINED_TABLE));
        inner.rollback().await.unwrap();
    }
    {
        let inner = txn.savepoint("kept").await.unwrap();
        inner
            .execute(
                r#"INSERT INTO crm2025 (id, data) VALUES ('released', '{}')"#,
                &[],
            )
            .await
            .unwrap();
        inner.commit().await.unwrap();
    }
    txn.commit().await.unwrap();
    assert_eq!(
        column(&client, "SELECT id FROM crm2025 ORDER BY id").await,
        ["outer", "released"].map(|id| Some(id.to_owned()))
    );
}

#[tokio::test]
async fn an_extended_protocol_error_aborts_the_block_and_commit_rolls_back() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client.batch_execute("BEGIN").await.unwrap();
    client
        .execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{}')"#, &[])
        .await
        .unwrap();
    // Parse fails: Postgres aborts the block, whatever step failed.
    let err = expect_err(
        client.prepare("SELECT * FROM nope").await,
        "preparing a query of a missing table",
    );
    assert_eq!(err.code(), Some(&SqlState::UNDEFINED_TABLE));
    let err = expect_err(client.prepare("SELECT 1").await, "parse in a failed block");
    assert_eq!(err.code(), Some(&SqlState::IN_FAILED_SQL_TRANSACTION));
    let err = expect_err(
        client.query("SELECT 1", &[]).await,
        "query in a failed block",
    );
    assert_eq!(err.code(), Some(&SqlState::IN_FAILED_SQL_TRANSACTION));
    // COMMIT of a failed block answers ROLLBACK and keeps nothing.
    client.execute("COMMIT", &[]).await.unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "0");

    // The same with a prepared statement that fails at Execute (`data` declared text, so
    // the JSON is the server's to refuse).
    let insert = client
        .prepare_typed(
            "INSERT INTO crm2025 (id, data) VALUES ($1, $2)",
            &[Type::TEXT, Type::TEXT],
        )
        .await
        .unwrap();
    client.batch_execute("BEGIN").await.unwrap();
    client.execute(&insert, &[&"b", &"{}"]).await.unwrap();
    let err = expect_err(
        client.execute(&insert, &[&"c", &"{not json"]).await,
        "bad JSON",
    );
    assert_eq!(err.code(), Some(&SqlState::INVALID_TEXT_REPRESENTATION));
    client.execute("COMMIT", &[]).await.unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "0");
    // And outside a block an extended-protocol error changes nothing.
    expect_err(client.prepare("SELECT * FROM nope").await, "missing table");
    client.execute(&insert, &[&"d", &"{}"]).await.unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "1");
}
