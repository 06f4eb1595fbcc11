//! The SQL engine: one `Engine` per server, one `Session` per connection. The wire layer
//! (`pg/`) calls only the functions here and maps `Output`/`Error` to the protocol.
//!
//! Invariants:
//! - A session's keys and identity live only in its memory and zeroize when it ends.
//! - Statements are classified from the parsed AST (`classify.rs`), never from text prefixes.
//!
//! See: docs/ARCHITECTURE.md#server

mod access;
mod activity;
mod apply;
mod array_literal;
mod classify;
mod copy;
mod copy_sealed;
mod correlation;
mod ddl;
mod dialect;
mod dml;
mod dml_direct;
mod dml_params;
mod empty_source;
mod feeds;
mod functions;
pub(crate) mod fuzz_hooks;
mod json;
mod keyring;
mod notify;
mod pg_dialect;
mod point_read;
mod provider;
mod query;
mod redact;
mod row;
mod scalar_subquery;
mod scan;
mod session;
mod settings;
mod shards;
mod sync;
mod sync_lag;
mod table_fn_args;
mod txn;
mod udtf;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mindoodb_protocol::Identity;
use mindoodb_storage::Store;
use zeroize::Zeroizing;

pub(crate) use activity::Activity;
pub(crate) use notify::{CHANNEL, Commit};
pub(crate) use query::pg_type_of;
pub(crate) use row::doc_schema;
pub(crate) use session::{Prepared, Session, TxnStatus};
pub(crate) use settings::{KEYS as KEYS_SETTING, Settings, server_version};
pub(crate) use sync::TenantNode;
pub(crate) use sync_lag::PeerLag;

use crate::error::Result;
use notify::Notifier;

/// State shared by every connection: the store, the node's signing identity, what kind of
/// node this is, and the commit notifications.
pub(crate) struct Engine {
    store: Store,
    node: Identity,
    mode: NodeMode,
    notifier: Arc<Notifier>,
    /// Statements that take longer are logged (redacted).
    slow_statement: Duration,
    activity: Arc<Activity>,
    /// Bumped after every change that can take access away (`access.rs`).
    access: tokio::sync::watch::Sender<u64>,
}

/// What kind of node a server is (DESIGN §1): a plain server, a local node holding a keyring,
/// or a keyless read-only mirror.
#[derive(Default)]
pub(crate) struct NodeMode {
    /// The tokens of the keyring a local node unlocked at start; every loopback session gets
    /// them as if it had run `SET mindoo.keys`. Never written anywhere.
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
    /// True for loopback TCP (the only local transport served): sessions a local node gives
    /// its keyring to.
    pub local: bool,
    /// `mindoo.keys` from the startup options (`PGOPTIONS='-c mindoo.keys=...'`), if any.
    pub startup_keys: Option<Zeroizing<String>>,
    /// The client's address, for `mindoo.activity` (none for the server's own sessions).
    pub peer: Option<SocketAddr>,
}

impl Engine {
    /// An engine over `store`; `node` signs entries for sessions without an identity; `mode`
    /// says whether this is a plain server, a local node or a mirror; statements slower than
    /// `slow_statement` are logged.
    pub(crate) fn new(
        store: Store,
        node: Identity,
        mode: NodeMode,
        slow_statement: Duration,
    ) -> Arc<Engine> {
        Arc::new(Engine {
            store,
            node,
            mode,
            notifier: Arc::default(),
            slow_statement,
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
        self.slow_statement
    }

    /// The store.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Announces commits to listeners.
    pub(crate) fn notifier(&self) -> &Arc<Notifier> {
        &self.notifier
    }

    /// Opens a session: the role must have LOGIN, the database must exist and the role must be
    /// allowed into it.
    pub(crate) fn login(self: &Arc<Self>, login: Login) -> Result<Session> {
        let (role, tenant) = self.admit(&login.role, &login.database)?;
        let mut session = Session::new(self.clone(), role, tenant, login.secure, login.peer)?;
        if login.local
            && let Some(keys) = &self.mode.local_keys
        {
            session.set_keys(keys)?;
        }
        if let Some(keys) = login.startup_keys {
            session.set_keys(&keys)?;
        }
        Ok(session)
    }
}
