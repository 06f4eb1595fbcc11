//! `Engine`: what every session of a server shares — the store, the node's signing identity,
//! what kind of node this is, commit notifications, the activity registry and the access
//! watch.
//!
//! Invariants:
//! - The node identity is generated at start and never stored; it signs for sessions that
//!   present no identity of their own.
//! - Nothing here holds a session's keys: keys live in each session's own state.

use std::sync::Arc;
use std::time::Duration;

use mindoodb_protocol::Identity;
use mindoodb_storage::Store;
use zeroize::Zeroizing;

use super::activity::{Activity, ClientAddr};
use super::listen::Notifier;

/// State shared by every connection.
pub(crate) struct Engine {
    store: Store,
    node: Arc<Identity>,
    mode: NodeMode,
    notifier: Arc<Notifier>,
    limits: Limits,
    activity: Arc<Activity>,
    /// Bumped after every change that can take access away (`access.rs`).
    pub(super) access: tokio::sync::watch::Sender<u64>,
}

/// What one statement may take before the server steps in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Statements that take longer are logged (redacted).
    pub(crate) slow_statement: Duration,
    /// Bytes a statement's sorts, hash aggregates and joins may hold together; past them it
    /// fails with 53200. Nothing spills to disk: spilled rows would be plaintext.
    pub(crate) statement_memory: usize,
}

/// What kind of node a server is (a plain server, a local node holding a keyring, or a
/// keyless read-only mirror).
#[derive(Default)]
pub(crate) struct NodeMode {
    /// The tokens of the keyring a local node unlocked at start; every local session (loopback
    /// TCP or a Unix socket) gets them as if it had run `SET mindoo.keys`. Never written anywhere.
    pub(crate) local_keys: Option<Zeroizing<String>>,
    /// A mirror: sessions cannot write (25006); only its replication imports entries.
    pub(crate) read_only: bool,
    /// On a mirror, whether sessions may present keys at all.
    pub(crate) accept_keys: bool,
}

/// Who connected, to which database, over what.
pub(crate) struct Login {
    /// The authenticated role.
    pub role: String,
    /// The `dbname` of the startup message: a tenant.
    pub database: String,
    /// True for TLS, loopback TCP and Unix sockets: the transports keys may travel over.
    pub secure: bool,
    /// True for loopback TCP and Unix sockets, the connections from this machine: sessions a
    /// local node gives its keyring to.
    pub local: bool,
    /// `mindoo.keys` from the startup options (`PGOPTIONS='-c mindoo.keys=...'`), if any.
    pub startup_keys: Option<Zeroizing<String>>,
    /// Where the client connected from, for `mindoo.activity` (none for the server's own
    /// sessions).
    pub peer: Option<ClientAddr>,
}

impl Engine {
    /// An engine over `store`; `node` signs entries for sessions without an identity; `mode`
    /// says whether this is a plain server, a local node or a mirror; `limits` bound every
    /// statement.
    pub(crate) fn new(store: Store, node: Identity, mode: NodeMode, limits: Limits) -> Arc<Engine> {
        // What this node signed is its own, whatever a tenant's writer list says.
        store.set_node_key(node.public());
        Arc::new(Engine {
            store,
            node: Arc::new(node),
            mode,
            notifier: Arc::default(),
            limits,
            activity: Arc::default(),
            access: tokio::sync::watch::Sender::new(0),
        })
    }

    /// What kind of node this is.
    pub(crate) fn mode(&self) -> &NodeMode {
        &self.mode
    }

    /// What every session is doing, and the statement counters.
    pub(crate) fn activity(&self) -> &Arc<Activity> {
        &self.activity
    }

    /// The slow-statement threshold.
    pub(crate) fn slow_statement(&self) -> Duration {
        self.limits.slow_statement
    }

    /// The memory budget of one statement's operators, in bytes.
    pub(crate) fn statement_memory(&self) -> usize {
        self.limits.statement_memory
    }

    /// The store.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The node's signing identity, for sessions without one of their own.
    pub(crate) fn node(&self) -> &Arc<Identity> {
        &self.node
    }

    /// Announces commits to listeners.
    pub(crate) fn notifier(&self) -> &Arc<Notifier> {
        &self.notifier
    }
}
