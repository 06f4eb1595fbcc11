//! Snapshot reads: current documents, scans, history, the change feed, the raw log and time
//! travel, all from one RocksDB snapshot so a reader never sees half a commit.
//!
//! Invariants:
//! - Every entry returned was parsed and, where an index names its hash, re-hashed and compared;
//!   a mismatch is `Error::DamagedEntry`, never data. So is an entry whose body is absent.
//! - A document's winner is returned only when its header names the document it is indexed
//!   under.
//! - Signatures are not re-checked on read (they were checked before the entry was stored);
//!   `verify` re-checks them on demand.
//! - Winners of many documents are read through `Cursors` (stepping through the log in order)
//!   rather than point gets; see cursor.rs.

use std::collections::HashSet;

use mindoodb_protocol::{AuthorClock, DocId, EntryHash, UnverifiedEntry};
use rocksdb::{
    DB, DBRawIteratorWithThreadMode, Direction, IteratorMode, ReadOptions, SnapshotWithThreadMode,
};

use crate::cursor::{Cursor, Cursors};
use crate::doc::{self, DocRecord, Document, Head, HistoryRecord};
use crate::layout::{self, CF_DOCS, CF_FEED, CF_HISTORY, CF_LOG};
use crate::record::{self, Leaf};
use crate::scan::ScanPart;
use crate::store::Shared;
use crate::{Error, Result, Seq, Table};

/// One revision of a document.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Where it sits in the log.
    pub seq: Seq,
    /// The entry.
    pub entry: UnverifiedEntry,
    /// Where a format-2 entry sits in its commit (`Snapshot::inclusion` reads the proof).
    pub leaf: Option<Leaf>,
}

/// One row of the change feed: a document at its newest seq.
#[derive(Debug, Clone)]
pub struct Change {
    /// The document's feed position; resume after it.
    pub seq: Seq,
    /// The document's current state.
    pub doc: Document,
}

/// One row of the raw log.
#[derive(Debug, Clone)]
pub struct LogRecord {
    /// Its seq.
    pub seq: Seq,
    /// The sealed entry, parsed.
    pub entry: UnverifiedEntry,
    /// Where a format-2 entry sits in its commit.
    pub leaf: Option<Leaf>,
}

/// Where time travel stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// Entries with seq ≤ this.
    Seq(Seq),
    /// Entries whose author clock is ≤ this.
    Clock(AuthorClock),
}

/// A consistent view of the store at one moment.
pub struct Snapshot<'a> {
    pub(crate) shared: &'a Shared,
    /// None on a secondary store, whose view never moves while it is open.
    snap: Option<SnapshotWithThreadMode<'a, DB>>,
}

