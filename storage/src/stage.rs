//! Staging one member of a commit group: its entries checked against the committed state plus
//! what earlier members staged, given seqs, and turned into the WriteBatch's puts.
//!
//! Invariants:
//! - A member stages into its own `Staged`; only when all of it staged does the commit thread
//!   write it and fold it into the group's, so a refused member leaves no trace.
//! - A `Write::Local` format-2 entry's new commit arrives with every one of its leaves in the
//!   same transaction ("no commit without all its entries"), and every format-2 entry lands in
//!   the same WriteBatch as its commit or after it ("no entry without its commit").
//! - Counters (next seq per table, per tenant's commit and receipt logs) move only after a
//!   group's write succeeded.
//!
//! See: docs/ARCHITECTURE.md#durability, docs/FORMAT.md#storage-layout

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use mindoodb_protocol::{
    AuthorKey, CommitHash, CommitTree, DocId, Entry, EntryHash, EntryKind, Identity,
    UnsignedCommit, VerifiedEntry, carry_proof,
};
use rocksdb::WriteBatch;

use crate::catalog::Catalog;
use crate::commit::{CommitReceipt, Done, Outcome, Transaction, Work, Write};
use crate::doc::{DocRecord, Head, HistoryRecord};
use crate::layout::{
    self, CF_BY_HASH, CF_CATALOG, CF_COMMIT_INDEX, CF_COMMITS, CF_DOCS, CF_FEED, CF_HISTORY, CF_LOG,
};
use crate::quarantine::{self, QuarantineRecord};
use crate::record::{self, Leaf};
use crate::store::Shared;
use crate::{CommitSeq, Error, ReceiptSeq, Result, Seq, Table, TenantId};

/// The last seqs the committed state holds, learnt lazily and kept across groups.
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) tables: HashMap<Table, u64>,
    pub(crate) commits: HashMap<TenantId, u64>,
    pub(crate) receipts: HashMap<TenantId, u64>,
}

impl Counters {
    /// `group` was written: its seqs are the committed ones now.
    pub(crate) fn advance(&mut self, group: Staged) {
        self.tables.extend(group.next_seq);
        self.commits.extend(group.next_commit_seq);
        self.receipts.extend(group.next_receipt_seq);
    }
}

/// What staging one member needs besides its own `Staged`.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) catalog: &'a Catalog,
    pub(crate) counters: &'a mut Counters,
    pub(crate) group: &'a Staged,
}

/// Changes staged on top of the committed state; a group's and a member's look alike.
#[derive(Default)]
pub(crate) struct Staged {
    docs: HashMap<(Table, DocId), DocRecord>,
    hashes: HashMap<(Table, EntryHash), (Seq, DocId)>,
    next_seq: HashMap<Table, u64>,
    entries: Vec<StagedEntry>,
    feed_deletes: Vec<(Table, Seq)>,
    /// Commits this member or group staged or looked up, by tenant and hash.
    pub(crate) commits: HashMap<(TenantId, CommitHash), KnownCommit>,
    pub(crate) new_commits: Vec<NewCommit>,
    pub(crate) next_commit_seq: HashMap<TenantId, u64>,
    /// Authors' chain heads this member or group moved.
    pub(crate) heads: HashMap<(TenantId, AuthorKey), (CommitSeq, CommitHash)>,
    pub(crate) new_receipts: Vec<NewReceipt>,
    pub(crate) next_receipt_seq: HashMap<TenantId, u64>,
    /// Receipts staged, by tenant, server and last covered seq.
    pub(crate) receipt_ranges: BTreeMap<(TenantId, AuthorKey, u64), ReceiptRange>,
    /// A signing transaction's commit, staged and chained but not signed yet.
    pub(crate) pending: Option<PendingSignature>,
    /// Arriving entries refused by writer trust, for the table's quarantine.
    quarantined: Vec<(Table, QuarantineRecord)>,
}

