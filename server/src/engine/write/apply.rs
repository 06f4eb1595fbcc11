//! Importing entries sealed elsewhere (`mindoo.apply`, `COPY ... FROM STDIN (FORMAT binary)`):
//! parse, verify, then append them in one transaction.
//!
//! Invariants:
//! - Every entry is parsed and verified before anything is written: a format-1 entry by its
//!   signature (which covers its hash), a format-2 entry by the commit and inclusion path it
//!   carries (docs/FORMAT.md#carried-proofs), one signature per commit. One bad entry fails
//!   the whole import and nothing is written.
//! - Importing is idempotent: an entry the table already holds is reported, not stored again.
//! - Entries are admitted, not merely imported: once the tenant trusts writers, one signed by
//!   anyone else goes to the table's quarantine (storage's `Write::Admit`).
//! - Errors name the entry by its hash and document (or by its position when the bytes do not
//!   even parse), never by its content.
//!
//! See: docs/SQL.md#mindooapply

use mindoodb_protocol::{Receiver, UnverifiedEntry, VerifiedEntry};
use mindoodb_storage::{CommitReceipt, Store, Table, TenantId, Transaction, Write};

use crate::engine::session::commit::commit_blocking;
use crate::engine::session::listen::Notifier;
use crate::error::{Error, Result};

/// Parses and verifies one sealed entry with its carried proof (format 2); `what` names it
/// in errors ("row 3").
pub(crate) fn verify(
    receiver: &mut Receiver,
    bytes: Vec<u8>,
    proof: Option<&[u8]>,
    what: &str,
) -> Result<VerifiedEntry> {
    let entry = UnverifiedEntry::parse(bytes)
        .map_err(|err| Error::InvalidParameter(format!("{what} is not a sealed entry: {err}")))?;
    let hash = entry.hash();
    let doc_id = entry.header().doc_id().clone();
    receiver.verify(entry, proof).map_err(|err| {
        Error::InvalidParameter(format!(
            "{what}: entry {hash} of document {doc_id} failed verification: {err}"
        ))
    })
}

/// How a quarantine record names entries a session sent (sync names its peer instead).
pub(crate) fn sent_by(role: &str) -> String {
    format!("session of role {role}")
}

/// Appends verified entries that arrived from `source` to `table` in one synced transaction
/// and announces the commit.
pub(crate) fn import(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    table: Table,
    entries: Vec<VerifiedEntry>,
    source: &str,
) -> Result<CommitReceipt> {
    let txn = Transaction {
        writes: entries
            .into_iter()
            .map(|entry| Write::Admit {
                table,
                entry,
                source: source.to_owned(),
            })
            .collect(),
    };
    Ok(commit_blocking(store, notifier, tenant, txn)?)
}