impl<'a> Snapshot<'a> {
    pub(crate) fn new(shared: &'a Shared) -> Snapshot<'a> {
        Snapshot {
            shared,
            snap: (!shared.secondary).then(|| shared.db.snapshot()),
        }
    }

    /// Read options pinned to this snapshot.
    pub(crate) fn read_options(&self) -> ReadOptions {
        let mut opts = ReadOptions::default();
        if let Some(snap) = &self.snap {
            opts.set_snapshot(snap);
        }
        opts
    }

    /// The current state of one document, deleted or not; `None` if it never existed.
    pub fn doc(&self, table: Table, doc_id: &DocId) -> Result<Option<Document>> {
        let Some(bytes) = self.get_raw(CF_DOCS, &layout::doc_key(table, doc_id))? else {
            return Ok(None);
        };
        let record = DocRecord::decode(&bytes)?;
        let id = doc_id.as_str().as_bytes();
        let head = winner_of(&record, id)?;
        let winner = self.shared.db.get_pinned_cf_opt(
            &self.shared.cf(CF_LOG),
            layout::seq_key(table, head.seq),
            &self.read_options(),
        )?;
        assemble(id, record, head, winner.as_deref()).map(Some)
    }

    /// Up to `limit` documents in id order, starting after `after`; deleted ones included.
    pub fn scan(&self, table: Table, after: Option<&DocId>, limit: usize) -> Result<Vec<Document>> {
        self.documents(table, after, ScanPart::WHOLE)
            .take(limit)
            .collect()
    }

    /// Up to `limit` ids of documents whose id starts with `prefix`, in id order, after `after`.
    pub fn ids_with_prefix(
        &self,
        table: Table,
        prefix: &str,
        after: Option<&DocId>,
        limit: usize,
    ) -> Result<Vec<DocId>> {
        let mut start = layout::table_prefix(table).to_vec();
        start.extend_from_slice(prefix.as_bytes());
        if let Some(id) = after {
            // The smallest key greater than every key of `after`: its key with 0x00 -> 0x01.
            let mut key = layout::doc_key(table, id);
            if let Some(last) = key.last_mut() {
                *last = 1;
            }
            start = start.max(key);
        }
        let mut ids = Vec::with_capacity(limit.min(4096));
        for row in self.iter(CF_DOCS, table, &start) {
            if ids.len() >= limit {
                break;
            }
            let (key, _) = row?;
            let doc_id = layout::doc_id_from_doc_key(&key)
                .ok_or_else(|| Error::Corrupted("bad docs key".into()))?;
            if !doc_id.as_str().starts_with(prefix) {
                break;
            }
            ids.push(doc_id);
        }
        Ok(ids)
    }

    /// Documents with more than one head, in id order.
    pub fn conflicts(&self, table: Table) -> Result<Vec<Document>> {
        let mut records = Vec::new();
        for row in self.iter(CF_DOCS, table, &layout::table_prefix(table)) {
            let (key, value) = row?;
            let record = DocRecord::decode(&value)?;
            if record.heads.len() > 1 {
                let doc_id = layout::doc_id_from_doc_key(&key)
                    .ok_or_else(|| Error::Corrupted("bad docs key".into()))?;
                records.push((doc_id, record));
            }
        }
        self.materialize(table, records)
    }

    /// Every revision of a document, in seq order.
    pub fn history(&self, table: Table, doc_id: &DocId) -> Result<Vec<Revision>> {
        let prefix = layout::doc_key(table, doc_id);
        let mut revisions = Vec::new();
        for row in self.iter(CF_HISTORY, table, &prefix) {
            let (key, value) = row?;
            if !key.starts_with(&prefix) {
                break;
            }
            let seq = layout::seq_from_history_key(&key)
                .ok_or_else(|| Error::Corrupted("bad history key".into()))?;
            let record = HistoryRecord::decode(&value)?;
            let (entry, leaf) = self.entry_with_leaf(table, seq, Some(&record.hash))?;
            revisions.push(Revision { seq, entry, leaf });
        }
        Ok(revisions)
    }

    /// Documents changed after `since`, each once at its newest seq, in seq order; at most
    /// `limit` of them. Reads O(limit) keys however long the table is.
    pub fn changes(&self, table: Table, since: Seq, limit: usize) -> Result<Vec<Change>> {
        let start = layout::seq_key(table, Seq(since.0.saturating_add(1)));
        let mut feed = self.raw_iter(CF_FEED, table);
        feed.seek(start);
        let mut docs = Cursor::new(self.raw_iter(CF_DOCS, table));
        let mut winners = self.log_cursors(table);
        let mut changes = Vec::with_capacity(limit.min(4096));
        while changes.len() < limit
            && let Some((key, value)) = feed.item()
        {
            let seq =
                layout::seq_from_key(key).ok_or_else(|| Error::Corrupted("bad feed key".into()))?;
            let doc_id = std::str::from_utf8(value)
                .ok()
                .and_then(|s| DocId::new(s).ok())
                .ok_or_else(|| Error::Corrupted("bad feed value".into()))?;
            let bytes = docs
                .get(&layout::doc_key(table, &doc_id))?
                .ok_or_else(|| Error::Corrupted(format!("feed names unknown document {doc_id}")))?;
            let record = DocRecord::decode(bytes)?;
            if record.feed_seq != seq {
                return Err(Error::Corrupted(format!(
                    "feed and document {doc_id} disagree"
                )));
            }
            let doc = document(table, &mut winners, doc_id.as_str().as_bytes(), record)?;
            changes.push(Change { seq, doc });
            feed.next();
        }
        feed.status()?;
        Ok(changes)
    }

    /// Raw log entries after `since`, in seq order; at most `limit`.
    pub fn log(&self, table: Table, since: Seq, limit: usize) -> Result<Vec<LogRecord>> {
        let start = layout::seq_key(table, Seq(since.0.saturating_add(1)));
        let mut log = self.raw_iter(CF_LOG, table);
        log.seek(start);
        let mut records = Vec::with_capacity(limit.min(4096));
        while records.len() < limit
            && let Some((key, value)) = log.item()
        {
            let seq =
                layout::seq_from_key(key).ok_or_else(|| Error::Corrupted("bad log key".into()))?;
            let (entry, leaf) = parse_value(seq, value)?;
            records.push(LogRecord { seq, entry, leaf });
            log.next();
        }
        log.status()?;
        Ok(records)
    }

    /// The last seq of `table`'s log (0 when empty).
    pub fn last_seq(&self, table: Table) -> Result<Seq> {
        let opts = self.read_options();
        let mut iter = self
            .shared
            .db
            .raw_iterator_cf_opt(&self.shared.cf(CF_LOG), opts);
        iter.seek_for_prev(layout::table_end(table));
        if iter.valid()
            && let Some(key) = iter.key()
            && key.starts_with(&layout::table_prefix(table))
        {
            return layout::seq_from_key(key).ok_or_else(|| Error::Corrupted("bad log key".into()));
        }
        iter.status()?;
        Ok(Seq(0))
    }

    /// The table as it was at `cutoff`: every document that had entries by then, with the heads
    /// and winner those entries alone give. Deleted documents come back as they were.
    pub fn as_of(&self, table: Table, cutoff: Cutoff) -> Result<Vec<Document>> {
        let mut records = Vec::new();
        let mut current: Option<(DocId, Vec<(Seq, HistoryRecord)>)> = None;
        let mut flush = |current: Option<(DocId, Vec<(Seq, HistoryRecord)>)>| {
            if let Some((doc_id, entries)) = current
                && let Some(record) = record_from_history(&entries)
            {
                records.push((doc_id, record));
            }
        };
        for row in self.iter(CF_HISTORY, table, &layout::table_prefix(table)) {
            let (key, value) = row?;
            let seq = layout::seq_from_history_key(&key)
                .ok_or_else(|| Error::Corrupted("bad history key".into()))?;
            let doc_key = &key[..key.len() - 8];
            let doc_id = layout::doc_id_from_doc_key(doc_key)
                .ok_or_else(|| Error::Corrupted("bad history key".into()))?;
            let record = HistoryRecord::decode(&value)?;
            let included = match cutoff {
                Cutoff::Seq(limit) => seq <= limit,
                Cutoff::Clock(limit) => record.clock <= limit,
            };
            if current.as_ref().is_none_or(|(id, _)| *id != doc_id) {
                flush(current.take());
                current = Some((doc_id, Vec::new()));
            }
            if included && let Some((_, entries)) = current.as_mut() {
                entries.push((seq, record));
            }
        }
        flush(current);
        self.materialize(table, records)
    }

    /// Reads one log entry, with where it sits in its commit, and checks it against the hash
    /// an index expects.
    pub(crate) fn entry_with_leaf(
        &self,
        table: Table,
        seq: Seq,
        expected: Option<&EntryHash>,
    ) -> Result<(UnverifiedEntry, Option<Leaf>)> {
        let bytes = self.log_value(table, seq)?;
        let (entry, leaf) = parse_value(seq, &bytes)?;
        check_hash(seq, &entry, expected)?;
        Ok((entry, leaf))
    }

    /// The stored log value at `seq`; its absence is damage (seqs are gap-free).
    pub(crate) fn log_value(&self, table: Table, seq: Seq) -> Result<Vec<u8>> {
        self.get_raw(CF_LOG, &layout::seq_key(table, seq))?
            .ok_or_else(|| Error::DamagedEntry {
                seq,
                why: "missing from the log".into(),
            })
    }

    /// Reads the winners of many documents, in the order given.
    fn materialize(&self, table: Table, records: Vec<(DocId, DocRecord)>) -> Result<Vec<Document>> {
        let mut winners = self.log_cursors(table);
        records
            .into_iter()
            .map(|(doc_id, record)| {
                document(table, &mut winners, doc_id.as_str().as_bytes(), record)
            })
            .collect()
    }

    /// Cursors over `table`'s log, for reading many winners.
    pub(crate) fn log_cursors(&self, table: Table) -> Cursors<'_> {
        Cursors::new(|| self.raw_iter(CF_LOG, table))
    }

