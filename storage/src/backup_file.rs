//! The backup file format: header, catalog rows, table, tenant, audit and received-audit
//! ranges, a tenant's commits and receipts, each table's stored entries, each table's own
//! read-audit records and those of the chains it received (`backup_audit.rs`), and the digest;
//! writing it from a snapshot and
//! reading it back with every signature, path and range checked.
//!
//! Invariants:
//! - Reading verifies as it goes and hands out only checked items: a format-1 entry's
//!   signature, a commit's signature and leaves, a receipt's signature and commits, and a
//!   format-2 entry against the commit record that precedes it in its table's stream (each
//!   stream names its commits inline, so a file verifies in memory bounded by one commit).
//! - A file is read whole before its digest is trusted; callers act on items only once
//!   `read_file` returned Ok (verify) or into a store they discard on error (restore).
//! - Version 1 files (entries only, written before commits existed), version 2 files (before
//!   read-audit logs) and version 3 files (before received audit chains) read as they always
//!   did.
//!
//! See: docs/FORMAT.md#backup-files

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write as _};
use std::path::Path;
use std::sync::Arc;

use mindoodb_protocol::{
    AuditChainId, AuditRecord, AuthorKeys, CommitHash, CommitTree, EntryHash, MAX_PAYLOAD_LEN,
    UnverifiedEntry, VerifiedEntry, VerifiedReceipt,
};

use crate::backup::BackupError;
use crate::backup_audit::{ReceivedRange, checked_audit, checked_received};
use crate::commit::CommitImport;
use crate::layout::{self, CF_COMMITS};
use crate::read::Snapshot;
use crate::record::{self, LogValue};
use crate::{CommitSeq, Error, ReceiptSeq, Seq, Table, TableId, TenantId};

pub(crate) const MAGIC: &[u8; 8] = b"MDBBACK\0";
/// The version this build writes; it reads 1 to 4.
const VERSION: u32 = 4;
pub(crate) const SUFFIX: &str = ".mdbbackup";
pub(crate) const DIGEST_LEN: usize = 32;
/// Room for the largest stored entry: header fields, payload, trailer.
const MAX_ENTRY_LEN: u32 = (MAX_PAYLOAD_LEN + (1 << 16)) as u32;
const MAX_CATALOG_FIELD: u32 = 1 << 20;
/// A commit record with eight million leaves, or a receipt over as many commits.
const MAX_RECORD_LEN: u32 = 1 << 28;
/// Entries read from the log per page while writing.
const PAGE: usize = 1024;
/// Stream item kinds of version 2.
const ITEM_ENTRY: u8 = 1;
const ITEM_COMMIT: u8 = 2;

pub(crate) type BResult<T> = std::result::Result<T, BackupError>;
/// One raw catalog row: key and value as the catalog column family holds them.
pub(crate) type CatalogRow = (Vec<u8>, Vec<u8>);

/// The part of one table a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRange {
    /// The table.
    pub table: Table,
    /// The first seq in this file (the chain's end for this table plus one).
    pub first: Seq,
    /// How many entries follow, in seq order.
    pub count: u64,
    /// Hash of the entry at `first + count - 1`, the chain's end for this table; all zeros
    /// while the table is empty.
    pub end_hash: [u8; DIGEST_LEN],
}

impl TableRange {
    /// The last seq the chain holds of this table after this file.
    pub fn end(&self) -> Seq {
        Seq(self.first.0 + self.count - 1)
    }
}

/// The part of one tenant's commit log or receipt log a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogRange {
    /// The first seq in this file (the chain's end plus one).
    pub first: u64,
    /// How many follow, in seq order.
    pub count: u64,
    /// Hash of the commit (receipt) at `first + count - 1`, the chain's end; all zeros while
    /// the log is empty.
    pub end_hash: [u8; DIGEST_LEN],
}

impl LogRange {
    /// The last seq the chain holds after this file.
    pub fn end(&self) -> u64 {
        self.first + self.count - 1
    }
}

/// The part of one tenant's commits and receipts a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantRange {
    /// The tenant.
    pub tenant: TenantId,
    /// Its commits.
    pub commits: LogRange,
    /// Its receipts.
    pub receipts: LogRange,
}

