//! Snapshot reads of a tenant's commits and receipts: by seq, by hash, in pages, an entry's
//! proof (its commit and inclusion path), log pages with the commits they need, authors' chain
//! heads, and the commits no receipt of a server covers yet.
//!
//! Invariants:
//! - Reads come from the snapshot, so a page of entries and the commits it names are from the
//!   same moment (a commit is written with or before its entries).
//! - Signatures are not re-checked on read (they were checked before storing); what is
//!   returned is `Unverified*` for a reader that wants to check again.
//! - Memory is bounded by the page asked for (`limit`, `max`), never by the tenant's size.
//!
//! See: docs/FORMAT.md#storage-layout

use std::collections::HashSet;

use mindoodb_protocol::{AuthorKey, CommitHash, EntryHash, InclusionPath, merkle_path};
use rocksdb::{DB, DBRawIteratorWithThreadMode};

use crate::layout::{self, CF_COMMIT_INDEX, CF_COMMITS, prefix_end};
use crate::read::{LogRecord, Snapshot, parse_value};
use crate::record::{self, LogValue, StoredCommit, StoredReceipt};
use crate::{CommitSeq, Error, ReceiptSeq, Result, Seq, Table, TenantId};

/// What proves a format-2 entry: its commit and its path to the commit's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProof {
    /// The entry's hash (also when its body is absent).
    pub hash: EntryHash,
    /// The commit.
    pub commit: StoredCommit,
    /// The entry's leaf index and siblings.
    pub path: InclusionPath,
}

/// Raw log entries with every commit they name, each once: what a sync, a mirror or a backup
/// ships (commits first, then entries by commit seq and leaf index).
#[derive(Debug, Clone)]
pub struct LogPage {
    /// The entries, in seq order.
    pub records: Vec<LogRecord>,
    /// The commits `records` name, in the order first named.
    pub commits: Vec<StoredCommit>,
}

/// The commits stored after the last receipt of a server: what its next receipt covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreceipted {
    /// The first uncovered commit seq.
    pub first: CommitSeq,
    /// The hashes of the uncovered commits from `first` on, in seq order.
    pub commits: Vec<CommitHash>,
}

