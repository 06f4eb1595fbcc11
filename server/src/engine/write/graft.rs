//! Grafting documents from one table into another without keys (`mindoo.move`): shards over
//! time, where an archived table (`ALTER TABLE t SET (read_only = true)`) hands its documents
//! on to the next.
//!
//! Invariants:
//! - A move copies each document's whole history as the sealed bytes the source holds, with
//!   their original signatures or commits; nothing is decrypted, re-encrypted or re-signed
//!   (the table is not in the signed bytes, docs/FORMAT.md). Every entry is verified (by its
//!   signature, or by its commit and path) before it is written.
//! - A move is idempotent and resumable: entries the target holds already are skipped.
//! - The source is never changed: its log is append-only (removing history is the purge of
//!   a later feature). Archive it with `read_only` so it stops growing.
//!
//! See: docs/SQL.md#shards-over-time

use mindoodb_protocol::Receiver;
use mindoodb_storage::{Outcome, Store, Table, TenantId, Transaction, Write};

use crate::engine::session::commit::commit_blocking;
use crate::engine::session::listen::Notifier;
use crate::error::{Error, Result};

/// Documents read per page of a move, and so per import transaction at most.
const MOVE_PAGE: usize = 256;

/// What a `mindoo.move` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moved {
    /// Documents whose id has the prefix.
    pub(crate) documents: u64,
    /// Entries of their histories.
    pub(crate) entries: u64,
    /// Entries the target did not hold before.
    pub(crate) copied: u64,
}

/// Copies the full history of every document of `src` whose id starts with `prefix` into
/// `dst`, one import transaction per page of documents. Runs on a blocking thread.
pub(crate) fn graft(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    (src, dst): (Table, Table),
    prefix: &str,
) -> Result<Moved> {
    if src == dst {
        return Err(Error::InvalidParameter(
            "mindoo.move needs two different tables".into(),
        ));
    }
    let mut moved = Moved {
        documents: 0,
        entries: 0,
        copied: 0,
    };
    let mut after = None;
    let mut receiver = Receiver::new();
    loop {
        let snapshot = store.snapshot();
        let ids = snapshot.ids_with_prefix(src, prefix, after.as_ref(), MOVE_PAGE)?;
        let mut revisions = Vec::new();
        for id in &ids {
            revisions.extend(snapshot.history(src, id)?);
        }
        let leaves: Vec<_> = revisions.iter().map(|r| r.leaf.as_ref()).collect();
        let proofs = snapshot.carried_proofs(tenant, &leaves, &[])?;
        drop(snapshot);
        let mut writes = Vec::with_capacity(revisions.len());
        for (revision, proof) in revisions.into_iter().zip(proofs) {
            let (seq, hash) = (revision.seq, revision.entry.hash());
            let doc_id = revision.entry.header().doc_id().clone();
            let entry = receiver
                .verify(revision.entry, proof.as_ref().map(|p| p.bytes.as_slice()))
                .map_err(|err| mindoodb_storage::Error::DamagedEntry {
                    seq,
                    why: format!("entry {hash} of document {doc_id} failed verification: {err}"),
                })?;
            writes.push(Write::Import { table: dst, entry });
        }
        moved.documents += ids.len() as u64;
        moved.entries += writes.len() as u64;
        if !writes.is_empty() {
            let receipt = commit_blocking(store, notifier, tenant, Transaction { writes })?;
            moved.copied += receipt
                .outcomes
                .iter()
                .filter(|outcome| matches!(outcome, Outcome::Appended(_)))
                .count() as u64;
        }
        if ids.len() < MOVE_PAGE {
            return Ok(moved);
        }
        after = ids.last().cloned();
    }
}