/// A parsed file header.
pub(crate) struct Header {
    pub(crate) number: u32,
    pub(crate) created_micros: i64,
    pub(crate) parent: [u8; DIGEST_LEN],
    pub(crate) catalog: Vec<CatalogRow>,
    pub(crate) tables: Vec<TableRange>,
    pub(crate) tenants: Vec<TenantRange>,
    /// Each table's read-audit records: the same shape, over its audit seqs (version 3).
    pub(crate) audits: Vec<TableRange>,
    /// Each received read-audit chain's records, over its seqs (version 4).
    pub(crate) received: Vec<ReceivedRange>,
}

/// One checked item of a file, in file order: every tenant's commits and receipts, then every
/// table's entries.
pub(crate) enum Item {
    Commit(TenantId, CommitSeq, CommitImport),
    Receipt(TenantId, ReceiptSeq, VerifiedReceipt, Vec<CommitHash>),
    Entry(Table, Seq, VerifiedEntry),
    /// A format-2 entry whose body the store lacked; its commit proves its hash.
    Absent(Table, Seq, EntryHash),
    /// A read-audit record, verified and linked to the one before it in the file.
    Audit(Table, AuditRecord),
    /// A record of a chain the table received from another node (its id), checked likewise.
    Received(Table, AuditChainId, AuditRecord),
}

/// Called with each checked item of a file.
pub(crate) type Visit<'v> = dyn FnMut(Item) -> BResult<()> + 'v;

pub(crate) fn file_name(number: u32) -> String {
    format!("{number:06}{SUFFIX}")
}

/// Reads a header (and the catalog rows) from the start of `path`, with the file's length.
pub(crate) fn read_header_only(path: &Path) -> BResult<(Header, u64)> {
    let (mut reader, bytes) = HashReader::open(path)?;
    let header = reader.header()?;
    Ok((header, bytes))
}

pub(crate) fn read_trailer(path: &Path, len: u64) -> BResult<[u8; DIGEST_LEN]> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).map_err(|source| io_err(path, source))?;
    if len < DIGEST_LEN as u64 {
        return Err(damaged(path, "truncated"));
    }
    file.seek(SeekFrom::End(-(DIGEST_LEN as i64)))
        .map_err(|source| io_err(path, source))?;
    let mut digest = [0; DIGEST_LEN];
    file.read_exact(&mut digest)
        .map_err(|source| io_err(path, source))?;
    Ok(digest)
}

/// Reads a whole file, checking and handing each item to `visit`, and checks its digest and
/// its end.
pub(crate) fn read_file(
    path: &Path,
    visit: &mut Visit<'_>,
) -> BResult<(Header, [u8; DIGEST_LEN], u64)> {
    let (mut reader, bytes) = HashReader::open(path)?;
    let header = reader.header()?;
    let mut keys = AuthorKeys::new();
    for range in &header.tenants {
        for i in 0..range.commits.count {
            let seq = CommitSeq(range.commits.first + i);
            let record = reader.record()?;
            let import = checked_commit(path, &mut keys, seq, &record)?;
            visit(Item::Commit(range.tenant, seq, import))?;
        }
    }
    for range in &header.tenants {
        for i in 0..range.receipts.count {
            let seq = ReceiptSeq(range.receipts.first + i);
            let stored = record::decode_receipt(seq, &reader.record()?)
                .map_err(|why| damaged(path, &format!("receipt {}: {why}", seq.0)))?;
            let receipt = stored
                .receipt
                .verify()
                .and_then(|receipt| receipt.check_commits(&stored.commits).map(|()| receipt))
                .map_err(|err| damaged(path, &format!("receipt {} fails: {err}", seq.0)))?;
            visit(Item::Receipt(range.tenant, seq, receipt, stored.commits))?;
        }
    }
    for range in &header.tables {
        let mut commit: Option<(CommitSeq, CommitImport)> = None;
        let mut i = 0;
        while i < range.count {
            let seq = Seq(range.first.0 + i);
            let kind = if reader.version == 1 {
                ITEM_ENTRY
            } else {
                reader.array::<1>()?[0]
            };
            match kind {
                ITEM_ENTRY => {
                    let len = reader.u32()?;
                    if len > MAX_ENTRY_LEN {
                        return Err(damaged(path, "an entry length is out of range"));
                    }
                    let value = reader.bytes(len as usize)?;
                    let item = checked_entry(path, &mut keys, range.table, seq, &value, &commit)?;
                    visit(item)?;
                    i += 1;
                }
                ITEM_COMMIT => {
                    let at = CommitSeq(reader.u64()?);
                    let record = reader.record()?;
                    commit = Some((at, checked_commit(path, &mut keys, at, &record)?));
                }
                _ => return Err(damaged(path, "unknown item in an entry stream")),
            }
        }
    }
    for range in &header.audits {
        let mut prev = None;
        for idx in 0..range.count {
            let record = checked_audit(path, range, idx, &reader.record()?, &mut prev)?;
            visit(Item::Audit(range.table, record))?;
        }
    }
    for received in &header.received {
        let mut prev = None;
        for idx in 0..received.range.count {
            let record = checked_received(path, received, idx, &reader.record()?, &mut prev)?;
            visit(Item::Received(received.range.table, received.chain, record))?;
        }
    }
    let computed = reader.hasher.finalize();
    let mut stored = [0; DIGEST_LEN];
    reader.raw(&mut stored)?;
    if computed.as_bytes() != &stored {
        return Err(damaged(path, "digest mismatch (the file was altered)"));
    }
    let mut extra = [0u8; 1];
    match reader.inner.read(&mut extra) {
        Ok(0) => {}
        Ok(_) => return Err(damaged(path, "bytes after the digest")),
        Err(source) => return Err(io_err(path, source)),
    }
    Ok((header, stored, bytes))
}

