//! W1–W7: the same workloads on either system, spelled in each system's SQL, each returning one
//! number per run (a rate or a duration).
//!
//! Invariants:
//! - Both systems get the same documents, ids, statement shapes and client count, through the
//!   same client (tokio-postgres, prepared statements). Documents travel as text cast to jsonb
//!   (`$n::text::jsonb`), which is what PostgreSQL's own jsonb input does with them anyway.
//! - Connections are opened before the clock starts; only the work is timed.
//! - A serialization failure (40001) is retried and counted, never treated as done work.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

use crate::error::{Error, Result};
use crate::system::{Kind, System};

/// Rows per multi-row INSERT in bulk loads.
const BULK_ROWS: usize = 500;
/// Rows per page of a change-feed catch-up.
const FEED_PAGE: i64 = 10_000;

/// A `size`-byte-ish JSON document, the same for both systems, with a group key `k` (100
/// groups) and a number `v`. No backslashes or tabs, so it is also a valid COPY text field.
pub(crate) fn document(i: u64, size: usize) -> Value {
    let mut doc =
        json!({"k": format!("k{}", i % 100), "v": i % 1000, "name": format!("customer {i}")});
    // `,"pad":""` is 10 bytes.
    let pad = size.saturating_sub(doc.to_string().len() + 10);
    doc["pad"] = Value::String("x".repeat(pad));
    doc
}

/// The id of document `i`.
pub(crate) fn doc_id(i: u64) -> String {
    format!("doc{i:09}")
}

/// Creates the document table `name`.
pub(crate) async fn create_table(system: &System, name: &str) -> Result<()> {
    let sql = match system.kind {
        // `seq` is what a feed reader pages by on PostgreSQL (W5).
        Kind::Postgres => format!(
            "CREATE TABLE {name} (id text PRIMARY KEY, data jsonb NOT NULL, \
             seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE)"
        ),
        Kind::Mindoo => format!("CREATE TABLE {name} ()"),
    };
    let client = system.connect().await?;
    client.batch_execute(&sql).await.map_err(|e| system.sql(e))
}

/// W1: single-row durable inserts of `size`-byte documents by `clients` connections, each
/// inserting `per_client`; docs/s.
pub(crate) async fn insert(
    system: &System,
    table: &str,
    clients: usize,
    per_client: u64,
    size: usize,
) -> Result<f64> {
    let sql = format!("INSERT INTO {table} (id, data) VALUES ($1, $2::text::jsonb)");
    let (elapsed, done) = concurrently(system, clients, move |client, c| {
        let sql = sql.clone();
        async move {
            let stmt = client.prepare(&sql).await?;
            for n in 0..per_client {
                let i = c as u64 * per_client + n;
                client
                    .execute(&stmt, &[&doc_id(i), &document(i, size).to_string()])
                    .await?;
            }
            Ok((per_client, 0))
        }
    })
    .await?;
    Ok(done.ops as f64 / elapsed.as_secs_f64())
}

/// W2: bulk load of `n` documents with multi-row INSERTs of `BULK_ROWS` rows on one
/// connection; docs/s.
pub(crate) async fn bulk_insert(system: &System, table: &str, n: u64, size: usize) -> Result<f64> {
    let client = system.connect().await?;
    let values: Vec<String> = (0..BULK_ROWS)
        .map(|r| format!("(${}, ${}::text::jsonb)", 2 * r + 1, 2 * r + 2))
        .collect();
    let full = client
        .prepare(&format!(
            "INSERT INTO {table} (id, data) VALUES {}",
            values.join(", ")
        ))
        .await
        .map_err(|e| system.sql(e))?;
    let began = Instant::now();
    let mut i = 0;
    while i < n {
        let rows = (n - i).min(BULK_ROWS as u64);
        let ids: Vec<String> = (i..i + rows).map(doc_id).collect();
        let docs: Vec<String> = (i..i + rows)
            .map(|j| document(j, size).to_string())
            .collect();
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(2 * rows as usize);
        for (id, doc) in ids.iter().zip(&docs) {
            params.push(id);
            params.push(doc);
        }
        if rows as usize == BULK_ROWS {
            client.execute(&full, &params).await
        } else {
            let tail: Vec<String> = values[..rows as usize].to_vec();
            client
                .execute(
                    &format!("INSERT INTO {table} (id, data) VALUES {}", tail.join(", ")),
                    &params,
                )
                .await
        }
        .map_err(|e| system.sql(e))?;
        i += rows;
    }
    Ok(n as f64 / began.elapsed().as_secs_f64())
}

