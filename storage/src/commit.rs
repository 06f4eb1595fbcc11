//! Group commit: queues transactions (and imports of commits and receipts), checks each
//! against current heads, assigns gap-free seqs, signs the commits it is asked to sign, writes
//! one synced WriteBatch per group, then acknowledges every member.
//!
//! One thread per store owns all writes to table and tenant data, so "current heads", "next
//! seq" and "the author's chain head" need no locks: the thread reads the latest committed
//! state from RocksDB plus what earlier members of the same group staged. Staging is in
//! stage.rs (entries) and stage_commits.rs (commits, chains, receipts).
//!
//! Invariants:
//! - A transaction's writes land in one WriteBatch together or not at all, with the commits
//!   its format-2 entries need.
//! - A `SigningTransaction` is signed only after every write of it staged, naming the
//!   author's chain head as it stands after the earlier members of its group: a refused
//!   transaction never leaves a signed commit that a later one chains to. The group's commits
//!   are signed together before the write (sign.rs), since chaining needs only their hashes.
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

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mindoodb_protocol::{
    AuthorClock, CommitHash, CommitTree, Identity, SealedEntry, VerifiedCommit, VerifiedEntry,
    VerifiedReceipt,
};
use rocksdb::{WriteBatch, WriteOptions};

use crate::sign::{Signer, ToSign};
use crate::stage::{Counters, Ctx, PendingSignature, Staged};
use crate::store::Shared;
use crate::{CommitSeq, Error, ReceiptSeq, Result, Seq, Store, Table, TenantId};

/// Most transactions one group takes; bounds a batch's size and a member's wait.
const MAX_GROUP: usize = 512;
/// Longest wait for stragglers, whatever the last sync took.
const MAX_PATIENCE: Duration = Duration::from_millis(2);

/// One write of a transaction.
#[derive(Debug, Clone)]
pub enum Write {
    /// A revision written here: its parents must be exactly the document's current heads
    /// (a create: the document must not exist), else `Conflict` / `DuplicateDocument`. A
    /// format-2 entry's commit must come with all its entries in the transaction, and the
    /// commit it names as its author's previous one must be stored.
    Local {
        /// Target table.
        table: Table,
        /// The sealed revision.
        entry: VerifiedEntry,
    },
    /// An entry produced elsewhere (sync, restore, `mindoo.apply`): stored once per hash,
    /// whatever the document's heads; its parents may arrive later. A format-2 entry brings
    /// its commit, stored once per tenant, with or without the commit's other entries.
    Import {
        /// Target table.
        table: Table,
        /// The verified entry.
        entry: VerifiedEntry,
    },
    /// An entry arriving from outside (sync, mirror, `COPY` of sealed entries): stored as
    /// `Import` is, unless its tenant trusts writers (`writers.rs`) and its signer is neither
    /// trusted nor this node's own key: then it is quarantined (`Outcome::Quarantined`) and
    /// nothing else of it is written. An entry the table holds already is a `Duplicate`,
    /// whoever signed it: what was stored before a revocation stays.
    Admit {
        /// Target table.
        table: Table,
        /// The verified entry.
        entry: VerifiedEntry,
        /// Where it came from, kept in its quarantine record.
        source: String,
    },
}

/// Writes that commit atomically.
#[derive(Debug, Clone, Default)]
pub struct Transaction {
    /// In order; a later write may name an earlier one as parent.
    pub writes: Vec<Write>,
}

/// Format-2 revisions written here, as one commit that the commit thread signs once they
/// staged (`Store::commit_signed`): it names the author's chain head of the moment as the
/// previous commit, so concurrent transactions by one author form one chain.
#[derive(Debug, Clone)]
pub struct SigningTransaction {
    /// Signs the commit; every entry must name it as author (and one signer role).
    pub signer: Arc<Identity>,
    /// The commit's author clock.
    pub clock: AuthorClock,
    /// In order (the commit's leaf order), with `Write::Local` rules; all in one tenant.
    pub writes: Vec<(Table, SealedEntry)>,
}

