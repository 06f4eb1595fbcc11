//! What every session is doing, for `mindoo.activity` (like `pg_stat_activity`), the
//! slow-statement log and the Prometheus counters (with the sync lag of `sync_lag.rs`).
//!
//! Invariants:
//! - A session is listed from login until its `Registration` drops (the connection ended).
//! - Statement text is stored redacted (`redact.rs`): no literal, so no key, password or
//!   document content, ever reaches this registry.
//! - Counters only grow; the gauge of open sessions is the registry's size.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use mindoodb_storage::TenantId;

use super::clock::now_micros;
use super::sync_lag::SyncLag;

/// One session as `mindoo.activity` shows it.
#[derive(Debug, Clone)]
pub(crate) struct SessionRow {
    /// The session's number (`pid`), unique while the server runs.
    pub(crate) pid: u64,
    pub(crate) role: String,
    pub(crate) database: String,
    pub(crate) tenant: TenantId,
    /// Where the client connected from; `None` for the server's own sessions.
    pub(crate) client: Option<ClientAddr>,
    /// Microseconds since the Unix epoch.
    pub(crate) backend_start: i64,
    /// `active`, `idle`, `idle in transaction`, `idle in transaction (aborted)`.
    pub(crate) state: &'static str,
    /// The current or last statement, redacted.
    pub(crate) query: Arc<str>,
    /// When it started, microseconds since the Unix epoch.
    pub(crate) query_start: Option<i64>,
}

/// Where a session's client connected from, as `pg_stat_activity` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientAddr {
    /// TCP (plain or TLS): the client's address and port.
    Tcp(SocketAddr),
    /// A Unix-domain socket: no address, and port -1 in PostgreSQL's views.
    Unix,
}

impl ClientAddr {
    /// `client_addr`: the IP address, or `None` over a Unix socket (NULL, as in PostgreSQL).
    pub(crate) fn ip(self) -> Option<std::net::IpAddr> {
        match self {
            ClientAddr::Tcp(addr) => Some(addr.ip()),
            ClientAddr::Unix => None,
        }
    }

    /// `client_port`: the TCP port, or -1 over a Unix socket, as PostgreSQL shows it.
    pub(crate) fn port(self) -> i32 {
        match self {
            ClientAddr::Tcp(addr) => i32::from(addr.port()),
            ClientAddr::Unix => -1,
        }
    }
}

/// The registry and counters, one per engine.
#[derive(Debug, Default)]
pub(crate) struct Activity {
    next_pid: AtomicU64,
    sessions: Mutex<BTreeMap<u64, SessionRow>>,
    connections: AtomicU64,
    statements: AtomicU64,
    failed: AtomicU64,
    slow: AtomicU64,
    point_reads: AtomicU64,
    sync_lag: SyncLag,
}

/// A session's place in the registry; dropping it removes the session.
#[derive(Debug)]
pub(crate) struct Registration {
    activity: Arc<Activity>,
    pid: u64,
}

/// Counters for the metrics endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Sessions open now.
    pub(crate) sessions: u64,
    /// Sessions opened since start.
    pub(crate) connections: u64,
    /// Statements run since start.
    pub(crate) statements: u64,
    /// Of which failed.
    pub(crate) failed: u64,
    /// Of which were slower than the slow-statement threshold.
    pub(crate) slow: u64,
    /// SELECTs answered by the point-read fast path (`point_read.rs`).
    pub(crate) point_reads: u64,
}

impl Activity {
    /// Lists a new session; it is idle until its first statement.
    pub(crate) fn register(
        self: &Arc<Self>,
        role: &str,
        database: &str,
        tenant: TenantId,
        client: Option<ClientAddr>,
    ) -> Registration {
        let pid = self.next_pid.fetch_add(1, Ordering::Relaxed) + 1;
        self.connections.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(
            pid,
            SessionRow {
                pid,
                role: role.to_owned(),
                database: database.to_owned(),
                tenant,
                client,
                backend_start: now_micros(),
                state: "idle",
                query: Arc::from(""),
                query_start: None,
            },
        );
        Registration {
            activity: self.clone(),
            pid,
        }
    }

    /// A SELECT took the point-read fast path.
    pub(crate) fn count_point_read(&self) {
        self.point_reads.fetch_add(1, Ordering::Relaxed);
    }

    /// The sessions of `tenant`, by pid.
    pub(crate) fn sessions(&self, tenant: TenantId) -> Vec<SessionRow> {
        self.lock()
            .values()
            .filter(|row| row.tenant == tenant)
            .cloned()
            .collect()
    }

    pub(crate) fn counters(&self) -> Counters {
        Counters {
            sessions: self.lock().len() as u64,
            connections: self.connections.load(Ordering::Relaxed),
            statements: self.statements.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            slow: self.slow.load(Ordering::Relaxed),
            point_reads: self.point_reads.load(Ordering::Relaxed),
        }
    }

    /// The sync rounds of this server with its peers.
    pub(crate) fn sync_lag(&self) -> &SyncLag {
        &self.sync_lag
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, SessionRow>> {
        // Rows are replaced field by field under the lock; a panic cannot leave one torn in
        // a way that matters for a monitoring view.
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Registration {
    /// The session's pid.
    pub(crate) fn pid(&self) -> u64 {
        self.pid
    }

    /// A statement (already redacted) starts.
    pub(crate) fn start(&self, query: Arc<str>) {
        self.activity.statements.fetch_add(1, Ordering::Relaxed);
        if let Some(row) = self.activity.lock().get_mut(&self.pid) {
            row.state = "active";
            row.query = query;
            row.query_start = Some(now_micros());
        }
    }

    /// The statement ended; the session is now in `state`.
    pub(crate) fn end(&self, state: &'static str, failed: bool, slow: bool) {
        if failed {
            self.activity.failed.fetch_add(1, Ordering::Relaxed);
        }
        if slow {
            self.activity.slow.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(row) = self.activity.lock().get_mut(&self.pid) {
            row.state = state;
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.activity.lock().remove(&self.pid);
    }
}
