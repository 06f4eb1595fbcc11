//! The document SQL dialect end to end (docs/SQL.md): keys in sessions,
//! document tables, DML on sealed revisions, transactions, and that nothing secret or plain
//! reaches the data directory or the log.

use tokio_postgres::error::SqlState;

use crate::support::{code, column, files_in, keyed, one};

#[tokio::test]
async fn the_readme_session_works() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    let id = one(
        &client,
        r#"INSERT INTO crm2025 (data) VALUES ('{"type":"customer","name":"ACME","revenue":10}') RETURNING id"#,
    )
    .await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('v1', '{"type":"vendor","name":"Initech","revenue":5}')"#)
        .await
        .unwrap();
    let names = column(
        &client,
        "SELECT data->>'name' FROM crm2025 WHERE data->>'type' = 'customer'",
    )
    .await;
    assert_eq!(names, [Some("ACME".to_owned())]);
    client
        .batch_execute(&format!(
            r#"UPDATE crm2025 SET data = data || '{{"revenue":20}}' WHERE id = '{id}'"#
        ))
        .await
        .unwrap();
    let sums = client
        .query("SELECT data->>'type' AS t, sum((data->>'revenue')::int) AS s FROM crm2025 GROUP BY 1 ORDER BY 1", &[])
        .await
        .unwrap();
    let sums: Vec<(String, i64)> = sums.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(
        sums,
        [("customer".to_owned(), 20), ("vendor".to_owned(), 5)]
    );
    let data: serde_json::Value = client
        .query_one("SELECT data FROM crm2025 WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    assert_eq!(data["revenue"], 20);
    let deleted = client
        .execute("DELETE FROM crm2025 WHERE id = $1", &[&id])
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "1");
}

#[tokio::test]
async fn jsonb_set_and_operators_work_in_both_protocols() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"contact":{"email":"x@y"},"tags":["a","b"],"n":1}')"#)
        .await
        .unwrap();
    client
        .batch_execute(r#"UPDATE crm2025 SET data = jsonb_set(data, '{contact,email}', '"new@y"') WHERE id = 'a'"#)
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT data->'contact'->>'email' FROM crm2025").await,
        "new@y"
    );
    assert_eq!(
        one(&client, "SELECT data #>> '{contact,email}' FROM crm2025").await,
        "new@y"
    );
    assert_eq!(
        one(
            &client,
            r#"SELECT count(*) FROM crm2025 WHERE data @> '{"n":1}'"#
        )
        .await,
        "1"
    );
    assert_eq!(
        one(&client, "SELECT count(*) FROM crm2025 WHERE data ? 'tags'").await,
        "1"
    );
    let row = client
        .query_one(
            "SELECT data->'contact', (data->>'n')::int FROM crm2025 WHERE data->>'n' = $1",
            &[&"1"],
        )
        .await
        .unwrap();
    let contact: serde_json::Value = row.get(0);
    let n: i32 = row.get(1);
    assert_eq!((contact["email"].as_str(), n), (Some("new@y"), 1));
}

#[tokio::test]
async fn rows_under_keys_a_session_lacks_are_invisible_and_counted() {
    let (server, owner, _token) = keyed(&["crm2025"]).await;
    owner
        .batch_execute(
            r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"x":1}'), ('b', '{"x":2}')"#,
        )
        .await
        .unwrap();
    let stranger = server.connect().await;
    assert_eq!(one(&stranger, "SELECT count(*) FROM crm2025").await, "0");
    assert_eq!(one(&stranger, "SELECT mindoo.locked('crm2025')").await, "2");
    assert_eq!(
        code(
            &stranger,
            r#"INSERT INTO crm2025 (data) VALUES ('{"x":3}')"#
        )
        .await,
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    assert_eq!(
        one(&stranger, "SELECT 1").await,
        "1",
        "the connection stays usable"
    );
}

#[tokio::test]
async fn a_forged_key_is_refused_and_a_fresh_client_key_registers() {
    let (server, _owner, token) = keyed(&["crm2025"]).await;
    let client = server.connect().await;
    // Same name and version, other bytes: the registered check value refuses it.
    let forged = format!(
        "{}{}",
        &token[..token.len() - 4],
        if token.ends_with("AAAA") {
            "BBBB"
        } else {
            "AAAA"
        }
    );
    assert_eq!(
        code(&client, &format!("SET mindoo.keys = '{forged}'")).await,
        SqlState::INVALID_PASSWORD
    );
    // A key made elsewhere (here: a name the server never saw) just works.
    let hr =
        mindoodb_protocol::DataKey::generate(mindoodb_protocol::KeyName::new("hr").unwrap(), 1)
            .unwrap();
    client
        .batch_execute(&format!("SET mindoo.keys = '{}'", hr.token().as_str()))
        .await
        .unwrap();
    client
        .batch_execute(
            r#"INSERT INTO crm2025 (id, data, key_id) VALUES ('h', '{"salary":1}', 'hr')"#,
        )
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT key_id FROM crm2025 WHERE id = 'h'").await,
        "hr"
    );
}

#[tokio::test]
async fn rotation_keeps_old_documents_readable_and_seals_new_ones_with_the_new_version() {
    let (server, client, v1) = keyed(&["crm2025"]).await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('old', '{"v":1}')"#)
        .await
        .unwrap();
    let v2 = one(&client, "SELECT mindoo.rotate_key('default')").await;
    assert!(v2.starts_with("mdbk1.default.2."), "{v2}");
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('new', '{"v":2}')"#)
        .await
        .unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "2");
    let only_v1 = server.connect().await;
    only_v1
        .batch_execute(&format!("SET mindoo.keys = '{v1}'"))
        .await
        .unwrap();
    assert_eq!(
        column(&only_v1, "SELECT id FROM crm2025").await,
        [Some("old".to_owned())]
    );
    assert_eq!(one(&only_v1, "SELECT mindoo.locked('crm2025')").await, "1");
}