/// A commit given to `Store::import_commits`: alone (its entries come later, each with its
/// path) or with all its leaves.
#[derive(Debug, Clone)]
pub enum CommitImport {
    /// The signed commit.
    Bare(Arc<VerifiedCommit>),
    /// The signed commit and every entry hash.
    Tree(Arc<CommitTree>),
}

impl CommitImport {
    pub(crate) fn commit(&self) -> &Arc<VerifiedCommit> {
        match self {
            CommitImport::Bare(commit) => commit,
            CommitImport::Tree(tree) => tree.commit(),
        }
    }
}

/// What happened to one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored at this seq.
    Appended(Seq),
    /// The table already held this entry, at this seq; nothing was written.
    Duplicate(Seq),
    /// Its signer is not a trusted writer of the tenant: it went to the table's quarantine.
    Quarantined,
}

/// The outcome of each write, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitReceipt {
    /// One per write.
    pub outcomes: Vec<Outcome>,
}

/// What `Store::commit_signed` stored.
#[derive(Debug, Clone)]
pub struct SignedCommitReceipt {
    /// One per write.
    pub outcomes: Vec<Outcome>,
    /// The commit's place in its tenant's commit log.
    pub seq: CommitSeq,
    /// The signed commit and its leaves.
    pub tree: Arc<CommitTree>,
}

/// What a job asks of the commit thread.
pub(crate) enum Work {
    Txn(Transaction),
    Signing(SigningTransaction),
    Commits(TenantId, Vec<CommitImport>),
    Receipt(TenantId, Box<VerifiedReceipt>, Vec<CommitHash>),
}

/// What the commit thread answers, one variant per `Work`.
pub(crate) enum Done {
    Txn(CommitReceipt),
    /// A signing transaction staged: its outcomes, until the group's commits are signed.
    Unsigned(Vec<Outcome>),
    Signed(SignedCommitReceipt),
    Commits(Vec<CommitSeq>),
    Receipt(ReceiptSeq),
}

impl Store {
    /// Commits `txn` durably: returns after its WriteBatch is synced, sharing the sync with
    /// every transaction queued alongside it.
    pub fn commit(&self, txn: Transaction) -> Result<CommitReceipt> {
        match self.work(Work::Txn(txn))? {
            Done::Txn(receipt) => Ok(receipt),
            _ => unreachable!("the commit thread answers a transaction with its receipt"),
        }
    }

    /// Commits format-2 revisions as one commit that the commit thread signs with
    /// `txn.signer` once they staged, chained to the author's newest commit in the tenant:
    /// one signature for the whole transaction, and one chain however many sessions write as
    /// this author at once. The identity is used for this commit only and never kept.
    pub fn commit_signed(&self, txn: SigningTransaction) -> Result<SignedCommitReceipt> {
        match self.work(Work::Signing(txn))? {
            Done::Signed(receipt) => Ok(receipt),
            _ => unreachable!("the commit thread answers a signing transaction signed"),
        }
    }

    /// Stores verified commits of `tenant` without their entries (which follow later, each
    /// with its path, or never): what a sync or restore of a tenant's commit log does. Returns
    /// each commit's seq in the tenant's commit log; a commit held already keeps its own.
    pub fn import_commits(
        &self,
        tenant: TenantId,
        commits: Vec<CommitImport>,
    ) -> Result<Vec<CommitSeq>> {
        match self.work(Work::Commits(tenant, commits))? {
            Done::Commits(seqs) => Ok(seqs),
            _ => unreachable!("the commit thread answers commit imports in kind"),
        }
    }

