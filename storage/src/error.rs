//! Errors of the storage engine.
//!
//! Invariants:
//! - `Poisoned` and `DiskFull` are sticky: after a failed synced write the store refuses every
//!   later write until it is reopened, and never retries the fsync (see
//!   ARCHITECTURE.md#durability). `DiskFull` says the failure was a lack of space.

use mindoodb_protocol::{AuthorKey, CommitHash, DocId, EntryHash};

use crate::{Seq, Table};

/// Everything the storage engine can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// RocksDB reported an error.
    #[error("rocksdb: {0}")]
    Rocks(#[from] rocksdb::Error),
    /// An earlier synced write failed; writes are refused until the store is reopened.
    #[error("store refuses writes after an earlier write failure; reopen it")]
    Poisoned,
    /// A synced write failed for lack of disk space; writes are refused until the store is
    /// reopened (after space was freed).
    #[error("the disk is full: store refuses writes until it is reopened with space to spare")]
    DiskFull,
    /// Stored bytes are not what the engine wrote.
    #[error("corrupted store: {0}")]
    Corrupted(String),
    /// No tenant of that name or id.
    #[error("tenant {0} does not exist")]
    NoSuchTenant(String),
    /// No table of that name or id.
    #[error("table {0} does not exist")]
    NoSuchTable(String),
    /// No view of that name.
    #[error("view {0} does not exist")]
    NoSuchView(String),
    /// A commit wrote to a table archived with `set_read_only`.
    #[error("table {0} is read-only")]
    ReadOnlyTable(String),
    /// The store was opened as a read-only secondary (backup, verify): it cannot write.
    #[error("store is open read-only")]
    ReadOnlyStore,
    /// No role of that name.
    #[error("role {0} does not exist")]
    NoSuchRole(String),
    /// A tenant, table, role or key version with that name exists already.
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// A name is empty, too long or uses characters outside `[a-z0-9_]`.
    #[error(
        "invalid name {0:?}: use 1 to 63 characters of a-z, 0-9 and '_', starting with a letter or '_'"
    )]
    InvalidName(String),
    /// A create named a document that exists already.
    #[error("document {0} already exists")]
    DuplicateDocument(DocId),
    /// A local write's parents are not the document's current heads: someone wrote first.
    #[error("document {doc_id} changed since it was read")]
    Conflict {
        /// The document.
        doc_id: DocId,
    },
    /// An entry names a parent that is stored under another document.
    #[error("entry {entry} of document {doc_id} names parent {parent} of another document")]
    ForeignParent {
        /// The entry.
        entry: EntryHash,
        /// Its document.
        doc_id: DocId,
        /// The offending parent.
        parent: EntryHash,
    },
    /// A local update or delete of a document that does not exist.
    #[error("document {0} does not exist")]
    NoSuchDocument(DocId),
    /// The operating system refused a thread the engine needs (commit pipeline, snapshot reader).
    #[error("cannot start a thread: {0}")]
    Thread(std::io::Error),
    /// The commit pipeline stopped (the store is closing).
    #[error("store is closed")]
    Closed,
    /// A `Write::Local` transaction brought a new commit without all of its entries.
    #[error(
        "commit {commit} is missing {missing} of its entries: a commit is stored with all of them"
    )]
    IncompleteCommit {
        /// The commit.
        commit: CommitHash,
        /// How many of its leaves no write brought.
        missing: usize,
    },
    /// A `Write::Local` commit names a previous commit of its author that the tenant lacks.
    #[error("commit {commit} follows commit {prev}, which is not stored")]
    UnknownPrevCommit {
        /// The commit.
        commit: CommitHash,
        /// The previous commit it names.
        prev: CommitHash,
    },
    /// A signing transaction cannot form a commit (no entries, several tenants, entries by
    /// another author).
    #[error("invalid commit: {0}")]
    InvalidCommit(String),
    /// A receipt's commits do not give its root or count.
    #[error("invalid receipt: {0}")]
    InvalidReceipt(String),
    /// A different receipt of the same server covers some of the same commit seqs.
    #[error("server {server} signed another receipt over commits {first} to {last}")]
    ReceiptConflict {
        /// The signing server.
        server: AuthorKey,
        /// The refused receipt's first covered seq.
        first: u64,
        /// Its last covered seq.
        last: u64,
    },
    /// A stored entry no longer parses or hashes as expected.
    #[error("stored entry at seq {seq} is damaged: {why}")]
    DamagedEntry {
        /// Where.
        seq: Seq,
        /// What is wrong.
        why: String,
    },
    /// A writer record that does not continue the tenant's list, or whose signer may not
    /// make it.
    #[error("{0}")]
    WriterList(#[from] mindoodb_protocol::WriterListError),
    /// A read-audit record from elsewhere that does not extend the chain it was offered for.
    #[error("read-audit record {seq} refused: {why}")]
    AuditChain {
        /// The record's seq.
        seq: u64,
        /// Why (a fork, a gap, a chain id that is not its record 1's hash).
        why: String,
    },
}

impl Error {
    /// Table `table` is gone (dropped, or never was), named by its ids.
    pub(crate) fn no_such_table(table: Table) -> Error {
        Error::NoSuchTable(format!("{}/{}", table.tenant.0, table.id.0))
    }
}
