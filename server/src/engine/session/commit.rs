//! The one path by which anything commits to the store: a session's transaction (one signed
//! commit of its writes), an import (`mindoo.apply`, COPY of sealed entries, sync,
//! `mindoo.move`); each announces its tables' new seqs to listeners once the commit is
//! durable.
//!
//! Invariants:
//! - Publishing happens after the store returned, which is after the synced write.
//! - A transaction's writes are stored under one commit, signed once by its signer
//!   (`Store::commit_signed`), chained to that author's previous commit in the tenant.

use std::collections::BTreeMap;
use std::sync::Arc;

use mindoodb_storage::{
    CommitReceipt, Outcome, SigningTransaction, Store, TableId, TenantId, Transaction, Write,
};

use super::clock::now;
use super::listen::Notifier;
use super::txn::Writes;

/// Commits a session transaction's `writes` durably under one signed commit, on a blocking
/// thread, then announces it.
pub(crate) async fn commit_signed(
    store: &Store,
    notifier: &Arc<Notifier>,
    tenant: TenantId,
    writes: Writes,
) -> Result<(), mindoodb_storage::Error> {
    let store = store.clone();
    let notifier = notifier.clone();
    tokio::task::spawn_blocking(move || {
        let tables: Vec<TableId> = writes.writes.iter().map(|(table, _)| table.id).collect();
        let txn = SigningTransaction {
            signer: writes.signer.0,
            clock: now(),
            writes: writes.writes,
        };
        let receipt = store.commit_signed(txn)?;
        announce(&store, &notifier, tenant, &tables, &receipt.outcomes);
        Ok(())
    })
    .await
    .map_err(|e| mindoodb_storage::Error::Corrupted(format!("commit task: {e}")))?
}

/// Imports `txn` durably (on a thread that may block: table functions, COPY), then announces
/// it.
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
            Write::Local { table, .. }
            | Write::Import { table, .. }
            | Write::Admit { table, .. } => table.id,
        })
        .collect();
    let receipt = store.commit(txn)?;
    announce(store, notifier, tenant, &tables, &receipt.outcomes);
    Ok(receipt)
}

/// Tells listeners the newest seq each table got.
fn announce(
    store: &Store,
    notifier: &Notifier,
    tenant: TenantId,
    tables: &[TableId],
    outcomes: &[Outcome],
) {
    let mut last: BTreeMap<TableId, u64> = BTreeMap::new();
    for (table, outcome) in tables.iter().zip(outcomes) {
        if let Outcome::Appended(seq) = outcome {
            let entry = last.entry(*table).or_default();
            *entry = (*entry).max(seq.0);
        }
    }
    if !last.is_empty() {
        notifier.publish(store, tenant, last);
    }
}