/// W2: bulk load of `n` documents with `COPY ... FROM STDIN` (text format); docs/s.
pub(crate) async fn copy_load(system: &System, table: &str, n: u64, size: usize) -> Result<f64> {
    let client = system.connect().await?;
    let began = Instant::now();
    let sink = client
        .copy_in(&format!("COPY {table} (id, data) FROM STDIN"))
        .await
        .map_err(|e| system.sql(e))?;
    futures::pin_mut!(sink);
    let mut chunk = String::new();
    for i in 0..n {
        chunk.push_str(&doc_id(i));
        chunk.push('\t');
        chunk.push_str(&document(i, size).to_string());
        chunk.push('\n');
        if chunk.len() > 1 << 20 {
            sink.send(bytes_of(&mut chunk))
                .await
                .map_err(|e| system.sql(e))?;
        }
    }
    sink.send(bytes_of(&mut chunk))
        .await
        .map_err(|e| system.sql(e))?;
    sink.finish().await.map_err(|e| system.sql(e))?;
    Ok(n as f64 / began.elapsed().as_secs_f64())
}

fn bytes_of(chunk: &mut String) -> std::io::Cursor<Vec<u8>> {
    std::io::Cursor::new(std::mem::take(chunk).into_bytes())
}

/// W10: `SELECT *` of a table of `n` documents, read row by row as the rows arrive; rows/s.
pub(crate) async fn read_all(system: &System, table: &str, n: u64) -> Result<f64> {
    let client = system.connect().await?;
    let began = Instant::now();
    let rows = client
        .query_raw(&format!("SELECT * FROM {table}"), Vec::<i64>::new())
        .await
        .map_err(|e| system.sql(e))?;
    futures::pin_mut!(rows);
    let mut seen = 0u64;
    while let Some(row) = rows.next().await {
        std::hint::black_box(row.map_err(|e| system.sql(e))?);
        seen += 1;
    }
    expect_count(system, "W10 read", seen, n)?;
    Ok(seen as f64 / began.elapsed().as_secs_f64())
}

/// W10: one UPDATE of every document of a table of `n`; documents/s.
pub(crate) async fn update_all(system: &System, table: &str, n: u64) -> Result<f64> {
    let client = system.connect().await?;
    let began = Instant::now();
    let updated = client
        .execute(
            &format!("UPDATE {table} SET data = jsonb_set(data, '{{v}}', '0')"),
            &[],
        )
        .await
        .map_err(|e| system.sql(e))?;
    expect_count(system, "W10 update", updated, n)?;
    Ok(n as f64 / began.elapsed().as_secs_f64())
}

fn expect_count(system: &System, what: &str, seen: u64, n: u64) -> Result<()> {
    if seen == n {
        return Ok(());
    }
    Err(Error::process(
        format!("{} {what}", system.kind.name()),
        format!("{seen} rows, expected {n}"),
    ))
}

/// W3: point reads by id from `clients` connections for `duration`; queries/s.
pub(crate) async fn point_reads(
    system: &System,
    table: &str,
    n: u64,
    clients: usize,
    duration: Duration,
) -> Result<f64> {
    let sql = format!("SELECT data FROM {table} WHERE id = $1");
    let (elapsed, done) = concurrently(system, clients, move |client, c| {
        let sql = sql.clone();
        async move {
            let stmt = client.prepare(&sql).await?;
            let mut rng = Rng::new(c as u64);
            let until = Instant::now() + duration;
            let mut ops = 0;
            while Instant::now() < until {
                let row = client.query_one(&stmt, &[&doc_id(rng.below(n))]).await?;
                std::hint::black_box(row);
                ops += 1;
            }
            Ok((ops, 0))
        }
    })
    .await?;
    Ok(done.ops as f64 / elapsed.as_secs_f64())
}

