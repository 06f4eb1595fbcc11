//! Group commit: queues transactions, checks each against current heads, assigns gap-free
//! seqs, writes one synced WriteBatch per group, then acknowledges every member.
//!
//! One thread per store owns all writes to table data, so "current heads" and "next seq" need
//! no locks: the thread reads the latest committed state from RocksDB plus what earlier members
//! of the same group staged.
//!
//! Invariants:
//! - A transaction's writes land in one WriteBatch together or not at all.
//! - A member is acknowledged only after the WriteBatch holding it was written with `sync`.
//! - After a failed write, every later commit fails with `Error::Poisoned` (no fsync retry;
//!   `Error::DiskFull` when the write failed for lack of space),
//!   and seq counters are forgotten so nothing assigned to the failed group is reused blindly.
//! - The catalog read lock is held from staging to the write, so a table cannot be dropped
//!   or made read-only between the check and the write.
//! - Waiting for stragglers (`gather`) only delays a group, bounded by half the last sync; it
//!   never drops, reorders or acknowledges a job.
//!
//! See: docs/ARCHITECTURE.md#durability

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mindoodb_protocol::{DocId, EntryHash, EntryKind, VerifiedEntry};
use rocksdb::{WriteBatch, WriteOptions};

use crate::doc::{DocRecord, Head, HistoryRecord};
use crate::layout::{self, CF_BY_HASH, CF_DOCS, CF_FEED, CF_HISTORY, CF_LOG};
use crate::store::Shared;
use crate::{Error, Result, Seq, Table};

/// Most transactions one group takes; bounds a batch's size and a member's wait.
const MAX_GROUP: usize = 512;
/// Longest wait for stragglers, whatever the last sync took.
const MAX_PATIENCE: Duration = Duration::from_millis(2);

/// One write of a transaction.
#[derive(Debug, Clone)]
pub enum Write {
    /// A revision written here: its parents must be exactly the document's current heads
    /// (a create: the document must not exist), else `Conflict` / `DuplicateDocument`.
    Local {
        /// Target table.
        table: Table,
        /// The sealed revision.
        entry: VerifiedEntry,
    },
    /// An entry produced elsewhere (sync, restore, `mindoo.apply`): stored once per hash,
    /// whatever the document's heads; its parents may arrive later.
    Import {
        /// Target table.
        table: Table,
        /// The verified entry.
        entry: VerifiedEntry,
    },
}

/// Writes that commit atomically.
#[derive(Debug, Clone, Default)]
pub struct Transaction {
    /// In order; a later write may name an earlier one as parent.
    pub writes: Vec<Write>,
}

/// What happened to one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored at this seq.
    Appended(Seq),
    /// The table already held this entry, at this seq; nothing was written.
    Duplicate(Seq),
}

/// The outcome of each write, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitReceipt {
    /// One per write.
    pub outcomes: Vec<Outcome>,
}

pub(crate) struct Pipeline {
    sender: Option<SyncSender<Job>>, // Invariant: Some until drop.
    thread: Option<JoinHandle<()>>,
}

struct Job {
    txn: Transaction,
    reply: SyncSender<Result<CommitReceipt>>,
}

impl Pipeline {
    pub(crate) fn start(shared: Arc<Shared>) -> Result<Pipeline> {
        // Enough room for every waiting writer of a busy server without unbounded memory.
        let (sender, receiver) = sync_channel::<Job>(4 * MAX_GROUP);
        let thread = std::thread::Builder::new()
            .name("mindoodb-commit".into())
            .spawn(move || run(&shared, &receiver))
            .map_err(Error::Thread)?;
        Ok(Pipeline {
            sender: Some(sender),
            thread: Some(thread),
        })
    }