impl Snapshot<'_> {
    /// The commit at `seq` in `tenant`'s commit log.
    pub fn commit(&self, tenant: TenantId, seq: CommitSeq) -> Result<Option<StoredCommit>> {
        self.get_raw(CF_COMMITS, &layout::commit_key(tenant, seq))?
            .map(|bytes| decode_commit(seq, &bytes))
            .transpose()
    }

    /// The commit of that hash in `tenant`.
    pub fn commit_by_hash(
        &self,
        tenant: TenantId,
        hash: &CommitHash,
    ) -> Result<Option<StoredCommit>> {
        match self.get_raw(CF_COMMIT_INDEX, &layout::commit_hash_key(tenant, hash))? {
            Some(value) => {
                let known = record::decode_known(&value)
                    .ok_or_else(|| Error::Corrupted("bad commit index value".into()))?;
                self.commit(tenant, known.seq)
            }
            None => Ok(None),
        }
    }

    /// Up to `limit` commits of `tenant` after `since`, in seq order.
    pub fn commits(
        &self,
        tenant: TenantId,
        since: CommitSeq,
        limit: usize,
    ) -> Result<Vec<StoredCommit>> {
        let start = layout::commit_key(tenant, CommitSeq(since.0.saturating_add(1)));
        self.tagged_page(
            &layout::commits_prefix(tenant),
            &start,
            limit,
            |seq, value| decode_commit(CommitSeq(seq), value),
        )
    }

    /// The last seq of `tenant`'s commit log (0 when it has none).
    pub fn last_commit_seq(&self, tenant: TenantId) -> Result<CommitSeq> {
        self.last_tagged_seq(&layout::commits_prefix(tenant))
            .map(CommitSeq)
    }

    /// The last seq of `tenant`'s receipt log (0 when it has none).
    pub fn last_receipt_seq(&self, tenant: TenantId) -> Result<ReceiptSeq> {
        self.last_tagged_seq(&layout::receipts_prefix(tenant))
            .map(ReceiptSeq)
    }

    fn last_tagged_seq(&self, prefix: &[u8]) -> Result<u64> {
        let mut iter = self.tagged_iter(prefix);
        iter.seek_to_last();
        match iter.key() {
            Some(key) => layout::seq_of_tagged_key(key)
                .ok_or_else(|| Error::Corrupted("bad commits key".into())),
            None => {
                iter.status()?;
                Ok(0)
            }
        }
    }

    /// The newest commit of `author` in `tenant` that extends its chain (what the next commit
    /// signed here names as previous).
    pub fn chain_head(
        &self,
        tenant: TenantId,
        author: &AuthorKey,
    ) -> Result<Option<(CommitSeq, CommitHash)>> {
        self.get_raw(CF_COMMIT_INDEX, &layout::head_key(tenant, author))?
            .map(|value| {
                record::decode_head(&value)
                    .ok_or_else(|| Error::Corrupted("bad chain head value".into()))
            })
            .transpose()
    }

    /// The commit and inclusion path of the format-2 entry at `seq` of `table` (also when its
    /// body is absent); `None` for a format-1 entry, which is signed alone.
    pub fn entry_proof(&self, table: Table, seq: Seq) -> Result<Option<EntryProof>> {
        let bytes = self.log_value(table, seq)?;
        let value =
            record::split_log_value(&bytes).map_err(|why| Error::DamagedEntry { seq, why })?;
        let (hash, leaf) = match value {
            LogValue::Signed(_) => return Ok(None),
            LogValue::Absent(hash, leaf) => (hash, leaf),
            LogValue::InCommit(..) => {
                let (entry, leaf) = parse_value(seq, &bytes)?;
                let leaf = leaf.unwrap_or_else(|| unreachable!("format 2 carries its leaf"));
                (entry.hash(), leaf)
            }
        };
        let commit =
            self.commit(table.tenant, leaf.commit)?
                .ok_or_else(|| Error::DamagedEntry {
                    seq,
                    why: format!("its commit {} is not stored", leaf.commit.0),
                })?;
        let path = match &commit.leaves {
            Some(leaves) => merkle_path(leaves.iter().map(|l| &l.0), leaf.path.index())
                .ok_or_else(|| Error::DamagedEntry {
                    seq,
                    why: "its leaf index is past its commit's count".into(),
                })?,
            None => leaf.path,
        };
        Ok(Some(EntryProof { hash, commit, path }))
    }

    /// Up to `limit` raw log entries after `since` with the commits they name.
    pub fn log_page(&self, table: Table, since: Seq, limit: usize) -> Result<LogPage> {
        let records = self.log(table, since, limit)?;
        let mut named = HashSet::new();
        let mut commits = Vec::new();
        for leaf in records.iter().filter_map(|r| r.leaf.as_ref()) {
            if named.insert(leaf.commit) {
                let commit = self.commit(table.tenant, leaf.commit)?.ok_or_else(|| {
                    Error::Corrupted(format!(
                        "commit {} named by the log is missing",
                        leaf.commit.0
                    ))
                })?;
                commits.push(commit);
            }
        }
        Ok(LogPage { records, commits })
    }

    /// Up to `limit` receipts of `tenant` after `since`, in the order this store got them.
    pub fn receipts(
        &self,
        tenant: TenantId,
        since: ReceiptSeq,
        limit: usize,
    ) -> Result<Vec<StoredReceipt>> {
        let start = layout::receipt_key(tenant, ReceiptSeq(since.0.saturating_add(1)));
        self.tagged_page(
            &layout::receipts_prefix(tenant),
            &start,
            limit,
            |seq, value| decode_receipt(ReceiptSeq(seq), value),
        )
    }

    /// Up to `limit` records of the tagged log under `prefix` from key `start`, decoded.
    fn tagged_page<T>(
        &self,
        prefix: &[u8],
        start: &[u8],
        limit: usize,
        decode: impl Fn(u64, &[u8]) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut iter = self.tagged_iter(prefix);
        iter.seek(start);
        let mut page = Vec::with_capacity(limit.min(4096));
        while page.len() < limit
            && let Some((key, value)) = iter.item()
        {
            let seq = layout::seq_of_tagged_key(key)
                .ok_or_else(|| Error::Corrupted("bad commits key".into()))?;
            page.push(decode(seq, value)?);
            iter.next();
        }
        iter.status()?;
        Ok(page)
    }

    /// The receipt of `server` that covers commit seq `seq` (the server's seqs: this store's
    /// own for its own receipts).
    pub fn receipt_covering(
        &self,
        tenant: TenantId,
        server: &AuthorKey,
        seq: CommitSeq,
    ) -> Result<Option<StoredReceipt>> {
        let prefix = layout::receipt_ranges_prefix(tenant, server);
        let mut iter = self.index_iter(&prefix);
        iter.seek(layout::receipt_range_key(tenant, server, seq.0));
        let Some(value) = iter.value() else {
            iter.status()?;
            return Ok(None);
        };
        let range = record::decode_range(value)
            .ok_or_else(|| Error::Corrupted("bad receipt index value".into()))?;
        if range.first > seq.0 {
            return Ok(None);
        }
        let bytes = self
            .get_raw(CF_COMMITS, &layout::receipt_key(tenant, range.seq))?
            .ok_or_else(|| {
                Error::Corrupted(format!("receipt {} is indexed but missing", range.seq.0))
            })?;
        decode_receipt(range.seq, &bytes).map(Some)
    }

    /// A receipt, of any server, that covers the commit `hash` at seq `seq` of `tenant`'s
    /// commit log, with the commit's path to the receipt's root: what a proof shows as "stored
    /// by server S no later than T". A receipt in another store's seq space covers `seq` only
    /// when it names this very commit there, so it is checked by hash, not trusted by seq.
    pub fn receipt_for(
        &self,
        tenant: TenantId,
        seq: CommitSeq,
        hash: &CommitHash,
    ) -> Result<Option<(StoredReceipt, InclusionPath)>> {
        let all = layout::receipt_servers_prefix(tenant);
        let mut servers = self.index_iter(&all);
        servers.seek(&all);
        while let Some(key) = servers.key() {
            let server = layout::server_of_receipt_range_key(key)
                .ok_or_else(|| Error::Corrupted("bad receipt index key".into()))?;
            if let Some(stored) = self.receipt_covering(tenant, &server, seq)? {
                let index = seq.0 - stored.receipt.first();
                if stored.commits.get(index as usize) == Some(hash) {
                    let path = merkle_path(stored.commits.iter().map(|c| &c.0), index as u32)
                        .ok_or_else(|| {
                            Error::Corrupted(format!(
                                "receipt {} is shorter than its range",
                                stored.seq.0
                            ))
                        })?;
                    return Ok(Some((stored, path)));
                }
            }
            servers.seek(prefix_end(&layout::receipt_ranges_prefix(tenant, &server)));
        }
        servers.status()?;
        Ok(None)
    }

    /// The commits of `tenant` after the last one a receipt of `server` covers and after
    /// `after`, at most `max` of them; `None` when there are none. A server signs its next
    /// receipt over these (`after`: what it will not vouch for, such as commits stored before
    /// it started).
    pub fn unreceipted(
        &self,
        tenant: TenantId,
        server: &AuthorKey,
        after: CommitSeq,
        max: usize,
    ) -> Result<Option<Unreceipted>> {
        let prefix = layout::receipt_ranges_prefix(tenant, server);
        let mut iter = self.index_iter(&prefix);
        iter.seek_to_last();
        let covered = match iter.key() {
            Some(key) => layout::last_of_receipt_range_key(key)
                .ok_or_else(|| Error::Corrupted("bad receipt index key".into()))?,
            None => {
                iter.status()?;
                0
            }
        };
        let commits = self.commits(tenant, CommitSeq(covered.max(after.0)), max)?;
        let Some(first) = commits.first() else {
            return Ok(None);
        };
        Ok(Some(Unreceipted {
            first: first.seq,
            commits: commits.iter().map(|c| c.commit.hash()).collect(),
        }))
    }

    /// A raw iterator over the keys of `commits` that start with `prefix`.
    pub(crate) fn tagged_iter(&self, prefix: &[u8]) -> DBRawIteratorWithThreadMode<'_, DB> {
        self.prefix_iter(CF_COMMITS, prefix)
    }

    fn index_iter(&self, prefix: &[u8]) -> DBRawIteratorWithThreadMode<'_, DB> {
        self.prefix_iter(CF_COMMIT_INDEX, prefix)
    }

    fn prefix_iter(&self, cf: &str, prefix: &[u8]) -> DBRawIteratorWithThreadMode<'_, DB> {
        let mut opts = self.read_options();
        opts.set_iterate_lower_bound(prefix.to_vec());
        opts.set_iterate_upper_bound(prefix_end(prefix));
        self.shared
            .db
            .raw_iterator_cf_opt(&self.shared.cf(cf), opts)
    }
}

fn decode_commit(seq: CommitSeq, bytes: &[u8]) -> Result<StoredCommit> {
    record::decode_commit(seq, bytes)
        .map_err(|why| Error::Corrupted(format!("commit {}: {why}", seq.0)))
}

fn decode_receipt(seq: ReceiptSeq, bytes: &[u8]) -> Result<StoredReceipt> {
    record::decode_receipt(seq, bytes)
        .map_err(|why| Error::Corrupted(format!("receipt {}: {why}", seq.0)))
}