/// A commit record, its signature and leaves checked.
fn checked_commit(
    path: &Path,
    keys: &mut AuthorKeys,
    seq: CommitSeq,
    bytes: &[u8],
) -> BResult<CommitImport> {
    let stored = record::decode_commit(seq, bytes)
        .map_err(|why| damaged(path, &format!("commit {}: {why}", seq.0)))?;
    let hash = stored.commit.hash();
    let commit = keys
        .verify_commit(stored.commit)
        .map_err(|err| damaged(path, &format!("commit {hash} fails verification: {err}")))?;
    let commit = Arc::new(commit);
    Ok(match stored.leaves {
        None => CommitImport::Bare(commit),
        Some(leaves) => CommitImport::Tree(Arc::new(
            CommitTree::new(commit, leaves)
                .map_err(|err| damaged(path, &format!("commit {hash}: {err}")))?,
        )),
    })
}

/// A stored entry, checked: by its signature, or against the commit its stream named last.
fn checked_entry(
    path: &Path,
    keys: &mut AuthorKeys,
    table: Table,
    seq: Seq,
    value: &[u8],
    commit: &Option<(CommitSeq, CommitImport)>,
) -> BResult<Item> {
    let value = record::split_log_value(value)
        .map_err(|why| damaged(path, &format!("entry {}: {why}", seq.0)))?;
    let leaf = value.leaf().cloned();
    let commit = match (&leaf, commit) {
        (None, _) => None,
        (Some(leaf), Some((at, commit))) if *at == leaf.commit => Some(commit),
        (Some(_), _) => {
            return Err(damaged(
                path,
                &format!("entry {} names a commit its stream does not give", seq.0),
            ));
        }
    };
    let fails = |err: &dyn std::fmt::Display| damaged(path, &format!("entry {}: {err}", seq.0));
    match (value, leaf, commit) {
        (LogValue::Signed(bytes), _, _) => {
            let entry = UnverifiedEntry::parse(bytes).map_err(|e| fails(&e))?;
            let entry = keys.verify(entry).map_err(|e| fails(&e))?;
            Ok(Item::Entry(table, seq, entry))
        }
        (LogValue::InCommit(bytes, _), Some(leaf), Some(commit)) => {
            let entry = UnverifiedEntry::parse(bytes).map_err(|e| fails(&e))?;
            let entry = match commit {
                CommitImport::Tree(tree) => entry.verify_leaf(tree, leaf.path.index()),
                CommitImport::Bare(commit) => entry.verify_in(commit, leaf.path),
            }
            .map_err(|e| fails(&e))?;
            Ok(Item::Entry(table, seq, entry))
        }
        (LogValue::Absent(hash, _), Some(leaf), Some(commit)) => {
            let proven = match commit {
                CommitImport::Tree(tree) => {
                    tree.leaves().get(leaf.path.index() as usize) == Some(&hash)
                }
                CommitImport::Bare(commit) => commit.proves(&hash, &leaf.path).is_ok(),
            };
            if !proven {
                return Err(fails(&"its kept hash is not in its commit"));
            }
            Ok(Item::Absent(table, seq, hash))
        }
        _ => unreachable!("format-2 values carry a leaf, matched to a commit above"),
    }
}

