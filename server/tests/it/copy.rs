//! COPY of documents in text and CSV (issue 5) next to the binary COPY of sealed entries
//! (issue 4, `feeds.rs`), through one COPY mechanism: what COPY TO writes COPY FROM reads back,
//! a bad row writes nothing and names its line, rows copied inside a transaction block commit
//! or roll back with it, and the options each format refuses are refused before any data.

use std::io::Cursor;

use futures::{SinkExt, TryStreamExt, pin_mut};
use serde_json::{Value, json};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::support::{code, expect_err, keyed};

/// `COPY ... FROM STDIN` of `data` in one CopyData message; the `COPY n` count.
async fn copy_in(client: &Client, sql: &str, data: &str) -> Result<u64, tokio_postgres::Error> {
    let sink = client.copy_in(sql).await?;
    pin_mut!(sink);
    sink.send(Cursor::new(data.as_bytes().to_vec())).await?;
    sink.finish().await
}

/// Everything `COPY ... TO STDOUT` writes, as text.
async fn copy_out(client: &Client, sql: &str) -> String {
    let stream = client.copy_out(sql).await.unwrap();
    let chunks: Vec<_> = stream.try_collect().await.unwrap();
    chunks
        .iter()
        .map(|chunk| String::from_utf8(chunk.to_vec()).unwrap())
        .collect()
}

