//! The Prometheus endpoint (`--metrics-listen`): `GET /metrics` answers the text exposition
//! format with session, statement, commit, fsync and disk counters and the sync lag per peer;
//! anything else is 404.
//!
//! Invariants:
//! - Serves counts only: no statement text, role or table name, nothing a key could be in;
//!   the one label is a sync peer's id (`host:port/dbname`, never its password).
//! - One request per connection, read with a size and time limit, so a slow or hostile
//!   client cannot hold memory or a task for long.
//! - Not authenticated: bind it to an address only the monitoring system reaches.
//!
//! See: docs/OPERATIONS.md#observability

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use crate::engine::{Engine, PeerLag};

/// Largest request head read.
const MAX_REQUEST: usize = 8 << 10;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Binds `addr` for the metrics endpoint.
pub(crate) async fn bind(addr: &str) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Answers requests on `listener` until the runtime stops.
pub(crate) async fn serve(listener: TcpListener, engine: Arc<Engine>) {
    loop {
        match listener.accept().await {
            Ok((socket, _)) => {
                let engine = engine.clone();
                tokio::spawn(async move {
                    if let Err(err) = answer(socket, &engine).await {
                        tracing::debug!(error = %err, "metrics request failed");
                    }
                });
            }
            Err(err) => {
                tracing::warn!(error = %err, "metrics accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn answer(mut socket: TcpStream, engine: &Engine) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let read = tokio::time::timeout(READ_TIMEOUT, async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST {
            let n = socket.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(())
    })
    .await;
    if !matches!(read, Ok(Ok(()))) {
        return Ok(());
    }
    let line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    let (status, body) = if line.starts_with(b"GET /metrics ") || line == b"GET /metrics" {
        ("200 OK", render(engine))
    } else {
        ("404 Not Found", "not found: try GET /metrics\n".to_owned())
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket.write_all(response.as_bytes()).await?;
    socket.shutdown().await
}

/// The exposition text.
fn render(engine: &Engine) -> String {
    let counters = engine.activity().counters();
    let store = engine.store();
    let disk = store.disk_bytes().unwrap_or(0);
    let metrics: [(&str, &str, &str, u64); 9] = [
        (
            "mindoodb_sessions",
            "gauge",
            "Sessions open now.",
            counters.sessions,
        ),
        (
            "mindoodb_connections_total",
            "counter",
            "Sessions opened since start.",
            counters.connections,
        ),
        (
            "mindoodb_statements_total",
            "counter",
            "Statements run since start.",
            counters.statements,
        ),
        (
            "mindoodb_statement_errors_total",
            "counter",
            "Statements that failed.",
            counters.failed,
        ),
        (
            "mindoodb_slow_statements_total",
            "counter",
            "Statements slower than the slow-statement threshold.",
            counters.slow,
        ),
        (
            "mindoodb_point_reads_total",
            "counter",
            "SELECTs by id answered without the general query planner.",
            counters.point_reads,
        ),
        (
            "mindoodb_commits_total",
            "counter",
            "Transactions committed.",
            store.commits(),
        ),
        (
            "mindoodb_fsyncs_total",
            "counter",
            "Synced writes of commit groups (group commit shares one among many commits).",
            store.syncs(),
        ),
        (
            "mindoodb_disk_bytes",
            "gauge",
            "Bytes of live RocksDB table files (flushed data).",
            disk,
        ),
    ];
    let mut out = String::new();
    for (name, kind, help, value) in metrics {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    }
    render_sync_lag(&mut out, engine);
    out
}

/// Per peer this server pulled from (`--mirror-of`, `mindoo.sync`): the entries its last
/// successful round found beyond this node's cursors, the seconds since that round ended,
/// the count of successful rounds, and the entries it sent that were quarantined.
fn render_sync_lag(out: &mut String, engine: &Engine) {
    type Value = fn(&PeerLag) -> String;
    let peers = engine.activity().sync_lag().peers();
    let families: [(&str, &str, &str, Value); 4] = [
        (
            "mindoodb_sync_lag_entries",
            "gauge",
            "Entries the peer had beyond this node's pull cursors when the last successful sync round began.",
            |lag| lag.behind.to_string(),
        ),
        (
            "mindoodb_sync_lag_seconds",
            "gauge",
            "Seconds since the last successful sync round with the peer ended.",
            |lag| format!("{:.3}", lag.at.elapsed().as_secs_f64()),
        ),
        (
            "mindoodb_sync_rounds_total",
            "counter",
            "Successful sync rounds with the peer since start.",
            |lag| lag.rounds.to_string(),
        ),
        (
            "mindoodb_sync_quarantined_total",
            "counter",
            "Entries from the peer refused and quarantined since start: failed verification or untrusted signer.",
            |lag| lag.quarantined.to_string(),
        ),
    ];
    for (name, kind, help, value) in families {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (peer, lag) in &peers {
            let _ = writeln!(out, "{name}{{peer=\"{}\"}} {}", label(peer), value(lag));
        }
    }
}

/// A label value escaped as the exposition format wants (backslash, quote, newline).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
