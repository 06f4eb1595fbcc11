//! Load (issue 9): 200 connections mix point reads, inserts, updates of a small shared set of
//! documents (so writers collide) and change-feed reads against one server. Nothing may fail
//! except 40001 serialization failures of colliding updates; latency percentiles and the
//! server's memory (sampled ten times during the run) are printed, never asserted (timings
//! and memory vary with the machine). CI runs 30 s;
//! `load_soak` (ignored, `cargo test --workspace --test it -- --ignored load::`) runs 10 min.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::support::{Options, TestServer, keyed_on, one};

const CONNECTIONS: usize = 200;
/// Documents every writer updates, so updates collide.
const SHARED_DOCS: u64 = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_connections_mix_reads_writes_and_feeds() {
    run_load(Duration::from_secs(30)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "soak: 10 minutes; run with --ignored"]
async fn load_soak() {
    run_load(Duration::from_secs(600)).await;
}

/// What the workers saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    ops: u64,
    conflicts: u64,
    errors: Vec<String>,
}

async fn run_load(duration: Duration) {
    // Past the default max_connections of 100, as PostgreSQL's.
    let server =
        TestServer::start_with(Options::default().with_args(&["--max-connections", "250"]));
    let (server, client, token) = keyed_on(server, &["crm2025"]).await;
    for n in 0..SHARED_DOCS {
        client
            .batch_execute(&format!(
                r#"INSERT INTO crm2025 (id, data) VALUES ('shared-{n}', '{{"n":0}}')"#
            ))
            .await
            .unwrap();
    }
    let mut clients = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        clients.push(server.connect_keyed(&token).await);
    }
    let warm_rss = server.rss_kib();
    let tally: Arc<Mutex<Tally>> = Arc::default();
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(worker, client)| tokio::spawn(work(client, worker as u64, deadline, tally.clone())))
        .collect();
    let mut rss_mib = Vec::new();
    while Instant::now() < deadline {
        tokio::time::sleep(duration / 10).await;
        rss_mib.push(server.rss_kib() / 1024);
    }
    for worker in workers {
        worker.await.expect("worker task");
    }
    let end_rss = server.rss_kib();

    let mut tally = std::mem::take(&mut *tally.lock().expect("tally"));
    assert!(
        tally.errors.is_empty(),
        "{} errors other than 40001, first: {:?}",
        tally.errors.len(),
        &tally.errors[..tally.errors.len().min(5)]
    );
    assert!(
        tally.ops > CONNECTIONS as u64,
        "only {} operations ran",
        tally.ops
    );
    tally.latencies.sort();
    let percentile = |p: f64| tally.latencies[((tally.latencies.len() - 1) as f64 * p) as usize];
    println!(
        "load: {CONNECTIONS} connections, {:?}: {} operations, {} 40001 retries, p50 {:?}, p99 {:?}, max {:?}; server RSS {} MiB once connected, every tenth of the run {:?} MiB, {} MiB at the end",
        duration,
        tally.ops,
        tally.conflicts,
        percentile(0.50),
        percentile(0.99),
        percentile(1.0),
        warm_rss / 1024,
        rss_mib,
        end_rss / 1024,
    );
    assert_eq!(
        one(&client, "SELECT ok FROM mindoo.verify('crm2025')").await,
        "t"
    );
}

async fn work(client: Client, worker: u64, deadline: Instant, tally: Arc<Mutex<Tally>>) {
    let read = client
        .prepare("SELECT data FROM crm2025 WHERE id = $1")
        .await
        .expect("prepare the read");
    let feed = client
        .prepare("SELECT seq FROM mindoo.changes('crm2025', $1, 50)")
        .await
        .expect("prepare the feed read");
    let mut cursor = 0i64;
    let mut latencies = Vec::new();
    let (mut ops, mut conflicts, mut errors) = (0u64, 0u64, Vec::new());
    let mut n = worker;
    while Instant::now() < deadline {
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let shared = format!("shared-{}", (n >> 33) % SHARED_DOCS);
        let started = Instant::now();
        let res = match (n >> 40) % 10 {
            0..=3 => client.query(&read, &[&shared]).await.map(drop),
            4..=5 => client
                .batch_execute(&format!(
                    r#"INSERT INTO crm2025 (id, data) VALUES ('w{worker}-{ops}', '{{"w":{worker}}}')"#
                ))
                .await,
            6..=7 => client
                .batch_execute(&format!(
                    r#"UPDATE crm2025 SET data = data || '{{"w":{worker}}}' WHERE id = '{shared}'"#
                ))
                .await,
            _ => client.query(&feed, &[&cursor]).await.map(|rows| {
                if let Some(last) = rows.last() {
                    cursor = last.get(0);
                }
            }),
        };
        latencies.push(started.elapsed());
        ops += 1;
        match res {
            Ok(()) => {}
            Err(err) if err.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE) => conflicts += 1,
            Err(err) => errors.push(err.as_db_error().map_or_else(
                || err.to_string(),
                |db| format!("{}: {}", db.code().code(), db.message()),
            )),
        }
    }
    let mut tally = tally.lock().expect("tally");
    tally.latencies.extend(latencies);
    tally.ops += ops;
    tally.conflicts += conflicts;
    tally.errors.extend(errors);
}