    /// An unpositioned raw iterator over `table`'s keys of `cf` in this snapshot.
    pub(crate) fn raw_iter(&self, cf: &str, table: Table) -> DBRawIteratorWithThreadMode<'_, DB> {
        let mut opts = self.read_options();
        opts.set_iterate_upper_bound(layout::table_end(table));
        self.shared
            .db
            .raw_iterator_cf_opt(&self.shared.cf(cf), opts)
    }

    pub(crate) fn get_raw(&self, cf: &str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self
            .shared
            .db
            .get_cf_opt(&self.shared.cf(cf), key, &self.read_options())?)
    }

    pub(crate) fn iter_table<'s>(
        &'s self,
        cf: &str,
        table: Table,
    ) -> impl Iterator<Item = Result<layout::KeyValue>> + use<'s, 'a> {
        self.iter(cf, table, &layout::table_prefix(table))
    }

    /// Iterates `cf` from `start` to the end of `table`'s keys.
    fn iter<'s>(
        &'s self,
        cf: &str,
        table: Table,
        start: &[u8],
    ) -> impl Iterator<Item = Result<layout::KeyValue>> + use<'s, 'a> {
        let mut opts = self.read_options();
        opts.set_iterate_upper_bound(layout::table_end(table));
        self.shared
            .db
            .iterator_cf_opt(
                &self.shared.cf(cf),
                opts,
                IteratorMode::From(start, Direction::Forward),
            )
            .map(|row| row.map_err(Error::from))
    }
}