/// Writes a file of this version: header, the tenants' commits and receipts, each table's
/// stored values with the commit records they name, then the read-audit records.
pub(crate) fn write_file(
    path: &Path,
    header: &Header,
    snapshot: &Snapshot<'_>,
    progress: &mut dyn crate::Progress,
) -> BResult<()> {
    let file = File::create(path).map_err(|source| io_err(path, source))?;
    let mut out = HashWriter {
        path,
        inner: BufWriter::new(file),
        hasher: blake3::Hasher::new(),
    };
    out.put(MAGIC)?;
    out.put(&VERSION.to_le_bytes())?;
    out.put(&header.number.to_le_bytes())?;
    out.put(&header.created_micros.to_le_bytes())?;
    out.put(&header.parent)?;
    out.put(&len_u32(path, header.catalog.len())?.to_le_bytes())?;
    for (key, value) in &header.catalog {
        out.field(key)?;
        out.field(value)?;
    }
    out.put(&len_u32(path, header.tables.len())?.to_le_bytes())?;
    for range in &header.tables {
        out.table_range(range)?;
    }
    out.put(&len_u32(path, header.tenants.len())?.to_le_bytes())?;
    for range in &header.tenants {
        out.put(&range.tenant.0.to_le_bytes())?;
        for log in [&range.commits, &range.receipts] {
            out.put(&log.first.to_le_bytes())?;
            out.put(&log.count.to_le_bytes())?;
            out.put(&log.end_hash)?;
        }
    }
    out.put(&len_u32(path, header.audits.len())?.to_le_bytes())?;
    for range in &header.audits {
        out.table_range(range)?;
    }
    out.put(&len_u32(path, header.received.len())?.to_le_bytes())?;
    for received in &header.received {
        out.put(&received.chain.0)?;
        out.table_range(&received.range)?;
    }
    for range in &header.tenants {
        let first = layout::commit_key(range.tenant, CommitSeq(range.commits.first));
        out.records(
            snapshot,
            &layout::commits_prefix(range.tenant),
            &first,
            range.commits.count,
        )?;
    }
    for range in &header.tenants {
        let first = layout::receipt_key(range.tenant, ReceiptSeq(range.receipts.first));
        let prefix = layout::receipts_prefix(range.tenant);
        out.records(snapshot, &prefix, &first, range.receipts.count)?;
    }
    for range in &header.tables {
        out.entries(snapshot, range, progress)?;
    }
    for range in &header.audits {
        let mut next = range.first.0;
        while next < range.first.0 + range.count {
            let want = (range.first.0 + range.count - next).min(PAGE as u64) as usize;
            let values = snapshot.audit_values(range.table, next, want)?;
            if values.len() != want {
                return Err(Error::Corrupted("an audit record is missing".into()).into());
            }
            for value in &values {
                out.field(value)?;
            }
            next += want as u64;
        }
    }
    for received in &header.received {
        let range = &received.range;
        let mut next = range.first.0;
        while next < range.first.0 + range.count {
            let want = (range.first.0 + range.count - next).min(PAGE as u64) as usize;
            let rows = snapshot
                .received_rows(range.table, &received.chain, next)
                .take(want)
                .collect::<crate::Result<Vec<_>>>()?;
            let in_place = (next..)
                .zip(&rows)
                .all(|(want_seq, (seq, _))| *seq == want_seq);
            if rows.len() != want || !in_place {
                return Err(Error::Corrupted("a received audit record is missing".into()).into());
            }
            for (_, value) in &rows {
                out.field(value)?;
            }
            next += want as u64;
        }
    }
    let digest = out.hasher.finalize();
    out.inner
        .write_all(digest.as_bytes())
        .and_then(|()| out.inner.flush())
        .map_err(|source| io_err(path, source))?;
    let file = out
        .inner
        .into_inner()
        .map_err(|err| io_err(path, err.into_error()))?;
    file.sync_all().map_err(|source| io_err(path, source))
}