async fn documents(client: &Client, table: &str) -> Vec<(String, Value)> {
    client
        .query(&format!("SELECT id, data FROM {table} ORDER BY id"), &[])
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

#[tokio::test]
async fn text_and_csv_copy_documents_both_ways() {
    let (_server, client, _) = keyed(&["src", "dst"]).await;
    let text = "a\t{\"s\": \"tab\\\\tand\\\\\\\\backslash\"}\nb\t{\"n\": 2}\n";
    assert_eq!(
        copy_in(&client, "COPY src FROM STDIN", text).await.unwrap(),
        2
    );
    let expected = vec![
        ("a".to_owned(), json!({"s": "tab\tand\\backslash"})),
        ("b".to_owned(), json!({"n": 2})),
    ];
    assert_eq!(documents(&client, "src").await, expected);

    // Text out, text in: the same documents.
    let written = copy_out(&client, "COPY src TO STDOUT").await;
    assert_eq!(
        copy_in(&client, "COPY dst FROM STDIN", &written)
            .await
            .unwrap(),
        2
    );
    assert_eq!(documents(&client, "dst").await, expected);

    // CSV with a header, named columns and a key_id column.
    let csv = copy_out(
        &client,
        "COPY (SELECT id, data, key_id FROM src ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)",
    )
    .await;
    assert!(csv.starts_with("id,data,key_id\na,"), "{csv}");
    client
        .batch_execute("CREATE TABLE from_csv ()")
        .await
        .unwrap();
    assert_eq!(
        copy_in(
            &client,
            "COPY from_csv (id, data, key_id) FROM STDIN CSV HEADER",
            &csv
        )
        .await
        .unwrap(),
        2
    );
    assert_eq!(documents(&client, "from_csv").await, expected);
}

#[tokio::test]
async fn a_bad_row_writes_nothing() {
    let (_server, client, _) = keyed(&["docs"]).await;
    let err = expect_err(
        copy_in(&client, "COPY docs FROM STDIN", "a\t{}\nb\t{}\textra\n").await,
        "a row with three fields",
    );
    assert_eq!(err.code(), Some(&SqlState::BAD_COPY_FILE_FORMAT), "{err}");
    let message = err.as_db_error().map(|db| db.message().to_owned());
    assert!(
        message.as_ref().is_some_and(|m| m.contains("line 2")),
        "{message:?}"
    );
    let err = expect_err(
        copy_in(&client, "COPY docs FROM STDIN", "a\t{}\nb\t{oops\n").await,
        "a row that is not JSON",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_TEXT_REPRESENTATION),
        "{err}"
    );
    let err = expect_err(
        copy_in(&client, "COPY docs FROM STDIN", "a\t{}\na\t{}\n").await,
        "a duplicate id",
    );
    assert_eq!(err.code(), Some(&SqlState::UNIQUE_VIOLATION), "{err}");
    assert!(documents(&client, "docs").await.is_empty());
    // The connection is still usable.
    assert_eq!(
        copy_in(&client, "COPY docs FROM STDIN", "a\t{}\n")
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn copy_in_a_block_commits_or_rolls_back_with_it() {
    let (_server, client, _) = keyed(&["docs"]).await;
    client.batch_execute("BEGIN").await.unwrap();
    assert_eq!(
        copy_in(&client, "COPY docs FROM STDIN", "gone\t{}\n")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        documents(&client, "docs").await.len(),
        1,
        "the block sees its rows"
    );
    client.batch_execute("ROLLBACK").await.unwrap();
    assert!(documents(&client, "docs").await.is_empty());

    client.batch_execute("BEGIN").await.unwrap();
    copy_in(&client, "COPY docs FROM STDIN", "kept\t{}\n")
        .await
        .unwrap();
    client.batch_execute("COMMIT").await.unwrap();
    assert_eq!(
        documents(&client, "docs").await,
        [("kept".to_owned(), json!({}))]
    );

    // A failed COPY fails the block, as any failed statement does.
    client.batch_execute("BEGIN").await.unwrap();
    expect_err(
        copy_in(&client, "COPY docs FROM STDIN", "x\t{oops\n").await,
        "bad JSON in a block",
    );
    assert_eq!(
        code(&client, "SELECT 1").await,
        SqlState::IN_FAILED_SQL_TRANSACTION
    );
    client.batch_execute("ROLLBACK").await.unwrap();
}

#[tokio::test]
async fn each_format_refuses_what_it_cannot_carry() {
    let (_server, client, _) = keyed(&["docs"]).await;
    let cases = [
        // Binary rows are sealed entries, never documents or their options.
        (
            "COPY docs TO STDOUT (FORMAT binary)",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        (
            "COPY docs FROM STDIN (FORMAT binary, HEADER)",
            SqlState::SYNTAX_ERROR,
        ),
        (
            "COPY docs FROM STDIN (FORMAT binary, DELIMITER ',')",
            SqlState::SYNTAX_ERROR,
        ),
        (
            "COPY docs (id, data) FROM STDIN BINARY",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        // Text and CSV fill documents: generated columns cannot be copied into.
        (
            "COPY docs (id, seq) FROM STDIN",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        (
            "COPY docs FROM STDIN (FORMAT text, HEADER)",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        ("COPY nosuch FROM STDIN", SqlState::UNDEFINED_TABLE),
        (
            "COPY nosuch FROM STDIN (FORMAT binary)",
            SqlState::UNDEFINED_TABLE,
        ),
        (
            "COPY docs FROM '/etc/passwd'",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        // Nothing may follow COPY FROM STDIN in its query string: neither a statement, which
        // would run before the COPY's data arrived, nor inline data.
        (
            "COPY docs FROM STDIN; SELECT 1",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        (
            "COPY docs FROM STDIN;\nSELECT 1\n",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
        (
            "COPY docs FROM STDIN;\na\t{}\n\\.\n",
            SqlState::FEATURE_NOT_SUPPORTED,
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(code(&client, sql).await, expected, "{sql}");
    }
    assert!(documents(&client, "docs").await.is_empty());
    let err = expect_err(
        client.execute("COPY docs FROM STDIN; SELECT 1", &[]).await,
        "preparing COPY FROM STDIN with a statement after it",
    );
    assert_eq!(err.code(), Some(&SqlState::FEATURE_NOT_SUPPORTED), "{err}");
    // Whitespace and comments after the COPY are not statements.
    assert_eq!(
        copy_in(
            &client,
            "COPY docs FROM STDIN; -- the data follows\n",
            "a\t{}\n"
        )
        .await
        .unwrap(),
        1
    );
}