/// W4: `GROUP BY data->>'k'` with `sum` over the whole table; documents aggregated per second.
pub(crate) async fn group_by(system: &System, table: &str, n: u64) -> Result<f64> {
    let client = system.connect().await?;
    let sql = format!(
        "SELECT data->>'k' AS k, sum((data->>'v')::bigint) AS total FROM {table} GROUP BY 1"
    );
    let stmt = client.prepare(&sql).await.map_err(|e| system.sql(e))?;
    let began = Instant::now();
    let rows = client.query(&stmt, &[]).await.map_err(|e| system.sql(e))?;
    let elapsed = began.elapsed();
    if rows.len() != 100.min(n as usize) {
        return Err(Error::process(
            format!("{} W4", system.kind.name()),
            format!("{} groups, expected 100", rows.len()),
        ));
    }
    Ok(n as f64 / elapsed.as_secs_f64())
}

/// W5: catches up on a table's whole change feed from seq 0 in pages of `FEED_PAGE`, with the
/// documents; changes/s.
pub(crate) async fn feed_catch_up(system: &System, table: &str, n: u64) -> Result<f64> {
    let client = system.connect().await?;
    let sql = match system.kind {
        Kind::Postgres => {
            format!(
                "SELECT id, data, seq FROM {table} WHERE seq > $1 ORDER BY seq LIMIT {FEED_PAGE}"
            )
        }
        Kind::Mindoo => {
            format!("SELECT id, data, seq FROM mindoo.changes('{table}', $1, {FEED_PAGE})")
        }
    };
    let stmt = client.prepare(&sql).await.map_err(|e| system.sql(e))?;
    let began = Instant::now();
    let mut since: i64 = 0;
    let mut seen: u64 = 0;
    loop {
        let rows = client
            .query(&stmt, &[&since])
            .await
            .map_err(|e| system.sql(e))?;
        let Some(last) = rows.last() else { break };
        since = last.get(2);
        seen += rows.len() as u64;
    }
    let elapsed = began.elapsed();
    if seen != n {
        return Err(Error::process(
            format!("{} W5", system.kind.name()),
            format!("{seen} changes, expected {n}"),
        ));
    }
    Ok(seen as f64 / elapsed.as_secs_f64())
}

/// W6: durable updates of random documents from `clients` connections for `duration`;
/// updates/s, and how many were retried after 40001.
pub(crate) async fn updates(
    system: &System,
    table: &str,
    n: u64,
    clients: usize,
    duration: Duration,
    size: usize,
) -> Result<(f64, u64)> {
    let sql = format!("UPDATE {table} SET data = $2::text::jsonb WHERE id = $1");
    let (elapsed, done) = concurrently(system, clients, move |client, c| {
        let sql = sql.clone();
        async move {
            let stmt = client.prepare(&sql).await?;
            let mut rng = Rng::new(1000 + c as u64);
            let until = Instant::now() + duration;
            let (mut ops, mut retries) = (0, 0);
            while Instant::now() < until {
                let i = rng.below(n);
                let doc = document(i + ops, size).to_string();
                loop {
                    match client.execute(&stmt, &[&doc_id(i), &doc]).await {
                        Ok(_) => break,
                        Err(e) if e.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE) => {
                            retries += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
                ops += 1;
            }
            Ok((ops, retries))
        }
    })
    .await?;
    Ok((done.ops as f64 / elapsed.as_secs_f64(), done.retries))
}

/// What concurrent clients did in total.
struct Done {
    ops: u64,
    retries: u64,
}

/// Connects `clients` sessions, then runs `work` on all of them at once; returns the wall time
/// of the work alone and the summed (ops, retries).
async fn concurrently<F, Fut>(system: &System, clients: usize, work: F) -> Result<(Duration, Done)>
where
    F: Fn(Client, usize) -> Fut,
    Fut: Future<Output = std::result::Result<(u64, u64), tokio_postgres::Error>> + Send + 'static,
{
    let mut sessions = Vec::with_capacity(clients);
    for _ in 0..clients {
        sessions.push(system.connect().await?);
    }
    let began = Instant::now();
    let tasks: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(c, client)| tokio::spawn(work(client, c)))
        .collect();
    let (mut ops, mut retries) = (0, 0);
    for task in tasks {
        let (o, r) = task
            .await
            .map_err(|e| Error::process(format!("{} client task", system.kind.name()), e))?
            .map_err(|e| system.sql(e))?;
        ops += o;
        retries += r;
    }
    Ok((began.elapsed(), Done { ops, retries }))
}

/// A small deterministic generator (xorshift64*), so both systems read and update the same ids.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}
