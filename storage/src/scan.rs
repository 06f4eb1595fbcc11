//! Streaming scans of current documents (`Snapshot::documents`) and `ScanPart`, the share of a
//! table that one thread of a parallel scan reads from a shared snapshot.
//!
//! A part is every `count`-th chunk of `SCAN_CHUNK` consecutive documents, so parts stay
//! balanced without knowing the table's size or id distribution, and each part still reads runs
//! of neighbouring winners. Every part walks the whole docs index but decodes only its own
//! rows; stepping over a row costs a small fraction of reading a document.
//!
//! Invariants:
//! - The parts of `ScanPart::split(n)`, each scanned from the same `after` in the same snapshot,
//!   yield every document of that scan exactly once between them; each part in id order.
//! - Documents come out checked as `Snapshot` reads promise (read.rs): winner re-hashed against
//!   the index and filed under its own id.
//! - After the first error the iterator ends.

use mindoodb_protocol::DocId;
use rocksdb::{DB, DBRawIteratorWithThreadMode};

use crate::cursor::Cursors;
use crate::doc::{DocRecord, Document};
use crate::layout::{self, CF_DOCS};
use crate::read::{self, Snapshot};
use crate::{Error, Result, Table};

/// Consecutive documents that go to the same part: large enough that a part reads long runs of
/// neighbouring log entries, small enough that a few thousand documents still split evenly.
pub const SCAN_CHUNK: u64 = 256;

/// One share of a scan: chunk `index` of every `count` chunks of `SCAN_CHUNK` documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanPart {
    index: u64, // Invariant: index < count.
    count: u64,
}

/// Current documents in id order, as `Snapshot::documents` yields them.
pub struct Documents<'s> {
    table: Table,
    part: ScanPart,
    rows: DBRawIteratorWithThreadMode<'s, DB>, // The docs index, at the next row to look at.
    winners: Cursors<'s>,
    row_idx: u64, // Rows of the docs index passed since the scan's start.
    done: bool,
}

impl ScanPart {
    /// The whole scan, in one part.
    pub const WHOLE: ScanPart = ScanPart { index: 0, count: 1 };

    /// Part `index` of `count`; `None` unless `index < count`.
    pub fn new(index: usize, count: usize) -> Option<ScanPart> {
        (index < count).then_some(ScanPart {
            index: index as u64,
            count: count as u64,
        })
    }

    /// The `count` parts that together make a whole scan (one part when `count` is 0).
    pub fn split(count: usize) -> impl Iterator<Item = ScanPart> {
        let count = count.max(1);
        (0..count).filter_map(move |index| ScanPart::new(index, count))
    }

    fn owns(self, row_idx: u64) -> bool {
        (row_idx / SCAN_CHUNK) % self.count == self.index
    }
}

impl<'a> Snapshot<'a> {
    /// Streams current documents in id order, starting after `after`; deleted ones included.
    /// With a `part` other than `ScanPart::WHOLE`, only that part's share of them: run the parts
    /// of `ScanPart::split(n)` on `n` threads over this one snapshot to read a table in parallel.
    pub fn documents(&self, table: Table, after: Option<&DocId>, part: ScanPart) -> Documents<'_> {
        let mut rows = self.raw_iter(CF_DOCS, table);
        match after {
            // The smallest key greater than every key of `after`: its key with 0x00 → 0x01.
            Some(id) => {
                let mut key = layout::doc_key(table, id);
                if let Some(last) = key.last_mut() {
                    *last = 1;
                }
                rows.seek(key);
            }
            None => rows.seek(layout::table_prefix(table)),
        }
        Documents {
            table,
            part,
            rows,
            winners: self.log_cursors(table),
            row_idx: 0,
            done: false,
        }
    }
}

impl Iterator for Documents<'_> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        if self.done {
            return None;
        }
        while let Some((key, value)) = self.rows.item() {
            let row_idx = self.row_idx;
            self.row_idx += 1;
            if !self.part.owns(row_idx) {
                self.rows.next();
                continue;
            }
            let doc = row_document(self.table, &mut self.winners, key, value);
            self.rows.next();
            self.done = doc.is_err();
            return Some(doc);
        }
        self.done = true;
        self.rows.status().err().map(|e| Err(e.into()))
    }
}

fn row_document(
    table: Table,
    winners: &mut Cursors<'_>,
    key: &[u8],
    value: &[u8],
) -> Result<Document> {
    let indexed_id =
        layout::doc_id_bytes(key).ok_or_else(|| Error::Corrupted("bad docs key".into()))?;
    read::document(table, winners, indexed_id, DocRecord::decode(value)?)
}
