//! Importing entries sealed elsewhere (`mindoo.apply`, `COPY ... FROM STDIN (FORMAT binary)`):
//! parse, verify, then append them in one transaction.
//!
//! Invariants:
//! - Every entry is parsed and its signature verified (which covers its hash) before anything
//!   is written; one bad entry fails the whole import and nothing is written.
//! - Importing is idempotent: an entry the table already holds is reported, not stored again.
//! - Errors name the entry by its hash and document (or by its position when the bytes do not
//!   even parse), never by its content.
//!
//! See: docs/SQL.md#mindooapply

use mindoodb_protocol::{UnverifiedEntry, VerifiedEntry};
use mindoodb_storage::{CommitReceipt, Store, Table, TenantId, Transaction, Write};

use crate::engine::session::commit::commit_blocking;
use crate::engine::session::listen::Notifier;
use crate::error::{Error, Result};

/// Parses and verifies one sealed entry; `what` names it in errors ("row 3").
pub(crate) fn verify(bytes: Vec<u8>, what: &str) -> Result<VerifiedEntry> {
    let entry = UnverifiedEntry::parse(bytes)
        .map_err(|err| Error::InvalidParameter(format!("{what} is not a sealed entry: {err}")))?;
    let hash = entry.hash();
    let doc_id = entry.header().doc_id().clone();
    entry.verify().map_err(|err| {
        Error::InvalidParameter(format!(
            "{what}: entry {hash} of document {doc_id} failed verification: {err}"
        ))
    })
}

/// Appends verified entries to `table` in one synced transaction and announces the commit.
pub(crate) fn import(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    table: Table,
    entries: Vec<VerifiedEntry>,
) -> Result<CommitReceipt> {
    let txn = Transaction {
        writes: entries
            .into_iter()
            .map(|entry| Write::Import { table, entry })
            .collect(),
    };
    Ok(commit_blocking(store, notifier, tenant, txn)?)
}
