//! Bounded memory (issue 20): results stream to the client as they are produced, portals
//! fetched in pages resume without running the query again, and statement_timeout, cancel
//! requests and max_connections stop work with PostgreSQL's SQLSTATEs while the session
//! carries on.

use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::{SinkExt, StreamExt, pin_mut};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use crate::support::{Options, PASSWORD, TestServer, USER, code, column, expect_err, keyed, one};

/// Documents in the paging test: several portal pages and several scan batches.
const PAGED_DOCS: usize = 2500;

/// A statement that runs for minutes unless something stops it.
const ENDLESS: &str = "SELECT count(*) FROM generate_series(1, 10000000000)";

#[tokio::test]
async fn a_portal_fetched_in_pages_returns_exactly_the_rows_of_the_whole_query() {
    let (_server, mut client, _) = keyed(&["paged"]).await;
    let values: Vec<String> = (0..PAGED_DOCS)
        .map(|i| format!(r#"('p{i:05}', '{{"n":{i}}}')"#))
        .collect();
    client
        .batch_execute(&format!(
            "INSERT INTO paged (id, data) VALUES {}",
            values.join(", ")
        ))
        .await
        .unwrap();
    let sql = "SELECT id, (data->>'n')::int AS n FROM paged WHERE (data->>'n')::int % 3 <> 1";
    let whole: Vec<(String, i32)> = client
        .query(sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(whole.len(), PAGED_DOCS - PAGED_DOCS.div_ceil(3) + 1);

    let txn = client.transaction().await.unwrap();
    let statement = txn.prepare(sql).await.unwrap();
    let portal = txn.bind(&statement, &[]).await.unwrap();
    let mut paged = Vec::new();
    let mut pages = 0;
    loop {
        let page = txn.query_portal(&portal, 333).await.unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 333);
        paged.extend(page.iter().map(|row| (row.get::<_, String>(0), row.get(1))));
        pages += 1;
        if pages == 2 {
            // Writes of the same transaction after the portal opened are not its rows: the
            // portal reads the snapshot its statement took.
            txn.batch_execute(
                r#"INSERT INTO paged (id, data) VALUES ('zzz', '{"n":0}');
                   DELETE FROM paged WHERE id = 'p02499'"#,
            )
            .await
            .unwrap();
        }
    }
    assert!(pages > 3, "{pages} pages");
    // Without ORDER BY the order is the plan's: DataFusion may split the filter over both
    // cores, so two runs of the query can interleave their batches differently.
    let (mut paged, mut whole) = (paged, whole);
    paged.sort();
    whole.sort();
    assert_eq!(paged, whole, "the pages are the whole query's rows");
    txn.rollback().await.unwrap();
    assert_eq!(
        one(&client, "SELECT count(*) FROM paged").await,
        PAGED_DOCS.to_string()
    );
}

#[tokio::test]
async fn statement_timeout_ends_long_statements_and_streams_with_57014() {
    let (_server, client, _) = keyed(&[]).await;
    client
        .batch_execute("SET statement_timeout = '200ms'")
        .await
        .unwrap();
    let err = client
        .simple_query(ENDLESS)
        .await
        .expect_err("an endless count");
    assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED), "{err}");
    assert_eq!(
        err.as_db_error().unwrap().message(),
        "canceling statement due to statement timeout"
    );
    // A result that streams for longer than the timeout ends with the error after its rows.
    let err = client
        .query("SELECT * FROM generate_series(1, 1000000000)", &[])
        .await
        .expect_err("an endless result");
    assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED), "{err}");
    assert_eq!(
        one(&client, "SELECT 1").await,
        "1",
        "the session carries on"
    );

    // Inside a block the timeout fails the block, as any error does.
    client.batch_execute("BEGIN").await.unwrap();
    assert_eq!(code(&client, ENDLESS).await, SqlState::QUERY_CANCELED);
    assert_eq!(
        code(&client, "SELECT 1").await,
        SqlState::IN_FAILED_SQL_TRANSACTION
    );
    client.batch_execute("ROLLBACK").await.unwrap();

    client
        .batch_execute("SET statement_timeout = 0")
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT count(*) FROM generate_series(1, 100000)").await,
        "100000"
    );
}

