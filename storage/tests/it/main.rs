//! Storage engine tests against real RocksDB in temp dirs, compiled as one binary.

mod audit;
mod audit_received;
mod backup;
mod catalog;
mod commit;
mod commits;
mod commits_tamper;
mod convergence;
mod crash;
mod read;
mod receipts;
mod shards;
mod verify;

use std::sync::Arc;

use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryHash, EntryKind, Identity, KeyName, Nonce,
    SealedEntry, VerifiedEntry, seal, seal_entry,
};
use mindoodb_storage::{SigningTransaction, Store, StoreConfig, Table, Transaction, Write};
use tempfile::TempDir;
use zeroize::Zeroizing;

pub(crate) struct Fixture {
    pub(crate) dir: TempDir,
    pub(crate) store: Store,
    pub(crate) table: Table,
}

pub(crate) fn config() -> StoreConfig {
    StoreConfig {
        cache_bytes: 8 << 20,
    }
}

/// A store in a temp dir with tenant `acme` and table `crm2025`.
pub(crate) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &config()).unwrap();
    let tenant = store.create_tenant("acme").unwrap();
    let table = store
        .create_table(tenant.id, "crm2025", None, Default::default())
        .unwrap()
        .table;
    Fixture { dir, store, table }
}

pub(crate) fn key() -> DataKey {
    DataKey::from_secret(KeyName::new("default").unwrap(), 1, Zeroizing::new([7; 32])).unwrap()
}

pub(crate) fn identity(seed: u8) -> Identity {
    Identity::from_seed(&[seed; 32])
}

fn draft(doc: &str, kind: EntryKind, parents: &[EntryHash], clock: i64) -> Draft {
    Draft {
        kind,
        doc_id: DocId::new(doc).unwrap(),
        parents: parents.to_vec(),
        clock: AuthorClock(clock),
        signer_role: String::new(),
    }
}

/// Seals one revision of `doc` signed by identity `author`.
pub(crate) fn entry(
    doc: &str,
    kind: EntryKind,
    parents: &[EntryHash],
    clock: i64,
    author: u8,
    body: &str,
) -> VerifiedEntry {
    let body = if kind == EntryKind::Delete { "" } else { body };
    seal(
        draft(doc, kind, parents, clock),
        body.as_bytes(),
        &key(),
        &identity(author),
        Nonce::random().unwrap(),
    )
    .unwrap()
}

/// Seals one format-2 revision of `doc` by identity `author`, for a commit to sign.
pub(crate) fn sealed(
    doc: &str,
    kind: EntryKind,
    parents: &[EntryHash],
    clock: i64,
    author: u8,
    body: &str,
) -> SealedEntry {
    let body = if kind == EntryKind::Delete { "" } else { body };
    seal_entry(
        draft(doc, kind, parents, clock),
        body.as_bytes(),
        &key(),
        identity(author).public(),
        Nonce::random().unwrap(),
    )
    .unwrap()
}

/// A transaction the commit thread signs as identity `author`.
pub(crate) fn signing(author: u8, writes: Vec<(Table, SealedEntry)>) -> SigningTransaction {
    SigningTransaction {
        signer: Arc::new(identity(author)),
        clock: AuthorClock(1),
        writes,
    }
}

pub(crate) fn local(table: Table, entry: &VerifiedEntry) -> Transaction {
    Transaction {
        writes: vec![Write::Local {
            table,
            entry: entry.clone(),
        }],
    }
}

pub(crate) fn import(table: Table, entries: &[VerifiedEntry]) -> Transaction {
    Transaction {
        writes: entries
            .iter()
            .map(|e| Write::Import {
                table,
                entry: e.clone(),
            })
            .collect(),
    }
}

pub(crate) fn doc_id(id: &str) -> DocId {
    DocId::new(id).unwrap()
}
