//! The SQL engine: one `Engine` per server, one `Session` per connection. The wire layer
//! (`pg/`) calls only the functions here and maps `Output`/`Error` to the protocol.
//!
//! Invariants:
//! - A session's keys and identity live only in its memory and zeroize when it ends.
//! - Statements are classified from the parsed AST (`classify.rs`), never from text prefixes.
//!
//! See: docs/ARCHITECTURE.md#server

mod access;
mod apply;
mod array_literal;
mod classify;
mod copy;
mod copy_sealed;
mod correlation;
mod ddl;
mod dialect;
mod dml;
mod dml_params;
mod empty_source;
mod feeds;
mod functions;
mod json;
mod keyring;
mod notify;
mod provider;
mod query;
mod row;
mod scalar_subquery;
mod scan;
mod session;
mod settings;
mod table_fn_args;
mod txn;
mod udtf;
mod views;

use std::sync::Arc;

use mindoodb_protocol::Identity;
use mindoodb_storage::Store;
use zeroize::Zeroizing;

pub(crate) use notify::{CHANNEL, Commit};
pub(crate) use query::pg_type_of;
pub(crate) use row::doc_schema;
pub(crate) use session::{Prepared, Session, TxnStatus};
pub(crate) use settings::{KEYS as KEYS_SETTING, Settings, server_version};

use crate::error::Result;
use notify::Notifier;

/// State shared by every connection: the store, the node's signing identity and the commit
/// notifications.
pub(crate) struct Engine {
    store: Store,
    node: Identity,
    notifier: Arc<Notifier>,
    /// Bumped after every change that can take access away (`access.rs`).
    access: tokio::sync::watch::Sender<u64>,
}

/// Who connected, to which database, over what.
pub(crate) struct Login {
    /// The authenticated role.
    pub role: String,
    /// The `dbname` of the startup message: a tenant.
    pub database: String,
    /// True for TLS, loopback TCP and Unix sockets: the transports keys may travel over.
    pub secure: bool,
    /// `mindoo.keys` from the startup options (`PGOPTIONS='-c mindoo.keys=...'`), if any.
    pub startup_keys: Option<Zeroizing<String>>,
}

impl Engine {
    /// An engine over `store`; `node` signs entries for sessions without an identity.
    pub(crate) fn new(store: Store, node: Identity) -> Arc<Engine> {
        Arc::new(Engine {
            store,
            node,
            notifier: Arc::default(),
            access: tokio::sync::watch::Sender::new(0),
        })
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
        let mut session = Session::new(self.clone(), role, tenant, login.secure)?;
        if let Some(keys) = login.startup_keys {
            session.set_keys(&keys)?;
        }
        Ok(session)
    }
}