    /// Queues `txn` and blocks until its group is durable (or refused).
    pub(crate) fn commit(&self, txn: Transaction) -> Result<CommitReceipt> {
        let (reply, answer) = sync_channel(1);
        let sender = self.sender.as_ref().ok_or(Error::Closed)?;
        sender.send(Job { txn, reply }).map_err(|_| Error::Closed)?;
        answer.recv().map_err(|_| Error::Closed)?
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        // Closing the channel ends the thread after the groups already queued.
        self.sender.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(shared: &Shared, receiver: &Receiver<Job>) {
    let mut committed_seqs: HashMap<Table, u64> = HashMap::new();
    // Set by a failed synced write: what every later commit is refused with.
    let mut poisoned: Option<fn() -> Error> = None;
    let mut sync = WriteOptions::default();
    sync.set_sync(true);

    // The last group's size and sync time: how many to wait for, and for how long.
    let mut last_group = 1;
    let mut last_sync = Duration::ZERO;

    while let Ok(first) = receiver.recv() {
        let jobs = gather(
            receiver,
            first,
            last_group,
            (last_sync / 2).min(MAX_PATIENCE),
        );
        last_group = jobs.len();
        if let Some(refusal) = poisoned {
            for job in jobs {
                let _ = job.reply.send(Err(refusal()));
            }
            continue;
        }

        let catalog = shared.catalog.read();
        let mut group = Staged::default();
        let mut batch = WriteBatch::default();
        let mut results = Vec::with_capacity(jobs.len());
        for job in &jobs {
            let mut txn_stage = Staged::default();
            let res = stage_txn(
                shared,
                &catalog,
                &mut committed_seqs,
                &group,
                &mut txn_stage,
                &job.txn,
            );
            if res.is_ok() {
                txn_stage.write_into(shared, &mut batch);
                group.absorb(txn_stage);
            }
            results.push(res);
        }

        let written = if batch.is_empty() {
            Ok(())
        } else {
            let started = Instant::now();
            let written = shared.db.write_opt(batch, &sync);
            last_sync = started.elapsed();
            written
        };
        drop(catalog);
        match written {
            Ok(()) => {
                for (table, seq) in group.next_seq {
                    committed_seqs.insert(table, seq);
                }
                shared.record_commit(jobs.len());
            }
            Err(err) => {
                tracing::error!(error = %err, "commit write failed; refusing further writes");
                let refusal: fn() -> Error = if is_no_space(&err) {
                    || Error::DiskFull
                } else {
                    || Error::Poisoned
                };
                poisoned = Some(refusal);
                committed_seqs.clear();
                for res in &mut results {
                    if res.is_ok() {
                        *res = Err(refusal());
                    }
                }
            }
        }
        for (job, res) in jobs.into_iter().zip(results) {
            let _ = job.reply.send(res);
        }
    }
}

/// Whether RocksDB failed for lack of space (ENOSPC), which it reports only in its message.
fn is_no_space(err: &rocksdb::Error) -> bool {
    err.to_string().contains("No space left")
}

/// The next group: `first`, everything queued behind it, and, while fewer than `expected`
/// (the last group's size) have come, whatever arrives within `patience`.
///
/// Like PostgreSQL's `commit_delay`: the members of the last group are acknowledged together
/// and come back at nearly the same time; without the wait the first of them would be synced
/// alone while the rest queue behind it, and every sync would carry fewer transactions.
/// A lone committer (`expected` 1) never waits.
fn gather<T>(receiver: &Receiver<T>, first: T, expected: usize, patience: Duration) -> Vec<T> {
    let mut jobs = vec![first];
    let take_queued = |jobs: &mut Vec<T>| {
        while jobs.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(mpsc::TryRecvError::Empty | mpsc::TryRecvError::Disconnected) => break,
            }
        }
    };
    take_queued(&mut jobs);
    let deadline = Instant::now() + patience;
    while jobs.len() < expected.min(MAX_GROUP) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match receiver.recv_timeout(left) {
            Ok(job) => {
                jobs.push(job);
                take_queued(&mut jobs);
            }
            Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    jobs
}

/// Changes staged on top of the committed state; a group's and a transaction's look alike.
#[derive(Default)]
struct Staged {
    docs: HashMap<(Table, DocId), DocRecord>,
    hashes: HashMap<(Table, EntryHash), (Seq, DocId)>,
    next_seq: HashMap<Table, u64>,
    entries: Vec<StagedEntry>,
    feed_deletes: Vec<(Table, Seq)>,
}

struct StagedEntry {
    table: Table,
    seq: Seq,
    entry: VerifiedEntry,
}

impl Staged {
    fn absorb(&mut self, txn: Staged) {
        self.docs.extend(txn.docs);
        self.hashes.extend(txn.hashes);
        self.next_seq.extend(txn.next_seq);
    }