/// A commit the commit thread signs after its group staged.
pub(crate) struct PendingSignature {
    pub(crate) unsigned: UnsignedCommit,
    pub(crate) signer: Arc<Identity>,
    pub(crate) tenant: TenantId,
    pub(crate) seq: CommitSeq,
}

/// A commit the tenant holds (or will, once the group is written).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KnownCommit {
    pub(crate) seq: CommitSeq,
    /// Whether its record holds every leaf (else its entries keep their paths).
    pub(crate) has_leaves: bool,
}

pub(crate) struct NewCommit {
    pub(crate) tenant: TenantId,
    pub(crate) hash: CommitHash,
    pub(crate) known: KnownCommit,
    pub(crate) record: Option<Vec<u8>>, // None while a pending signature is outstanding.
}

pub(crate) struct NewReceipt {
    pub(crate) tenant: TenantId,
    pub(crate) seq: ReceiptSeq,
    pub(crate) server: AuthorKey,
    pub(crate) range: ReceiptRange,
    pub(crate) last: u64,
    pub(crate) record: Vec<u8>,
}

/// What the receipt index holds of one receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReceiptRange {
    pub(crate) seq: ReceiptSeq,
    pub(crate) first: u64,
    pub(crate) hash: [u8; 32],
}

struct StagedEntry {
    table: Table,
    seq: Seq,
    entry: Entry,
    leaf: Option<Leaf>, // Invariant: Some exactly for format 2.
}

impl Staged {
    /// Stages one job's work.
    pub(crate) fn stage(&mut self, ctx: &mut Ctx<'_>, work: Work) -> Result<Done> {
        match work {
            Work::Txn(txn) => self.stage_txn(ctx, txn).map(Done::Txn),
            Work::Signing(txn) => self.stage_signing(ctx, txn).map(Done::Unsigned),
            Work::Commits(tenant, commits) => self
                .stage_commit_imports(ctx, tenant, commits)
                .map(Done::Commits),
            Work::Receipt(tenant, receipt, commits) => self
                .stage_receipt(ctx, tenant, &receipt, &commits)
                .map(Done::Receipt),
        }
    }

    /// Folds a member that staged completely into the group.
    pub(crate) fn absorb(&mut self, member: Staged) {
        self.docs.extend(member.docs);
        self.hashes.extend(member.hashes);
        self.next_seq.extend(member.next_seq);
        self.commits.extend(member.commits);
        self.next_commit_seq.extend(member.next_commit_seq);
        self.heads.extend(member.heads);
        self.next_receipt_seq.extend(member.next_receipt_seq);
        self.receipt_ranges.extend(member.receipt_ranges);
    }