fn len_u32(path: &Path, len: usize) -> BResult<u32> {
    u32::try_from(len).map_err(|_| damaged(path, "a field is longer than 4 GiB"))
}

struct HashWriter<'p> {
    path: &'p Path,
    inner: BufWriter<File>,
    hasher: blake3::Hasher,
}

impl HashWriter<'_> {
    fn put(&mut self, bytes: &[u8]) -> BResult<()> {
        self.hasher.update(bytes);
        self.inner
            .write_all(bytes)
            .map_err(|source| io_err(self.path, source))
    }

    fn table_range(&mut self, range: &TableRange) -> BResult<()> {
        self.put(&range.table.tenant.0.to_le_bytes())?;
        self.put(&range.table.id.0.to_le_bytes())?;
        self.put(&range.first.0.to_le_bytes())?;
        self.put(&range.count.to_le_bytes())?;
        self.put(&range.end_hash)
    }

    /// A u32 length, then the bytes.
    fn field(&mut self, bytes: &[u8]) -> BResult<()> {
        self.put(&len_u32(self.path, bytes.len())?.to_le_bytes())?;
        self.put(bytes)
    }

    /// `count` raw records of the commits column family from `first`, in key order.
    fn records(
        &mut self,
        snapshot: &Snapshot<'_>,
        prefix: &[u8],
        first: &[u8],
        count: u64,
    ) -> BResult<()> {
        let mut iter = snapshot.tagged_iter(prefix);
        iter.seek(first);
        for _ in 0..count {
            let value = iter
                .value()
                .ok_or_else(|| Error::Corrupted("a commit or receipt is missing".into()))?;
            self.field(value)?;
            iter.next();
        }
        iter.status().map_err(Error::from)?;
        Ok(())
    }

    /// A table's stored values, each format-2 one preceded by its commit's record when the
    /// value before it named another commit.
    fn entries(
        &mut self,
        snapshot: &Snapshot<'_>,
        range: &TableRange,
        progress: &mut dyn crate::Progress,
    ) -> BResult<()> {
        let mut log = snapshot.raw_iter(crate::layout::CF_LOG, range.table);
        log.seek(layout::seq_key(range.table, range.first));
        let mut named: Option<CommitSeq> = None;
        for done in 0..range.count {
            let Some(value) = log.value() else {
                log.status().map_err(Error::from)?;
                return Err(BackupError::Storage(Error::DamagedEntry {
                    seq: Seq(range.first.0 + done),
                    why: "missing from the log".into(),
                }));
            };
            let seq = Seq(range.first.0 + done);
            let split =
                record::split_log_value(value).map_err(|why| Error::DamagedEntry { seq, why })?;
            if let Some(leaf) = split.leaf()
                && named != Some(leaf.commit)
            {
                let commit = snapshot
                    .get_raw(
                        CF_COMMITS,
                        &layout::commit_key(range.table.tenant, leaf.commit),
                    )?
                    .ok_or_else(|| Error::DamagedEntry {
                        seq,
                        why: format!("its commit {} is not stored", leaf.commit.0),
                    })?;
                self.put(&[ITEM_COMMIT])?;
                self.put(&leaf.commit.0.to_le_bytes())?;
                self.field(&commit)?;
                named = Some(leaf.commit);
            }
            self.put(&[ITEM_ENTRY])?;
            self.field(value)?;
            log.next();
            if (done + 1) % PAGE as u64 == 0 {
                progress.advance(PAGE as u64);
            }
        }
        progress.advance(range.count % PAGE as u64);
        Ok(())
    }
}

struct HashReader<'p> {
    path: &'p Path,
    inner: BufReader<File>,
    hasher: blake3::Hasher,
    version: u32, // Invariant: 1 to VERSION once the header was read.
}

impl<'p> HashReader<'p> {
    /// Opens `path` for reading from its start, with its length in bytes.
    fn open(path: &'p Path) -> BResult<(HashReader<'p>, u64)> {
        let file = File::open(path).map_err(|source| io_err(path, source))?;
        let bytes = file
            .metadata()
            .map_err(|source| io_err(path, source))?
            .len();
        let reader = HashReader {
            path,
            inner: BufReader::new(file),
            hasher: blake3::Hasher::new(),
            version: 0,
        };
        Ok((reader, bytes))
    }

