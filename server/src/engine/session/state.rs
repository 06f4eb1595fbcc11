//! What a session shares with the DataFusion tables it plans over: its keys, its transaction
//! (status and uncommitted writes) and the running statement's snapshot.
//!
//! Invariants:
//! - One owner: the session and its table providers reach this only through `SharedState`;
//!   no other session ever sees it.
//! - `statement` and `audit` are `None` between statements: a `StatementScope` clears it when the statement
//!   starts and again when the scope ends, however the statement ends (a cancelled statement's
//!   future is dropped, and the scope with it).

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use mindoodb_storage::{SharedSnapshot, Store};

use super::audit::StatementAudit;
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
    /// Who the running statement reads as, for the audit records of audited tables.
    audit: Option<Arc<StatementAudit>>,
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

    /// The running statement's read audit, if a statement is running.
    pub(crate) fn statement_audit(&self) -> Option<Arc<StatementAudit>> {
        self.audit.clone()
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
    pub(crate) fn enter(state: &SharedState, audit: StatementAudit) -> StatementScope {
        {
            let mut state = state.write();
            state.statement = None;
            state.audit = Some(Arc::new(audit));
        }
        StatementScope {
            state: state.clone(),
        }
    }
}

impl Drop for StatementScope {
    fn drop(&mut self) {
        let mut state = self.state.write();
        state.statement = None;
        state.audit = None;
    }
}