    fn write_into(&self, shared: &Shared, batch: &mut WriteBatch) {
        let cf = |name| shared.cf(name);
        for (table, seq) in &self.feed_deletes {
            batch.delete_cf(&cf(CF_FEED), layout::seq_key(*table, *seq));
        }
        for staged in &self.entries {
            let StagedEntry { table, seq, entry } = staged;
            let header = entry.header();
            let doc_id = header.doc_id();
            batch.put_cf(&cf(CF_LOG), layout::seq_key(*table, *seq), entry.bytes());
            batch.put_cf(
                &cf(CF_BY_HASH),
                layout::hash_key(*table, &entry.hash()),
                layout::encode_seq_value(*seq),
            );
            let history = HistoryRecord {
                hash: entry.hash(),
                clock: header.clock(),
                kind: header.kind(),
                parents: header.parents().to_vec(),
            };
            batch.put_cf(
                &cf(CF_HISTORY),
                layout::history_key(*table, doc_id, *seq),
                history.encode(),
            );
        }
        // Feed puts and doc records after the deletes: the newest state of each document wins.
        for ((table, doc_id), record) in &self.docs {
            batch.put_cf(
                &cf(CF_FEED),
                layout::seq_key(*table, record.feed_seq),
                doc_id.as_str().as_bytes(),
            );
            batch.put_cf(
                &cf(CF_DOCS),
                layout::doc_key(*table, doc_id),
                record.encode(),
            );
        }
    }
}

fn stage_txn(
    shared: &Shared,
    catalog: &crate::catalog::Catalog,
    committed_seqs: &mut HashMap<Table, u64>,
    group: &Staged,
    txn: &mut Staged,
    transaction: &Transaction,
) -> Result<CommitReceipt> {
    let mut outcomes = Vec::with_capacity(transaction.writes.len());
    for write in &transaction.writes {
        let (table, entry, local) = match write {
            Write::Local { table, entry } => (*table, entry, true),
            Write::Import { table, entry } => (*table, entry, false),
        };
        match catalog.table_info(table) {
            None => {
                return Err(Error::NoSuchTable(format!(
                    "{}/{}",
                    table.tenant.0, table.id.0
                )));
            }
            Some(info) if info.read_only => return Err(Error::ReadOnlyTable(info.name.clone())),
            Some(_) => {}
        }
        let hash = entry.hash();
        if let Some(seq) = stored_seq(shared, group, txn, table, &hash)? {
            outcomes.push(Outcome::Duplicate(seq));
            continue;
        }
        let header = entry.header();
        let doc_id = header.doc_id();
        let mut record = doc_record(shared, group, txn, table, doc_id)?;
        if local {
            check_local(record.as_ref(), header.kind(), header.parents(), doc_id)?;
        }
        let mut parent_stored = HashMap::with_capacity(header.parents().len());
        for parent in header.parents() {
            let stored = parent_in_doc(shared, group, txn, table, doc_id, parent)?;
            if stored == Some(false) {
                return Err(Error::ForeignParent {
                    entry: hash,
                    doc_id: doc_id.clone(),
                    parent: *parent,
                });
            }
            parent_stored.insert(*parent, stored.is_some());
        }

        let seq = Seq(next_seq(shared, committed_seqs, group, txn, table)?);
        let record = record.get_or_insert_with(|| DocRecord::empty(header.clock()));
        if record.feed_seq.0 != 0 {
            txn.feed_deletes.push((table, record.feed_seq));
        }
        record.add(
            Head {
                hash,
                seq,
                clock: header.clock(),
                kind: header.kind(),
            },
            header.parents(),
            |parent| parent_stored.get(parent).copied().unwrap_or(false),
        );
        let record = record.clone();
        txn.docs.insert((table, doc_id.clone()), record);
        txn.hashes.insert((table, hash), (seq, doc_id.clone()));
        txn.entries.push(StagedEntry {
            table,
            seq,
            entry: entry.clone(),
        });
        outcomes.push(Outcome::Appended(seq));
    }
    Ok(CommitReceipt { outcomes })
}

fn check_local(
    record: Option<&DocRecord>,
    kind: EntryKind,
    parents: &[EntryHash],
    doc_id: &DocId,
) -> Result<()> {
    match (kind, record) {
        (EntryKind::Create, None) => Ok(()),
        (EntryKind::Create, Some(_)) => Err(Error::DuplicateDocument(doc_id.clone())),
        (_, None) => Err(Error::NoSuchDocument(doc_id.clone())),
        (_, Some(record)) => {
            // Both sides are sorted by hash, so equal sets compare equal element-wise.
            let same = record.heads.len() == parents.len()
                && record.heads.iter().zip(parents).all(|(h, p)| h.hash == *p);
            if same {
                Ok(())
            } else {
                Err(Error::Conflict {
                    doc_id: doc_id.clone(),
                })
            }
        }
    }
}

fn stored_seq(
    shared: &Shared,
    group: &Staged,
    txn: &Staged,
    table: Table,
    hash: &EntryHash,
) -> Result<Option<Seq>> {
    let key = (table, *hash);
    if let Some((seq, _)) = txn.hashes.get(&key).or_else(|| group.hashes.get(&key)) {
        return Ok(Some(*seq));
    }
    match shared
        .db
        .get_pinned_cf(&shared.cf(CF_BY_HASH), layout::hash_key(table, hash))?
    {
        Some(value) => {
            Ok(Some(layout::decode_seq_value(&value).ok_or_else(|| {
                Error::Corrupted("bad by_hash value".into())
            })?))
        }
        None => Ok(None),
    }
}

/// `None`: the parent is not stored; `Some(true)`: stored under `doc_id`; `Some(false)`:
/// stored under another document.
fn parent_in_doc(
    shared: &Shared,
    group: &Staged,
    txn: &Staged,
    table: Table,
    doc_id: &DocId,
    parent: &EntryHash,
) -> Result<Option<bool>> {
    let key = (table, *parent);
    if let Some((_, owner)) = txn.hashes.get(&key).or_else(|| group.hashes.get(&key)) {
        return Ok(Some(owner == doc_id));
    }
    let Some(seq) = stored_seq(shared, group, txn, table, parent)? else {
        return Ok(None);
    };
    let in_doc = shared
        .db
        .get_pinned_cf(
            &shared.cf(CF_HISTORY),
            layout::history_key(table, doc_id, seq),
        )?
        .is_some();
    Ok(Some(in_doc))
}

fn doc_record(
    shared: &Shared,
    group: &Staged,
    txn: &Staged,
    table: Table,
    doc_id: &DocId,
) -> Result<Option<DocRecord>> {
    let key = (table, doc_id.clone());
    if let Some(record) = txn.docs.get(&key).or_else(|| group.docs.get(&key)) {
        return Ok(Some(record.clone()));
    }
    shared
        .db
        .get_pinned_cf(&shared.cf(CF_DOCS), layout::doc_key(table, doc_id))?
        .map(|bytes| DocRecord::decode(&bytes))
        .transpose()
}

fn next_seq(
    shared: &Shared,
    committed: &mut HashMap<Table, u64>,
    group: &Staged,
    txn: &mut Staged,
    table: Table,
) -> Result<u64> {
    let last = match txn
        .next_seq
        .get(&table)
        .or_else(|| group.next_seq.get(&table))
    {
        Some(last) => *last,
        None => match committed.get(&table) {
            Some(last) => *last,
            None => {
                let last = shared.last_seq(table)?.0;
                committed.insert(table, last);
                last
            }
        },
    };
    let seq = last + 1;
    txn.next_seq.insert(table, seq);
    Ok(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_takes_everything_queued_without_waiting_for_more_than_expected() {
        let (sender, receiver) = sync_channel(16);
        for i in 1..10 {
            sender.send(i).unwrap();
        }
        // A patience no test run reaches: the call must return because enough came.
        let jobs = gather(&receiver, 0, 4, Duration::from_secs(3600));
        assert_eq!(jobs, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn gather_waits_for_stragglers_up_to_the_last_group_size() {
        let (sender, receiver) = sync_channel(16);
        let late = std::thread::spawn(move || {
            for i in 1..6 {
                std::thread::yield_now();
                sender.send(i).unwrap();
            }
            sender
        });
        let jobs = gather(&receiver, 0, 6, Duration::from_secs(3600));
        assert_eq!(jobs, (0..6).collect::<Vec<_>>());
        drop(late.join().unwrap());
    }

    #[test]
    fn gather_stops_when_every_sender_is_gone() {
        let (sender, receiver) = sync_channel(16);
        sender.send(1).unwrap();
        drop(sender);
        let jobs = gather(&receiver, 0, 100, Duration::from_secs(3600));
        assert_eq!(jobs, vec![0, 1]);
    }

    #[test]
    fn gather_never_takes_more_than_a_group() {
        let (sender, receiver) = sync_channel(2 * MAX_GROUP);
        for i in 1..2 * MAX_GROUP {
            sender.send(i).unwrap();
        }
        let jobs = gather(&receiver, 0, 1, Duration::ZERO);
        assert_eq!(jobs, (0..MAX_GROUP).collect::<Vec<_>>());
        let rest = gather(&receiver, MAX_GROUP, 1, Duration::ZERO);
        assert_eq!(rest.len(), MAX_GROUP);
    }
}
