//! Statement-level behaviour on the wire: a failing statement reports its SQLSTATE and the
//! connection stays usable (also inside a transaction block), and CancelRequest stops a
//! running query with 57014.

use std::time::{Duration, Instant};

use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use crate::support::{TestServer, expect_err};

#[tokio::test]
async fn bad_statement_reports_an_error_and_the_connection_stays_usable() {
    let server = TestServer::start();
    let client = server.connect().await;

    let err = expect_err(client.simple_query("SELEC 1").await, "a syntax error");
    assert_eq!(err.code(), Some(&SqlState::SYNTAX_ERROR), "{err}");
    client
        .simple_query("SELECT 1")
        .await
        .expect("usable after a simple-protocol error");

    let err = expect_err(
        client.query("SELECT * FROM no_such_table", &[]).await,
        "an unknown table",
    );
    assert_eq!(err.code(), Some(&SqlState::UNDEFINED_TABLE), "{err}");
    client
        .query("SELECT 1", &[])
        .await
        .expect("usable after an extended-protocol error");
}

#[tokio::test]
async fn error_in_a_transaction_block_needs_rollback() {
    let server = TestServer::start();
    let client = server.connect().await;
    client.simple_query("BEGIN").await.expect("BEGIN");
    expect_err(
        client.simple_query("SELECT * FROM no_such_table").await,
        "an error inside the block",
    );
    let err = expect_err(
        client.simple_query("SELECT 1").await,
        "statements are refused until ROLLBACK",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::IN_FAILED_SQL_TRANSACTION),
        "{err}"
    );
    client.simple_query("ROLLBACK").await.expect("ROLLBACK");
    client
        .simple_query("SELECT 1")
        .await
        .expect("usable after ROLLBACK");
}

#[tokio::test]
async fn cancel_request_stops_a_running_query() {
    let server = TestServer::start();
    let client = server.connect().await;
    let cancel = client.cancel_token();
    let started = Instant::now();
    let query = tokio::spawn(async move {
        client
            .simple_query("SELECT count(*) FROM generate_series(1, 20000000000)")
            .await
    });
    // A cancel that arrives before the query starts is a no-op, so repeat it until the
    // query ends (bounded).
    while !query.is_finished() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "query was not cancelled"
        );
        cancel
            .cancel_query(NoTls)
            .await
            .expect("send CancelRequest");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let err = expect_err(query.await.expect("query task"), "a cancelled query fails");
    assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED), "{err}");
}
