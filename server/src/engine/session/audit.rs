//! Read auditing of one statement: who runs it (login and current role), its fingerprint
//! (the redacted text: literals are `?`), and the node identity that signs the records the
//! reads of audited tables append (`Store::append_audit`).
//!
//! Invariants:
//! - A statement's `StatementAudit` is made when it starts (`Session::start`) and is taken by
//!   every reader of an audited table while the statement plans, so rows a client fetches later
//!   (a cursor, a suspended portal) are recorded against the statement that produced them.
//! - A record lists at most `MAX_AUDIT_IDS` ids: more become several records, so a statement
//!   returning millions of rows never holds their ids in memory beyond one batch.
//! - A batch of rows is handed on only after its record is durable; a failed append fails the
//!   read (fail closed).
//!
//! See: docs/SECURITY.md#read-audit

use std::sync::Arc;

use mindoodb_protocol::{Identity, MAX_AUDIT_IDS, ServerTime};
use mindoodb_storage::{AuditRead, Store, Table};

use super::clock::now_micros;
use crate::error::Result;

/// Who reads in one statement, and what signs the records.
pub(crate) struct StatementAudit {
    store: Store,
    signer: Arc<Identity>,
    login: String,
    role: String,
    fingerprint: Arc<str>,
}

impl StatementAudit {
    pub(crate) fn new(
        store: Store,
        signer: Arc<Identity>,
        login: String,
        role: String,
        fingerprint: Arc<str>,
    ) -> StatementAudit {
        StatementAudit {
            store,
            signer,
            login,
            role,
            fingerprint,
        }
    }

    /// Appends the records saying that this statement returned `ids` of `table`; durable
    /// when it returns. Blocks on a synced write: call it off the async runtime's threads.
    pub(crate) fn record(&self, table: Table, ids: &[String]) -> Result<()> {
        for chunk in ids.chunks(MAX_AUDIT_IDS) {
            let read = AuditRead {
                time: ServerTime(now_micros()),
                login: &self.login,
                role: &self.role,
                fingerprint: &self.fingerprint,
                ids: chunk,
            };
            self.store.append_audit(table, &self.signer, &read)?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for StatementAudit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementAudit")
            .field("login", &self.login)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}
