//! What a session shares with the DataFusion tables it plans over: its keys, its transaction
//! (status and uncommitted writes) and the running statement's snapshot.
//!
//! Invariants:
//! - One owner: the session and its table providers reach this only through `SharedState`;
//!   no other session ever sees it.
//! - `statement` is `None` between statements: a `StatementScope` clears it when the statement
//!   starts and again when the scope ends, however the statement ends (a cancelled statement's
//!   future is dropped, and the scope with it).

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use mindoodb_storage::{SharedSnapshot, Store};

use super::keys::KeySet;
use super::txn::Txn;
use crate::error::Result;

/// A session's keys, transaction and statement snapshot.
#[derive(Default)]
pub(crate) struct SessionState {
    pub(crate) keys: KeySet,
    pub(crate) txn: Txn,
    /// Taken by the statement's first table scan and read by all of them, so a statement over
    /// several tables (a join, a view over shards) sees them at one moment.
    statement: Option<SharedSnapshot>,
}

impl SessionState {
    /// The running statement's snapshot, taken now if no scan of the statement took it yet.
    pub(crate) fn statement_snapshot(&mut self, store: &Store) -> Result<SharedSnapshot> {
        if let Some(snapshot) = &self.statement {
            return Ok(snapshot.clone());
        }
        let snapshot = store.shared_snapshot()?;
        self.statement = Some(snapshot.clone());
        Ok(snapshot)
    }
}

/// The state, shared between a session and its providers.
#[derive(Clone, Default)]
pub(crate) struct SharedState(Arc<RwLock<SessionState>>);

impl SharedState {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, SessionState> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, SessionState> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One statement's hold on the statement snapshot: clears it on entry and on drop.
pub(crate) struct StatementScope {
    state: SharedState,
}

impl StatementScope {
    pub(crate) fn enter(state: &SharedState) -> StatementScope {
        state.write().statement = None;
        StatementScope {
            state: state.clone(),
        }
    }
}

impl Drop for StatementScope {
    fn drop(&mut self) {
        self.state.write().statement = None;
    }
}