/// Parses a stored log value: the entry, and for format 2 where it sits in its commit.
pub(crate) fn parse_value(seq: Seq, bytes: &[u8]) -> Result<(UnverifiedEntry, Option<Leaf>)> {
    record::parse_entry(bytes).map_err(|why| Error::DamagedEntry { seq, why })
}

fn check_hash(seq: Seq, entry: &UnverifiedEntry, expected: Option<&EntryHash>) -> Result<()> {
    match expected {
        Some(hash) if entry.hash() != *hash => Err(Error::DamagedEntry {
            seq,
            why: format!("hash {} differs from the indexed {hash}", entry.hash()),
        }),
        _ => Ok(()),
    }
}

/// A document from its record and its winner, read through `winners`; `indexed_id` is the id the
/// docs index files it under.
pub(crate) fn document(
    table: Table,
    winners: &mut Cursors<'_>,
    indexed_id: &[u8],
    record: DocRecord,
) -> Result<Document> {
    let head = winner_of(&record, indexed_id)?;
    let bytes = winners.get(&layout::seq_key(table, head.seq))?;
    assemble(indexed_id, record, head, bytes)
}

fn winner_of(record: &DocRecord, indexed_id: &[u8]) -> Result<Head> {
    record.winner().copied().ok_or_else(|| {
        Error::Corrupted(format!(
            "document {} has no heads",
            String::from_utf8_lossy(indexed_id)
        ))
    })
}

/// Checks the winner's stored bytes against the index (hash and document) and builds the
/// document.
fn assemble(
    indexed_id: &[u8],
    record: DocRecord,
    head: Head,
    bytes: Option<&[u8]>,
) -> Result<Document> {
    let bytes = bytes.ok_or_else(|| Error::DamagedEntry {
        seq: head.seq,
        why: "missing from the log".into(),
    })?;
    let (entry, _) = parse_value(head.seq, bytes)?;
    check_hash(head.seq, &entry, Some(&head.hash))?;
    if entry.header().doc_id().as_str().as_bytes() != indexed_id {
        return Err(Error::DamagedEntry {
            seq: head.seq,
            why: format!(
                "belongs to document {}, not {}",
                entry.header().doc_id(),
                String::from_utf8_lossy(indexed_id)
            ),
        });
    }
    Ok(Document {
        id: entry.header().doc_id().clone(),
        feed_seq: record.feed_seq,
        created: record.created,
        heads: record.heads,
        winner: entry,
        winner_seq: head.seq,
    })
}

/// Heads, winner and positions from a document's entries alone (time travel).
fn record_from_history(entries: &[(Seq, HistoryRecord)]) -> Option<DocRecord> {
    let referenced: HashSet<&EntryHash> =
        entries.iter().flat_map(|(_, r)| r.parents.iter()).collect();
    let mut heads: Vec<Head> = entries
        .iter()
        .filter(|(_, r)| !referenced.contains(&r.hash))
        .map(|(seq, r)| Head {
            hash: r.hash,
            seq: *seq,
            clock: r.clock,
            kind: r.kind,
        })
        .collect();
    heads.sort_by_key(|h| h.hash);
    let stored: HashSet<&EntryHash> = entries.iter().map(|(_, r)| &r.hash).collect();
    let mut missing: Vec<EntryHash> = referenced
        .into_iter()
        .filter(|h| !stored.contains(h))
        .copied()
        .collect();
    missing.sort();
    doc::winner(&heads)?;
    Some(DocRecord {
        feed_seq: entries.iter().map(|(seq, _)| *seq).max()?,
        created: entries.iter().map(|(_, r)| r.clock).min()?,
        heads,
        missing,
    })
}
