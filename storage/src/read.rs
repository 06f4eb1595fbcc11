//! Snapshot reads: current documents, scans, history, the change feed, the raw log and time
//! travel, all from one RocksDB snapshot so a reader never sees half a commit.
//!
//! Invariants:
//! - Every entry returned was parsed and, where an index names its hash, re-hashed and compared;
//!   a mismatch is `Error::DamagedEntry`, never data.
//! - Signatures are not re-checked on read (they were checked before the entry was stored);
//!   `verify` re-checks them on demand.

use std::collections::HashSet;

use mindoodb_protocol::{AuthorClock, DocId, EntryHash, UnverifiedEntry};
use rocksdb::{DB, DBPinnableSlice, Direction, IteratorMode, ReadOptions, SnapshotWithThreadMode};

use crate::doc::{self, DocRecord, Document, Head, HistoryRecord};
use crate::layout::{self, CF_DOCS, CF_FEED, CF_HISTORY, CF_LOG};
use crate::store::Shared;
use crate::{Error, Result, Seq, Table};

/// One revision of a document.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Where it sits in the log.
    pub seq: Seq,
    /// The entry.
    pub entry: UnverifiedEntry,
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
        let mut docs = self.materialize(table, vec![(doc_id.clone(), record)])?;
        Ok(docs.pop())
    }

    /// Up to `limit` documents in id order, starting after `after`; deleted ones included.
    pub fn scan(&self, table: Table, after: Option<&DocId>, limit: usize) -> Result<Vec<Document>> {
        let start = match after {
            // The smallest key greater than every key of `after`: its key with 0x00 → 0x01.
            Some(id) => {
                let mut key = layout::doc_key(table, id);
                if let Some(last) = key.last_mut() {
                    *last = 1;
                }
                key
            }
            None => layout::table_prefix(table).to_vec(),
        };
        let mut records = Vec::with_capacity(limit.min(4096));
        for row in self.iter(CF_DOCS, table, &start) {
            if records.len() >= limit {
                break;
            }
            let (key, value) = row?;
            let doc_id = layout::doc_id_from_doc_key(&key)
                .ok_or_else(|| Error::Corrupted("bad docs key".into()))?;
            records.push((doc_id, DocRecord::decode(&value)?));
        }
        self.materialize(table, records)
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
            let entry = self.entry(table, seq, Some(&record.hash))?;
            revisions.push(Revision { seq, entry });
        }
        Ok(revisions)
    }

    /// Documents changed after `since`, each once at its newest seq, in seq order; at most
    /// `limit` of them. Reads O(limit) keys however long the table is.
    pub fn changes(&self, table: Table, since: Seq, limit: usize) -> Result<Vec<Change>> {
        let start = layout::seq_key(table, Seq(since.0.saturating_add(1)));
        let mut found = Vec::with_capacity(limit.min(4096));
        for row in self.iter(CF_FEED, table, &start) {
            if found.len() >= limit {
                break;
            }
            let (key, value) = row?;
            let seq = layout::seq_from_key(&key)
                .ok_or_else(|| Error::Corrupted("bad feed key".into()))?;
            let doc_id = std::str::from_utf8(&value)
                .ok()
                .and_then(|s| DocId::new(s).ok())
                .ok_or_else(|| Error::Corrupted("bad feed value".into()))?;
            found.push((seq, doc_id));
        }
        let keys: Vec<Vec<u8>> = found
            .iter()
            .map(|(_, doc_id)| layout::doc_key(table, doc_id))
            .collect();
        let values = self.multi_get(CF_DOCS, &keys);
        let mut records = Vec::with_capacity(found.len());
        for ((seq, doc_id), value) in found.iter().zip(values) {
            let bytes = value?
                .ok_or_else(|| Error::Corrupted(format!("feed names unknown document {doc_id}")))?;
            let record = DocRecord::decode(&bytes)?;
            if record.feed_seq != *seq {
                return Err(Error::Corrupted(format!(
                    "feed and document {doc_id} disagree"
                )));
            }
            records.push((doc_id.clone(), record));
        }
        let docs = self.materialize(table, records)?;
        Ok(found
            .into_iter()
            .zip(docs)
            .map(|((seq, _), doc)| Change { seq, doc })
            .collect())
    }

    /// Raw log entries after `since`, in seq order; at most `limit`.
    pub fn log(&self, table: Table, since: Seq, limit: usize) -> Result<Vec<LogRecord>> {
        let start = layout::seq_key(table, Seq(since.0.saturating_add(1)));
        let mut records = Vec::with_capacity(limit.min(4096));
        for row in self.iter(CF_LOG, table, &start) {
            if records.len() >= limit {
                break;
            }
            let (key, value) = row?;
            let seq =
                layout::seq_from_key(&key).ok_or_else(|| Error::Corrupted("bad log key".into()))?;
            let entry = parse(seq, value.into_vec())?;
            records.push(LogRecord { seq, entry });
        }
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

    /// Reads one log entry and checks it against the hash an index expects.
    pub(crate) fn entry(
        &self,
        table: Table,
        seq: Seq,
        expected: Option<&EntryHash>,
    ) -> Result<UnverifiedEntry> {
        let bytes = self
            .get_raw(CF_LOG, &layout::seq_key(table, seq))?
            .ok_or_else(|| Error::DamagedEntry {
                seq,
                why: "missing from the log".into(),
            })?;
        let entry = parse(seq, bytes)?;
        check_hash(seq, &entry, expected)?;
        Ok(entry)
    }

    /// Fetches the winners of many documents with one batched read.
    fn materialize(&self, table: Table, records: Vec<(DocId, DocRecord)>) -> Result<Vec<Document>> {
        let mut winners = Vec::with_capacity(records.len());
        for (doc_id, record) in &records {
            let head = *record
                .winner()
                .ok_or_else(|| Error::Corrupted(format!("document {doc_id} has no heads")))?;
            winners.push(head);
        }
        let keys: Vec<[u8; 16]> = winners
            .iter()
            .map(|h| layout::seq_key(table, h.seq))
            .collect();
        let values = self.multi_get(CF_LOG, &keys);
        let mut docs = Vec::with_capacity(records.len());
        for (((doc_id, record), head), value) in records.into_iter().zip(winners).zip(values) {
            let bytes = value?.ok_or_else(|| Error::DamagedEntry {
                seq: head.seq,
                why: "missing from the log".into(),
            })?;
            let entry = parse(head.seq, bytes.to_vec())?;
            check_hash(head.seq, &entry, Some(&head.hash))?;
            docs.push(Document {
                id: doc_id,
                feed_seq: record.feed_seq,
                created: record.created,
                heads: record.heads,
                winner: entry,
                winner_seq: head.seq,
            });
        }
        Ok(docs)
    }

    /// Point reads of many keys of `cf` in one batch, results in the order of `keys`.
    fn multi_get<K: AsRef<[u8]>>(
        &self,
        cf: &str,
        keys: &[K],
    ) -> Vec<Result<Option<DBPinnableSlice<'_>>, rocksdb::Error>> {
        let opts = self.read_options();
        // Keys often come in bytewise order already (ids and seqs both grow when documents are
        // written in id order, as with time-sortable ids); saying so spares RocksDB a sort.
        let sorted = keys.is_sorted_by(|a, b| a.as_ref() <= b.as_ref());
        self.shared
            .db
            .batched_multi_get_cf_opt(&self.shared.cf(cf), keys, sorted, &opts)
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

fn parse(seq: Seq, bytes: Vec<u8>) -> Result<UnverifiedEntry> {
    UnverifiedEntry::parse(bytes).map_err(|e| Error::DamagedEntry {
        seq,
        why: e.to_string(),
    })
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
