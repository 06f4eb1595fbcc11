//! MindooDB's storage engine: an append-only log of sealed entries in RocksDB, with the
//! indexes derived from it, written by one group-commit pipeline.
//!
//! Architecture invariant: this crate knows no SQL, no sockets and no data keys. It stores
//! sealed entries it cannot read, the commits that sign them and servers' receipts, checks
//! their hashes, signatures, inclusion paths and parent links, and answers questions about
//! documents by metadata alone. Decryption happens above it. The one secret it ever touches is
//! a signing identity a caller hands to `Store::commit_signed` for that commit (or to
//! `Store::append_audit` for one read-audit record); it keeps none.
//!
//! Invariants:
//! - The `log` column family is append-only: a (tenant, table, seq) key is written once, by the
//!   commit that assigned the seq, and removed only when its table is dropped.
//! - The `commits` column family is append-only too: a tenant's commits and receipts at
//!   gap-free seqs from 1, removed only with the tenant.
//! - The `audit` column family (read-audit records, `audit.rs`) is append-only and not derived:
//!   a table's signed chain from seq 1, removed only with the table. So is `audit_received`
//!   (`audit_received.rs`): other nodes' chains of the table, each stored only as it extends.
//! - Every other column family is derived from the log and commits, written in the same
//!   WriteBatch.
//! - Seqs are gap-free per table, starting at 1.
//! - Only `VerifiedEntry` values reach the log, and a format-2 entry only with its commit, in
//!   the same WriteBatch or after it.
//!
//! See: docs/ARCHITECTURE.md#storage, docs/FORMAT.md#storage-layout

mod access;
mod audit;
mod audit_append;
mod audit_received;
mod backup;
mod backup_audit;
mod backup_file;
mod carried;
mod catalog;
mod codec;
mod commit;
mod commit_read;
mod cursor;
mod doc;
mod error;
mod layout;
mod quarantine;
mod read;
mod record;
mod restore;
mod roles;
mod scan;
mod shared_snapshot;
mod sign;
mod stage;
mod stage_commits;
mod stats;
mod store;
mod verify;
mod verify_commits;
mod views;
mod writers;

pub use access::{Access, AclItem, DefaultAcl, TenantAccess};
pub use audit::AuditRead;
pub use audit_received::{AuditAdded, AuditChain};
pub use backup::{
    BackupError, BackupInfo, LogRange, Progress, ReceivedRange, RestoreSummary, TableRange,
    TenantRange, Until, verify_backups,
};
pub use carried::{CarriedProof, CarriedRecord};
pub use catalog::{KeyRecord, Membership, RoleRecord, SyncCursor, TableInfo, TenantInfo, ViewInfo};
pub use commit::{
    CommitImport, CommitReceipt, Outcome, SignedCommitReceipt, SigningTransaction, Transaction,
    Write,
};
pub use commit_read::{EntryProof, LogPage, Unreceipted};
pub use doc::{Document, Head};
pub use error::Error;
pub use quarantine::QuarantineRecord;
pub use read::{Change, Cutoff, LogRecord, Revision, Snapshot};
pub use record::{Leaf, StoredCommit, StoredReceipt};
pub use restore::restore;
pub use scan::{Documents, SCAN_CHUNK, ScanPart};
pub use shared_snapshot::{PendingRead, SharedSnapshot};
pub use stats::TableStats;
pub use store::{Store, StoreConfig};
pub use verify::{Problem, VerifyReport};
pub use verify_commits::{CommitProblem, CommitReport};
pub use writers::WriterAdded;

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A tenant's id: assigned at creation, never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(pub u32);

/// A table's id: assigned at creation, never reused, so a re-created table starts empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub u32);

/// A table as the engine addresses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Table {
    /// The owning tenant.
    pub tenant: TenantId,
    /// The table.
    pub id: TableId,
}

/// A position in a table's log; gap-free from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seq(pub u64);

impl std::fmt::Display for Seq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A position in a tenant's commit log; gap-free from 1, in the order this store stored them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitSeq(pub u64);

/// A position in a tenant's receipt log; gap-free from 1, in the order this store stored them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReceiptSeq(pub u64);