#[tokio::test]
async fn a_cancel_request_ends_the_running_statement_with_57014() {
    let (_server, client, _) = keyed(&[]).await;
    let client = Arc::new(client);
    let token = client.cancel_token();
    let running = {
        let client = client.clone();
        tokio::spawn(async move { client.simple_query(ENDLESS).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    token.cancel_query(NoTls).await.unwrap();
    let err = running.await.unwrap().expect_err("a cancelled count");
    assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED), "{err}");
    assert_eq!(
        err.as_db_error().unwrap().message(),
        "canceling statement due to user request"
    );

    // A streaming result cancelled after its first rows.
    let rows = client
        .query_raw(
            "SELECT * FROM generate_series(1, 1000000000)",
            Vec::<i64>::new(),
        )
        .await
        .unwrap();
    pin_mut!(rows);
    for _ in 0..10 {
        rows.next().await.unwrap().unwrap();
    }
    token.cancel_query(NoTls).await.unwrap();
    let mut end = None;
    while let Some(row) = rows.next().await {
        if let Err(err) = row {
            end = Some(err);
            break;
        }
    }
    let err = end.expect("the stream ends with an error");
    assert_eq!(err.code(), Some(&SqlState::QUERY_CANCELED), "{err}");
    assert_eq!(
        one(&client, "SELECT 2").await,
        "2",
        "the session carries on"
    );
}

#[tokio::test]
async fn max_connections_refuses_the_next_connection_with_53300() {
    let server = TestServer::start_with(Options::default().with_args(&["--max-connections", "2"]));
    let first = server.connect().await;
    let second = server.connect().await;
    let err = expect_err(
        server.connect_as(USER, PASSWORD, USER).await,
        "a third connection",
    );
    assert_eq!(err.code(), Some(&SqlState::TOO_MANY_CONNECTIONS), "{err}");
    assert_eq!(
        err.as_db_error().unwrap().message(),
        "sorry, too many clients already"
    );
    assert_eq!(one(&first, "SELECT 1").await, "1");
    drop(second);
    // The slot is free once the server has seen the client leave.
    let mut third = None;
    for _ in 0..100 {
        if let Ok(client) = server.connect_as(USER, PASSWORD, USER).await {
            third = Some(client);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let third = third.expect("a connection once one closed");
    assert_eq!(one(&third, "SELECT 3").await, "3");
}

/// Documents of about 1 KiB in the slow-reader test, and the copies of `data` each row has.
const BIG_DOCS: usize = 30_000;
const COPIES: usize = 6;

#[tokio::test]
async fn a_slow_reader_does_not_grow_the_server_beyond_a_bound() {
    let (server, client, token) = keyed(&["big"]).await;
    let pad = "x".repeat(1000);
    for chunk in 0..BIG_DOCS / 5000 {
        let lines: String = (chunk * 5000..(chunk + 1) * 5000)
            .map(|i| format!("b{i:06}\t{{\"i\":{i},\"pad\":\"{pad}\"}}\n"))
            .collect();
        let sink = client
            .copy_in("COPY big (id, data) FROM STDIN")
            .await
            .unwrap();
        pin_mut!(sink);
        sink.send(Cursor::new(Bytes::from(lines))).await.unwrap();
        assert_eq!(sink.finish().await.unwrap(), 5000);
    }
    drop(client);
    // A fresh process, so its peak memory is the read's alone.
    let server = server.restart();
    let client = server.connect_keyed(&token).await;
    assert_eq!(
        one(&client, "SELECT count(*) FROM big").await,
        BIG_DOCS.to_string()
    );
    let before = server.peak_rss_kib();

    let columns = ["data->>'pad'"; COPIES].join(", ");
    let rows = client
        .query_raw(&format!("SELECT id, {columns} FROM big"), Vec::<i64>::new())
        .await
        .unwrap();
    pin_mut!(rows);
    let (mut n, mut bytes) = (0usize, 0usize);
    while let Some(row) = rows.next().await {
        let row = row.unwrap();
        bytes += (1..=COPIES)
            .map(|i| row.get::<_, &str>(i).len())
            .sum::<usize>();
        n += 1;
        if n % 1000 == 0 {
            // A slow client: the server must wait for it, not buffer the result.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(n, BIG_DOCS);
    let grown_mib = server.peak_rss_kib().saturating_sub(before) / 1024;
    let result_mib = bytes / (1024 * 1024);
    println!(
        "slow reader: {result_mib} MiB of rows read; the server's peak resident memory grew by {grown_mib} MiB"
    );
    assert!(result_mib > 150, "the result is large: {result_mib} MiB");
    // Generous (about 25 MiB measured): batches in flight and the block cache; holding the
    // result would add more than the result itself.
    assert!(
        grown_mib < 64,
        "the server's peak memory grew by {grown_mib} MiB for a {result_mib} MiB result"
    );
    assert_eq!(column(&client, "SELECT 1").await, [Some("1".to_owned())]);
}

#[tokio::test]
async fn a_statement_past_its_memory_budget_fails_with_53200_and_nothing_spills() {
    let server =
        TestServer::start_with(Options::default().with_args(&["--statement-memory-mb", "8"]));
    let client = server.connect().await;
    for sql in [
        "SELECT count(*) FROM (SELECT value % 1000000 AS k, count(*) FROM generate_series(1, 3000000) GROUP BY 1) s",
        "SELECT value FROM generate_series(1, 3000000) ORDER BY value DESC OFFSET 2999999",
    ] {
        assert_eq!(code(&client, sql).await, SqlState::OUT_OF_MEMORY, "{sql}");
    }
    assert_eq!(
        one(
            &client,
            "SELECT count(*) FROM (SELECT value % 10 AS k FROM generate_series(1, 300000) GROUP BY 1) s"
        )
        .await,
        "10",
        "statements within the budget run, in the same session"
    );
    // Past its budget a sort fails instead of writing decrypted rows to temporary files.
    let err = client
        .simple_query("SELECT value FROM generate_series(1, 3000000) ORDER BY value DESC")
        .await
        .map(|_| ())
        .expect_err("a sort past the budget");
    let message = err.as_db_error().unwrap().message();
    assert!(message.contains("DiskManager is disabled"), "{message}");
}

#[tokio::test]
async fn a_session_idle_in_a_block_past_its_timeout_ends_with_25p03() {
    let server = TestServer::start();
    let mut config = server.config(USER, PASSWORD, USER);
    config.ssl_mode(tokio_postgres::config::SslMode::Disable);
    let (client, connection) = config.connect(NoTls).await.unwrap();
    let connection = tokio::spawn(connection);
    client
        .batch_execute("SET idle_in_transaction_session_timeout = '300ms'")
        .await
        .unwrap();
    // Idle outside a block: nothing happens.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(one(&client, "SELECT 1").await, "1");
    client.batch_execute("BEGIN").await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let err = connection
        .await
        .unwrap()
        .expect_err("the server ends the connection");
    assert_eq!(
        err.code(),
        Some(&SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT),
        "{err}"
    );
    assert!(client.simple_query("SELECT 1").await.is_err());
    // Other sessions are untouched.
    assert_eq!(one(&server.connect().await, "SELECT 2").await, "2");
}
