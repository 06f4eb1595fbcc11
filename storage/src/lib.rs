//! MindooDB's storage engine: an append-only log of sealed entries in RocksDB, with the
//! indexes derived from it, written by one group-commit pipeline.
//!
//! Architecture invariant: this crate knows no SQL, no sockets and no keys. It stores sealed
//! entries it cannot read, checks their hashes, signatures and parent links, and answers
//! questions about documents by metadata alone. Decryption happens above it.
//!
//! Invariants:
//! - The `log` column family is append-only: a (tenant, table, seq) key is written once, by the
//!   commit that assigned the seq, and removed only when its table is dropped.
//! - Every other column family is derived from the log and written in the same WriteBatch.
//! - Seqs are gap-free per table, starting at 1.
//! - Only `VerifiedEntry` values reach the log.
//!
//! See: docs/ARCHITECTURE.md#storage, docs/FORMAT.md#storage-layout

mod catalog;
mod codec;
mod commit;
mod cursor;
mod doc;
mod error;
mod layout;
mod read;
mod scan;
mod shared_snapshot;
mod store;
mod verify;

pub use catalog::{KeyRecord, RoleRecord, SyncCursor, TableInfo, TenantInfo, ViewInfo};
pub use commit::{CommitReceipt, Outcome, Transaction, Write};
pub use doc::{Document, Head};
pub use error::Error;
pub use read::{Change, Cutoff, LogRecord, Revision, Snapshot};
pub use scan::{Documents, SCAN_CHUNK, ScanPart};
pub use shared_snapshot::{PendingRead, SharedSnapshot};
pub use store::{Store, StoreConfig};
pub use verify::{Problem, VerifyReport};

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