    /// Reads without hashing (the digest itself).
    fn raw(&mut self, out: &mut [u8]) -> BResult<()> {
        self.inner.read_exact(out).map_err(|err| {
            if err.kind() == io::ErrorKind::UnexpectedEof {
                damaged(self.path, "truncated")
            } else {
                io_err(self.path, err)
            }
        })
    }

    fn fill(&mut self, out: &mut [u8]) -> BResult<()> {
        self.raw(out)?;
        self.hasher.update(out);
        Ok(())
    }

    fn bytes(&mut self, len: usize) -> BResult<Vec<u8>> {
        let mut out = vec![0; len];
        self.fill(&mut out)?;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> BResult<[u8; N]> {
        let mut out = [0; N];
        self.fill(&mut out)?;
        Ok(out)
    }

    fn u32(&mut self) -> BResult<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> BResult<u64> {
        self.array().map(u64::from_le_bytes)
    }

    fn field(&mut self) -> BResult<Vec<u8>> {
        let len = self.u32()?;
        if len > MAX_CATALOG_FIELD {
            return Err(damaged(self.path, "a catalog field length is out of range"));
        }
        self.bytes(len as usize)
    }

    /// A length-prefixed commit or receipt record.
    fn record(&mut self) -> BResult<Vec<u8>> {
        let len = self.u32()?;
        if len > MAX_RECORD_LEN {
            return Err(damaged(self.path, "a record length is out of range"));
        }
        self.bytes(len as usize)
    }

    fn log_range(&mut self) -> BResult<LogRange> {
        let first = self.u64()?;
        let count = self.u64()?;
        if first == 0 || first.checked_add(count).is_none() {
            return Err(damaged(
                self.path,
                "a commit or receipt range is out of bounds",
            ));
        }
        Ok(LogRange {
            first,
            count,
            end_hash: self.array()?,
        })
    }

    fn header(&mut self) -> BResult<Header> {
        if &self.array::<8>()? != MAGIC {
            return Err(damaged(self.path, "not a MindooDB backup file"));
        }
        let version = self.u32()?;
        if !(1..=VERSION).contains(&version) {
            return Err(damaged(
                self.path,
                &format!("format version {version} is not supported"),
            ));
        }
        self.version = version;
        let number = self.u32()?;
        let created_micros = self.array().map(i64::from_le_bytes)?;
        let parent = self.array()?;
        let n_catalog = self.u32()?;
        let mut catalog = Vec::new();
        for _ in 0..n_catalog {
            let key = self.field()?;
            let value = self.field()?;
            catalog.push((key, value));
        }
        let n_tables = self.u32()?;
        let mut tables = Vec::new();
        for _ in 0..n_tables {
            tables.push(self.table_range()?);
        }
        let mut tenants = Vec::new();
        if version >= 2 {
            let n_tenants = self.u32()?;
            for _ in 0..n_tenants {
                let tenant = TenantId(self.u32()?);
                let commits = self.log_range()?;
                let receipts = self.log_range()?;
                tenants.push(TenantRange {
                    tenant,
                    commits,
                    receipts,
                });
            }
        }
        let mut audits = Vec::new();
        if version >= 3 {
            for _ in 0..self.u32()? {
                audits.push(self.table_range()?);
            }
        }
        let mut received = Vec::new();
        if version >= 4 {
            for _ in 0..self.u32()? {
                let chain = AuditChainId(self.array()?);
                received.push(ReceivedRange {
                    chain,
                    range: self.table_range()?,
                });
            }
        }
        Ok(Header {
            number,
            created_micros,
            parent,
            catalog,
            tables,
            tenants,
            audits,
            received,
        })
    }

    fn table_range(&mut self) -> BResult<TableRange> {
        let table = Table {
            tenant: TenantId(self.u32()?),
            id: TableId(self.u32()?),
        };
        let first = Seq(self.u64()?);
        let count = self.u64()?;
        if first.0 == 0 || first.0.checked_add(count).is_none() {
            return Err(damaged(self.path, "a table range is out of bounds"));
        }
        Ok(TableRange {
            table,
            first,
            count,
            end_hash: self.array()?,
        })
    }
}

pub(crate) fn io_err(path: &Path, source: io::Error) -> BackupError {
    BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

pub(crate) fn damaged(path: &Path, why: &str) -> BackupError {
    BackupError::Damaged {
        path: path.to_owned(),
        why: why.to_owned(),
    }
}