    /// Stores a verified receipt of `tenant` with the hashes of the commits it covers (in the
    /// signing server's seq order), which must give its root. Returns its seq in the tenant's
    /// receipt log; storing the same receipt again returns the same seq, and a different one
    /// of the same server that overlaps it is refused (`Error::ReceiptConflict`).
    pub fn add_receipt(
        &self,
        tenant: TenantId,
        receipt: VerifiedReceipt,
        commits: Vec<CommitHash>,
    ) -> Result<ReceiptSeq> {
        receipt
            .check_commits(&commits)
            .map_err(|err| Error::InvalidReceipt(err.to_string()))?;
        match self.work(Work::Receipt(tenant, Box::new(receipt), commits))? {
            Done::Receipt(seq) => Ok(seq),
            _ => unreachable!("the commit thread answers a receipt in kind"),
        }
    }

    fn work(&self, work: Work) -> Result<Done> {
        self.pipeline
            .as_ref()
            .ok_or(Error::ReadOnlyStore)?
            .commit(work)
    }
}

pub(crate) struct Pipeline {
    sender: Option<SyncSender<Job>>, // Invariant: Some until drop.
    thread: Option<JoinHandle<()>>,
}

struct Job {
    work: Option<Work>, // Invariant: Some until the commit thread takes it to stage.
    reply: SyncSender<Result<Done>>,
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

    /// Queues `work` and blocks until its group is durable (or refused).
    pub(crate) fn commit(&self, work: Work) -> Result<Done> {
        let (reply, answer) = sync_channel(1);
        let sender = self.sender.as_ref().ok_or(Error::Closed)?;
        let job = Job {
            work: Some(work),
            reply,
        };
        sender.send(job).map_err(|_| Error::Closed)?;
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
    let mut counters = Counters::default();
    let signer = Signer::start();
    // Set by a failed synced write: what every later commit is refused with.
    let mut poisoned: Option<fn() -> Error> = None;
    let mut sync = WriteOptions::default();
    sync.set_sync(true);

    // The last group's size and sync time: how many to wait for, and for how long.
    let mut last_group = 1;
    let mut last_sync = Duration::ZERO;

    while let Ok(first) = receiver.recv() {
        let mut jobs = gather(
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
        let mut pending = Vec::new();
        for (job_idx, job) in jobs.iter_mut().enumerate() {
            let mut txn_stage = Staged::default();
            let work = job
                .work
                .take()
                .unwrap_or_else(|| unreachable!("each job is staged once"));
            let mut ctx = Ctx {
                shared,
                catalog: &catalog,
                counters: &mut counters,
                group: &group,
            };
            let res = txn_stage.stage(&mut ctx, work);
            if res.is_ok() {
                txn_stage.write_into(shared, &mut batch);
                if let Some(signing) = txn_stage.pending.take() {
                    pending.push((job_idx, signing));
                }
                group.absorb(txn_stage);
            }
            results.push(res);
        }
        sign_pending(shared, &signer, &mut batch, pending, &mut results);

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
                counters.advance(group);
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
                counters = Counters::default();
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

/// Signs the commits of the group's signing transactions (all at once, on two threads when
/// there are two cores), puts their records into `batch`, and completes their answers.
fn sign_pending(
    shared: &Shared,
    signer: &Signer,
    batch: &mut WriteBatch,
    pending: Vec<(usize, PendingSignature)>,
    results: &mut [Result<Done>],
) {
    if pending.is_empty() {
        return;
    }
    let (places, to_sign): (Vec<_>, Vec<ToSign>) = pending
        .into_iter()
        .map(|(job_idx, signing)| {
            let PendingSignature {
                unsigned,
                signer,
                tenant,
                seq,
            } = signing;
            ((job_idx, tenant, seq), (unsigned, signer))
        })
        .unzip();
    for ((job_idx, tenant, seq), tree) in places.into_iter().zip(signer.sign_all(to_sign)) {
        Staged::write_signed(shared, batch, tenant, seq, &tree);
        let Some(Ok(Done::Unsigned(outcomes))) = results
            .get_mut(job_idx)
            .map(|res| std::mem::replace(res, Err(Error::Closed)))
        else {
            unreachable!("a signing transaction that staged answers Unsigned");
        };
        results[job_idx] = Ok(Done::Signed(SignedCommitReceipt {
            outcomes,
            seq,
            tree: Arc::new(tree),
        }));
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