    /// Puts this member's writes into `batch`.
    pub(crate) fn write_into(&self, shared: &Shared, batch: &mut WriteBatch) {
        let cf = |name| shared.cf(name);
        for (table, record) in &self.quarantined {
            quarantine::put(cf(CF_CATALOG), batch, *table, record);
        }
        for (table, seq) in &self.feed_deletes {
            batch.delete_cf(&cf(CF_FEED), layout::seq_key(*table, *seq));
        }
        for staged in &self.entries {
            let StagedEntry {
                table,
                seq,
                entry,
                leaf,
            } = staged;
            let header = entry.header();
            let doc_id = header.doc_id();
            let key = layout::seq_key(*table, *seq);
            match leaf {
                None => batch.put_cf(&cf(CF_LOG), key, entry.bytes()),
                Some(leaf) => {
                    batch.put_cf(&cf(CF_LOG), key, record::entry_value(entry.bytes(), leaf))
                }
            }
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
        for new in &self.new_commits {
            if let Some(record) = &new.record {
                batch.put_cf(
                    &cf(CF_COMMITS),
                    layout::commit_key(new.tenant, new.known.seq),
                    record,
                );
            }
            batch.put_cf(
                &cf(CF_COMMIT_INDEX),
                layout::commit_hash_key(new.tenant, &new.hash),
                record::encode_known(new.known.seq, new.known.has_leaves),
            );
        }
        for ((tenant, author), (seq, hash)) in &self.heads {
            batch.put_cf(
                &cf(CF_COMMIT_INDEX),
                layout::head_key(*tenant, author),
                record::encode_head(*seq, hash),
            );
        }
        for new in &self.new_receipts {
            batch.put_cf(
                &cf(CF_COMMITS),
                layout::receipt_key(new.tenant, new.seq),
                &new.record,
            );
            batch.put_cf(
                &cf(CF_COMMIT_INDEX),
                layout::receipt_range_key(new.tenant, &new.server, new.last),
                record::encode_range(&new.range),
            );
        }
    }

    fn stage_txn(&mut self, ctx: &mut Ctx<'_>, txn: Transaction) -> Result<CommitReceipt> {
        let mut outcomes = Vec::with_capacity(txn.writes.len());
        // Leaves that `Write::Local` entries brought, per commit: a new commit needs them all.
        // Kept as sets, so a commit that claims more entries than it brings costs nothing.
        let mut local_leaves: HashMap<CommitHash, (u32, HashSet<u32>)> = HashMap::new();
        for write in txn.writes {
            let (table, entry, local) = match write {
                Write::Local { table, entry } => (table, entry, true),
                Write::Import { table, entry } => (table, entry, false),
                Write::Admit {
                    table,
                    entry,
                    source,
                } => {
                    if let Some(outcome) = self.refuse_untrusted(ctx, table, &entry, source)? {
                        outcomes.push(outcome);
                        continue;
                    }
                    (table, entry, false)
                }
            };
            if local && let Some(inclusion) = entry.inclusion() {
                let commit = inclusion.commit();
                let (_, seen) = local_leaves
                    .entry(commit.hash())
                    .or_insert_with(|| (commit.count(), HashSet::new()));
                seen.insert(inclusion.index());
            }
            let outcome = self.stage_entry(ctx, table, &entry, local)?;
            outcomes.push(outcome);
            let Outcome::Appended(seq) = outcome else {
                continue;
            };
            let leaf = match entry.inclusion() {
                None => None,
                Some(inclusion) => {
                    Some(self.stage_inclusion(ctx, table.tenant, inclusion, local)?)
                }
            };
            self.push_entry(table, seq, entry.into_entry(), leaf);
        }
        for new in &self.new_commits {
            if let Some((count, seen)) = local_leaves.get(&new.hash)
                && seen.len() != *count as usize
            {
                return Err(Error::IncompleteCommit {
                    commit: new.hash,
                    missing: *count as usize - seen.len(),
                });
            }
        }
        Ok(CommitReceipt { outcomes })
    }

    /// Quarantines an arriving entry whose signer its tenant does not admit, unless the
    /// table holds it already; `None` when it may be staged as an import.
    fn refuse_untrusted(
        &mut self,
        ctx: &Ctx<'_>,
        table: Table,
        entry: &VerifiedEntry,
        source: String,
    ) -> Result<Option<Outcome>> {
        let signer = entry.header().author();
        let own = ctx.shared.node_key.get();
        if ctx.catalog.admits(table.tenant, &signer, own) || ctx.catalog.table_info(table).is_none()
        {
            return Ok(None);
        }
        let hash = entry.hash();
        if let Some(seq) = stored_seq(ctx.shared, ctx.group, self, table, &hash)? {
            return Ok(Some(Outcome::Duplicate(seq)));
        }
        self.quarantined.push((
            table,
            QuarantineRecord {
                hash: hash.0,
                signer: Some(signer),
                reason: format!("signed by {signer}, which is not a trusted writer of the tenant"),
                at: crate::quarantine::now_micros(),
                source,
                sealed: entry.bytes().to_vec(),
                proof: entry
                    .inclusion()
                    .map(|inclusion| carry_proof(inclusion.commit().bytes(), &inclusion.path())),
            },
        ));
        Ok(Some(Outcome::Quarantined))
    }

    /// Stages an appended entry's log value: a verified entry's, or a signing transaction's
    /// whose commit is put in the same batch.
    pub(crate) fn push_entry(&mut self, table: Table, seq: Seq, entry: Entry, leaf: Option<Leaf>) {
        self.entries.push(StagedEntry {
            table,
            seq,
            entry,
            leaf,
        });
    }

    /// Puts a pending commit's record, now that it is signed.
    pub(crate) fn write_signed(
        shared: &Shared,
        batch: &mut WriteBatch,
        tenant: TenantId,
        seq: CommitSeq,
        tree: &CommitTree,
    ) {
        batch.put_cf(
            &shared.cf(CF_COMMITS),
            layout::commit_key(tenant, seq),
            record::encode_commit(tree.commit().bytes(), Some(tree.leaves())),
        );
    }

    /// Checks one entry and gives it a seq, unless the table holds it already. The caller
    /// stages where an appended entry sits in its commit and pushes it.
    pub(crate) fn stage_entry(
        &mut self,
        ctx: &mut Ctx<'_>,
        table: Table,
        entry: &Entry,
        local: bool,
    ) -> Result<Outcome> {
        match ctx.catalog.table_info(table) {
            None => {
                return Err(Error::no_such_table(table));
            }
            Some(info) if info.read_only => return Err(Error::ReadOnlyTable(info.name.clone())),
            Some(_) => {}
        }
        let hash = entry.hash();
        if let Some(seq) = stored_seq(ctx.shared, ctx.group, self, table, &hash)? {
            return Ok(Outcome::Duplicate(seq));
        }
        let header = entry.header();
        let doc_id = header.doc_id();
        let mut record = doc_record(ctx.shared, ctx.group, self, table, doc_id)?;
        if local {
            check_local(record.as_ref(), header.kind(), header.parents(), doc_id)?;
        }
        let mut parent_stored = HashMap::with_capacity(header.parents().len());
        for parent in header.parents() {
            let stored = parent_in_doc(ctx.shared, ctx.group, self, table, doc_id, parent)?;
            if stored == Some(false) {
                return Err(Error::ForeignParent {
                    entry: hash,
                    doc_id: doc_id.clone(),
                    parent: *parent,
                });
            }
            parent_stored.insert(*parent, stored.is_some());
        }

        let shared = ctx.shared;
        let seq = Seq(next_seq(
            &mut ctx.counters.tables,
            &ctx.group.next_seq,
            &mut self.next_seq,
            table,
            || Ok(shared.last_seq(table)?.0),
        )?);
        let record = record.get_or_insert_with(|| DocRecord::empty(header.clock()));
        if record.feed_seq.0 != 0 {
            self.feed_deletes.push((table, record.feed_seq));
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
        self.docs.insert((table, doc_id.clone()), record);
        self.hashes.insert((table, hash), (seq, doc_id.clone()));
        Ok(Outcome::Appended(seq))
    }
}

/// The next seq of `key`'s log: one past what this member, the group or the store holds.
pub(crate) fn next_seq<K: Hash + Eq + Copy>(
    committed: &mut HashMap<K, u64>,
    group: &HashMap<K, u64>,
    member: &mut HashMap<K, u64>,
    key: K,
    load: impl FnOnce() -> Result<u64>,
) -> Result<u64> {
    let last = match member.get(&key).or_else(|| group.get(&key)) {
        Some(last) => *last,
        None => match committed.get(&key) {
            Some(last) => *last,
            None => {
                let last = load()?;
                committed.insert(key, last);
                last
            }
        },
    };
    let seq = last + 1;
    member.insert(key, seq);
    Ok(seq)
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
