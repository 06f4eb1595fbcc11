//! This server as a sync client of another MindooDB: `mindoo.sync(conninfo, table
//! [, direction [, batch]])` for sessions, and `TenantNode`, the local side of a mirror's
//! replication. The protocol itself is `mindoodb_client::sync`.
//!
//! Invariants:
//! - Only superusers may call `mindoo.sync`: it makes the server connect to other hosts.
//! - Imported entries commit through `session/commit.rs`, so listeners hear of them like
//!   of any other commit.
//! - A pulled entry under a key the session holds must decrypt before it is stored; the
//!   server's own node key is never used for that.
//! - Errors never repeat the conninfo: it may hold a password.
//!
//! See: docs/SQL.md#mindoosync, docs/OPERATIONS.md#sync

use std::sync::Arc;

use mindoodb_client::{DEFAULT_BATCH, Direction, LocalNode, Peer, SyncConfig, TableReport};
use mindoodb_protocol::{DataKey, KeyRef};
use mindoodb_storage::{CommitReceipt, Store, TenantId, Transaction};

use crate::engine::read::table_fn::FnCtx;
use crate::engine::session::Engine;
use crate::engine::session::commit::commit_blocking;
use crate::error::{Error, Result};

/// Runs one `mindoo.sync` call on the calling (blocking) thread.
pub(crate) fn run(
    ctx: &FnCtx,
    conninfo: &str,
    pattern: &str,
    direction: Option<&str>,
    batch: Option<usize>,
) -> Result<Vec<TableReport>> {
    if !ctx.superuser {
        return Err(Error::NotAllowed(
            "mindoo.sync is for superusers: it makes the server connect to other hosts".into(),
        ));
    }
    let direction = match direction {
        Some(text) => text
            .parse::<Direction>()
            .map_err(|e| Error::InvalidParameter(e.to_string()))?,
        None => Direction::Both,
    };
    let config = SyncConfig {
        direction,
        batch: batch.unwrap_or(DEFAULT_BATCH),
    };
    let node = SessionNode { ctx };
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|_| Error::Internal("mindoo.sync ran outside the runtime".into()))?;
    // Table functions run on a blocking thread, where waiting for the runtime is allowed.
    runtime
        .block_on(async {
            let peer = Peer::connect(conninfo).await?;
            let reports =
                mindoodb_client::sync(&node, &peer, pattern, &config, &mut |_| {}).await?;
            ctx.activity.sync_lag().record(peer.id(), &reports);
            Ok(reports)
        })
        .map_err(from_client)
}

/// A tenant of this server as the local side of a replication (a mirror's).
pub(crate) struct TenantNode {
    engine: Arc<Engine>,
    tenant: TenantId,
}

impl TenantNode {
    /// Replicates into `tenant` of `engine`'s store.
    pub(crate) fn new(engine: Arc<Engine>, tenant: TenantId) -> TenantNode {
        TenantNode { engine, tenant }
    }
}

impl LocalNode for TenantNode {
    fn store(&self) -> &Store {
        self.engine.store()
    }

    fn tenant(&self) -> TenantId {
        self.tenant
    }

    fn commit(&self, txn: Transaction) -> Result<CommitReceipt, mindoodb_storage::Error> {
        commit_blocking(
            self.engine.store(),
            self.engine.notifier(),
            self.tenant,
            txn,
        )
    }
}

/// The session calling `mindoo.sync`: its tenant, and its keys to check pulled entries with.
struct SessionNode<'a> {
    ctx: &'a FnCtx,
}

impl LocalNode for SessionNode<'_> {
    fn store(&self) -> &Store {
        &self.ctx.store
    }

    fn tenant(&self) -> TenantId {
        self.ctx.tenant
    }

    fn commit(&self, txn: Transaction) -> Result<CommitReceipt, mindoodb_storage::Error> {
        commit_blocking(&self.ctx.store, &self.ctx.notifier, self.ctx.tenant, txn)
    }

    fn key(&self, key_ref: &KeyRef) -> Option<Arc<DataKey>> {
        self.ctx.state.read().keys.get(key_ref).cloned()
    }
}

fn from_client(err: mindoodb_client::Error) -> Error {
    use mindoodb_client::Error as C;
    match err {
        C::Postgres(_) | C::Peer(_) => Error::Sync(err.to_string()),
        C::Storage(err) => Error::Storage(err),
        C::Protocol(err) => Error::Protocol(err),
        C::Invalid(why) => Error::InvalidParameter(why),
        // Files, keyrings, passphrases and proofs are not part of a sync.
        C::File { .. } | C::Keyring(_) | C::Passphrase(_) | C::Proof(_) => {
            Error::Internal(err.to_string())
        }
    }
}
