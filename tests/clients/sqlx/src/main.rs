//! sqlx (Rust) against MindooDB (issue 5), run by `tests/clients/run.py` as the "sqlx" script.
//!
//! sqlx prepares named statements with typed parameters (text, jsonb) and asks for binary
//! results; `Transaction` follows ReadyForQuery's status (`begin` fails unless it is `T`);
//! jsonb decodes into `serde_json::Value`; `PgListener` receives `LISTEN mindoo_changes` while
//! it sits idle; TLS runs with `sslmode=verify-full` against the test CA.
//!
//! Invariants:
//! - Where to connect comes only from run.py's `MDB_*` environment variables.
//! - Every check panics (exit code non-zero) on a wrong answer; success prints `sqlx ok`.

use std::env;
use std::error::Error;
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgListener, PgPoolOptions, PgSslMode};
use sqlx::{AssertSqlSafe, Column, Connection, Executor, Row};

/// Long enough for a loaded CI machine; a passing run never waits for it.
const PATIENCE: Duration = Duration::from_secs(60);

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

fn var(name: &str) -> Result<String> {
    env::var(name).map_err(|err| format!("{name}: {err}").into())
}

/// Plain TCP over loopback, authenticated with SCRAM.
fn options() -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::new()
        .host(&var("MDB_HOST")?)
        .port(var("MDB_PORT")?.parse()?)
        .username(&var("MDB_USER")?)
        .password(&var("MDB_PASSWORD")?)
        .database(&var("MDB_DB")?)
        .ssl_mode(PgSslMode::Disable))
}

async fn run() -> Result<()> {
    let mut conn = PgConnection::connect_with(&options()?).await?;
    let token: String = sqlx::query_scalar("SELECT mindoo.create_key('default') AS token")
        .fetch_one(&mut conn)
        .await?;
    conn.execute("CREATE TABLE docs ()").await?;
    let inserted = sqlx::query("INSERT INTO docs (id, data) VALUES ($1, $2), ($3, $4)")
        .bind("acme")
        .bind(json!({"name": "ACME", "n": 1}))
        .bind("globex")
        .bind(json!({"name": "Globex", "n": 2}))
        .execute(&mut conn)
        .await?;
    assert_eq!(inserted.rows_affected(), 2);

    // Select by a JSON field; jsonb arrives as serde_json::Value.
    let found = sqlx::query("SELECT id, data FROM docs WHERE data->>$1 = $2")
        .bind("name")
        .bind("Globex")
        .fetch_all(&mut conn)
        .await?;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].try_get::<String, _>("id")?, "globex");
    assert_eq!(
        found[0].try_get::<Value, _>("data")?,
        json!({"name": "Globex", "n": 2})
    );
    // The statement cache reuses the named statement; `persistent(false)` is the unnamed one.
    for (id, name) in [("acme", "ACME"), ("globex", "Globex"), ("acme", "ACME")] {
        for persistent in [true, false] {
            let data: Value = sqlx::query_scalar("SELECT data FROM docs WHERE id = $1")
                .bind(id)
                .persistent(persistent)
                .fetch_one(&mut conn)
                .await?;
            assert_eq!(data["name"], name);
        }
    }
    let count = sqlx::query("SELECT count(*) FROM docs")
        .fetch_one(&mut conn)
        .await?;
    assert_eq!(count.columns()[0].name(), "count");
    assert_eq!(count.try_get::<i64, _>(0)?, 2);

    check_transactions(&mut conn).await?;
    check_error(&mut conn).await?;
    check_listen(&mut conn).await?;
    conn.close().await?;

    // TLS with a verified certificate: verify-full fails rather than fall back to plain TCP.
    let tls_options = options()?
        .host(&var("MDB_TLS_HOST")?)
        .ssl_mode(PgSslMode::VerifyFull)
        .ssl_root_cert(var("MDB_CA")?);
    let mut tls = PgConnection::connect_with(&tls_options).await?;
    tls.execute(sqlx::raw_sql(AssertSqlSafe(format!(
        "SET mindoo.keys = '{token}'"
    ))))
    .await?;
    let over_tls: Value = sqlx::query_scalar("SELECT data FROM docs WHERE id = $1")
        .bind("acme")
        .fetch_one(&mut tls)
        .await?;
    assert_eq!(over_tls, json!({"name": "ACME", "n": 1}));
    tls.close().await?;
    println!("sqlx ok");
    Ok(())
}

/// A rolled-back and a committed transaction, through sqlx's `Transaction`.
async fn check_transactions(conn: &mut PgConnection) -> Result<()> {
    let mut tx = conn.begin().await?;
    assert!(tx.is_in_transaction());
    sqlx::query("INSERT INTO docs (id, data) VALUES ($1, $2)")
        .bind("gone")
        .bind(json!({}))
        .execute(&mut *tx)
        .await?;
    tx.rollback().await?;
    assert!(!conn.is_in_transaction());

    let mut tx = conn.begin().await?;
    sqlx::query("INSERT INTO docs (id, data) VALUES ($1, $2)")
        .bind("kept")
        .bind(json!({}))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    assert!(!conn.is_in_transaction());
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM docs ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    assert_eq!(ids, ["acme", "globex", "kept"]);
    Ok(())
}

/// An error inside a transaction, rolled back, then working statements on the same connection.
async fn check_error(conn: &mut PgConnection) -> Result<()> {
    let mut tx = conn.begin().await?;
    let err = sqlx::query("SELECT * FROM nosuch")
        .fetch_all(&mut *tx)
        .await
        .expect_err("nosuch is no table");
    let code = err.as_database_error().and_then(|db| db.code());
    assert_eq!(code.as_deref(), Some("42P01"), "{err}");
    tx.rollback().await?;
    assert!(!conn.is_in_transaction());
    let word: String = sqlx::query_scalar("SELECT 'works' AS word")
        .fetch_one(&mut *conn)
        .await?;
    assert_eq!(word, "works");
    // Several statements in one simple query.
    let rows = sqlx::raw_sql("SELECT 'a' AS a; SELECT 'b' AS b")
        .fetch_all(&mut *conn)
        .await?;
    assert_eq!(rows.len(), 2);
    Ok(())
}

/// `LISTEN mindoo_changes` on a second connection, which then only waits: every commit of the
/// writer reaches it as a `table:seq` notification from pid 0 (the server).
async fn check_listen(writer: &mut PgConnection) -> Result<()> {
    writer.execute("CREATE TABLE events ()").await?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options()?)
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen("mindoo_changes").await?;
    for id in ["e1", "e2"] {
        sqlx::query("INSERT INTO events (id, data) VALUES ($1, $2)")
            .bind(id)
            .bind(json!({}))
            .execute(&mut *writer)
            .await?;
    }
    let mut payloads = Vec::new();
    while payloads.last().map(String::as_str) != Some("events:2") {
        let note = tokio::time::timeout(PATIENCE, listener.recv())
            .await
            .map_err(|_| format!("notifications: {payloads:?}"))??;
        assert_eq!(note.channel(), "mindoo_changes");
        assert_eq!(note.process_id(), 0);
        payloads.push(note.payload().to_owned());
    }
    assert!(
        payloads.iter().all(|p| p.starts_with("events:")),
        "payloads {payloads:?}"
    );
    // Pool::close waits for the listener's connection to come back.
    drop(listener);
    pool.close().await;
    Ok(())
}
