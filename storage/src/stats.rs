//! Per-table storage statistics (`mindoo.stats()`): documents, entries, the last seq and the
//! bytes the table's keys take on disk.
//!
//! Invariants:
//! - Counts come from one snapshot; `bytes_on_disk` is RocksDB's estimate over the table's
//!   key ranges in flushed files, so writes still in the memtable are not counted yet.
//! - Reads the table's document records (O(documents)), never the log's entries.

use mindoodb_protocol::EntryKind;
use rocksdb::Range;

use crate::doc::DocRecord;
use crate::layout::{self, CF_DOCS, TABLE_CFS};
use crate::read::Snapshot;
use crate::{Result, Seq, Table};

/// What one table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStats {
    /// Documents ever written, deleted ones included.
    pub documents: u64,
    /// Documents whose winning revision is a tombstone.
    pub deleted: u64,
    /// Entries in the log (seqs are gap-free, so this is also the last seq).
    pub entries: u64,
    /// The last seq, 0 for an empty table.
    pub last_seq: Seq,
    /// Estimated bytes on disk of the table's log and indexes (flushed data only).
    pub bytes_on_disk: u64,
}

impl Snapshot<'_> {
    /// Statistics of `table`; see the module doc for what each number means.
    pub fn stats(&self, table: Table) -> Result<TableStats> {
        let (mut documents, mut deleted) = (0, 0);
        for row in self.iter_table(CF_DOCS, table) {
            let (_, value) = row?;
            documents += 1;
            let record = DocRecord::decode(&value)?;
            if record
                .winner()
                .is_some_and(|head| head.kind == EntryKind::Delete)
            {
                deleted += 1;
            }
        }
        let last_seq = self.last_seq(table)?;
        let (start, end) = (layout::table_prefix(table), layout::table_end(table));
        let range = [Range::new(&start[..], &end[..])];
        let bytes_on_disk = TABLE_CFS
            .iter()
            .flat_map(|cf| {
                self.shared
                    .db
                    .get_approximate_sizes_cf(&self.shared.cf(cf), &range)
            })
            .sum();
        Ok(TableStats {
            documents,
            deleted,
            entries: last_seq.0,
            last_seq,
            bytes_on_disk,
        })
    }
}
