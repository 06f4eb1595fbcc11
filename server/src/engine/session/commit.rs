//! The one path by which anything commits to the store: a session's transaction, an import
//! (`mindoo.apply`, COPY of sealed entries, sync, `mindoo.move`); each announces its tables'
//! new seqs to listeners once the commit is durable.
//!
//! Invariants:
//! - Publishing happens after `Store::commit` returned, which is after the synced write.

use std::collections::BTreeMap;
use std::sync::Arc;

use mindoodb_storage::{CommitReceipt, Outcome, Store, TableId, TenantId, Transaction, Write};

use super::listen::Notifier;

/// Commits `txn` durably on a blocking thread, then announces it.
pub(crate) async fn commit(
    store: &Store,
    notifier: &Arc<Notifier>,
    tenant: TenantId,
    txn: Transaction,
) -> Result<CommitReceipt, mindoodb_storage::Error> {
    let store = store.clone();
    let notifier = notifier.clone();
    tokio::task::spawn_blocking(move || commit_blocking(&store, &notifier, tenant, txn))
        .await
        .map_err(|e| mindoodb_storage::Error::Corrupted(format!("commit task: {e}")))?
}

/// `commit` for callers already on a blocking thread (table functions, COPY).
pub(crate) fn commit_blocking(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    txn: Transaction,
) -> Result<CommitReceipt, mindoodb_storage::Error> {
    let tables: Vec<TableId> = txn
        .writes
        .iter()
        .map(|write| match write {
            Write::Local { table, .. } | Write::Import { table, .. } => table.id,
        })
        .collect();
    let receipt = store.commit(txn)?;
    let mut last: BTreeMap<TableId, u64> = BTreeMap::new();
    for (table, outcome) in tables.into_iter().zip(&receipt.outcomes) {
        if let Outcome::Appended(seq) = outcome {
            let entry = last.entry(table).or_default();
            *entry = (*entry).max(seq.0);
        }
    }
    if !last.is_empty() {
        notifier.publish(store, tenant, last);
    }
    Ok(receipt)
}