#[tokio::test]
async fn rollback_leaves_nothing_and_commit_is_atomic() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client.batch_execute("BEGIN").await.unwrap();
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"x":1}')"#)
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT count(*) FROM crm2025").await,
        "1",
        "reads see own writes"
    );
    client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "0");

    client.batch_execute("BEGIN").await.unwrap();
    client
        .batch_execute(
            r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"x":1}'), ('b', '{"x":2}')"#,
        )
        .await
        .unwrap();
    client
        .batch_execute(r#"UPDATE crm2025 SET data = data || '{"y":1}' WHERE id = 'a'"#)
        .await
        .unwrap();
    client.batch_execute("COMMIT").await.unwrap();
    assert_eq!(
        one(&client, "SELECT data->>'y' FROM crm2025 WHERE id = 'a'").await,
        "1"
    );

    // An error inside a block aborts it; COMMIT then rolls back.
    client.batch_execute("BEGIN").await.unwrap();
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('c', '{"x":3}')"#)
        .await
        .unwrap();
    assert_eq!(
        code(&client, "SELECT * FROM nosuchtable").await,
        SqlState::UNDEFINED_TABLE
    );
    assert_eq!(
        code(&client, "SELECT 1").await,
        SqlState::IN_FAILED_SQL_TRANSACTION
    );
    client.batch_execute("COMMIT").await.unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "2");
}

#[tokio::test]
async fn racing_updates_of_one_document_fail_one_side_with_40001() {
    let (server, first, token) = keyed(&["crm2025"]).await;
    first
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"n":0}')"#)
        .await
        .unwrap();
    let second = server.connect().await;
    second
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    first.batch_execute("BEGIN").await.unwrap();
    second.batch_execute("BEGIN").await.unwrap();
    first
        .batch_execute(r#"UPDATE crm2025 SET data = '{"n":1}' WHERE id = 'a'"#)
        .await
        .unwrap();
    second
        .batch_execute(r#"UPDATE crm2025 SET data = '{"n":2}' WHERE id = 'a'"#)
        .await
        .unwrap();
    first.batch_execute("COMMIT").await.unwrap();
    let err = second
        .batch_execute("COMMIT")
        .await
        .expect_err("the second commit conflicts");
    assert_eq!(err.code(), Some(&SqlState::T_R_SERIALIZATION_FAILURE));
    assert_eq!(one(&second, "SELECT data->>'n' FROM crm2025").await, "1");
}

#[tokio::test]
async fn optimistic_concurrency_with_where_rev() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"n":0}')"#)
        .await
        .unwrap();
    let rev: String = client
        .query_one("SELECT rev FROM crm2025 WHERE id = 'a'", &[])
        .await
        .unwrap()
        .get(0);
    let hit = client
        .execute(
            r#"UPDATE crm2025 SET data = '{"n":1}' WHERE id = 'a' AND rev = $1"#,
            &[&rev],
        )
        .await
        .unwrap();
    let miss = client
        .execute(
            r#"UPDATE crm2025 SET data = '{"n":2}' WHERE id = 'a' AND rev = $1"#,
            &[&rev],
        )
        .await
        .unwrap();
    assert_eq!((hit, miss), (1, 0));
}

#[tokio::test]
async fn bad_input_gets_sqlstates_and_the_connection_carries_on() {
    let (_server, client, _token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{}')"#)
        .await
        .unwrap();
    assert_eq!(
        code(&client, "INSERT INTO crm2025 (data) VALUES ('{not json')").await,
        SqlState::INVALID_TEXT_REPRESENTATION
    );
    assert_eq!(
        code(
            &client,
            r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{}')"#
        )
        .await,
        SqlState::UNIQUE_VIOLATION
    );
    assert_eq!(
        code(&client, "SELECT * FROM nope").await,
        SqlState::UNDEFINED_TABLE
    );
    assert_eq!(code(&client, "SELEC 1").await, SqlState::SYNTAX_ERROR);
    assert_eq!(
        code(&client, "CREATE TABLE crm2025 ()").await,
        SqlState::DUPLICATE_TABLE
    );
    assert_eq!(one(&client, "SELECT count(*) FROM crm2025").await, "1");
}

#[tokio::test]
async fn restart_keeps_everything_and_no_secret_reaches_disk_or_log() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    let canary = "PLAINTEXT-CANARY-31337";
    client
        .batch_execute(&format!(
            r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{{"note":"{canary}"}}')"#
        ))
        .await
        .unwrap();
    let passphrase = "a passphrase that must not leak";
    one(
        &client,
        &format!("SELECT mindoo.create_key('finance', '{passphrase}')"),
    )
    .await;
    drop(client);
    let server = server.restart();
    let client = server.connect().await;
    assert_eq!(
        one(&client, "SELECT count(*) FROM crm2025").await,
        "0",
        "keys died with the session"
    );
    client
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT data->>'note' FROM crm2025").await,
        canary
    );
    assert_eq!(
        one(
            &client,
            &format!("SELECT mindoo.unlock('finance', '{passphrase}')")
        )
        .await,
        "finance.1"
    );

    let secret = token.rsplit('.').next().unwrap().to_owned();
    let log = server.output();
    for needle in [secret.as_str(), canary, passphrase] {
        assert!(!log.contains(needle), "the log contains a secret");
    }
    for file in files_in(server.data_dir()) {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [secret.as_bytes(), canary.as_bytes(), passphrase.as_bytes()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds a secret",
                file.display()
            );
        }
    }
}
