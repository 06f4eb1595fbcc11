//! Backups: a chain of files in MindooDB's own format holding the catalog, each tenant's
//! commits and receipts, each table's sealed entries (ciphertext, signatures, commits,
//! never a key or plaintext) and its read-audit records (its own chain and those received
//! from other nodes); writing a full or incremental backup from a store, verifying a chain,
//! and restoring it to a point in time. The file format is backup_file.rs.
//!
//! Invariants:
//! - A file becomes visible under its final name only after it was synced and read back whole:
//!   digest, every signature, path and leaf, and the seq ranges its header promised.
//! - File n names the BLAKE3 digest of file n-1, and each table's entries and audit records
//!   (per audit chain), each tenant's commits and receipts continue exactly where the chain
//!   left them, so a missing, reordered or altered file is detected.
//! - Restore verifies the whole chain before it writes anything, into an empty directory
//!   only, and imports commits, receipts and entries through the commit pipeline, so every
//!   derived index is rebuilt and each lands at the seq it had.
//! - An incremental backup refuses a data directory whose logs do not extend the chain
//!   (checked by the hash of the last entry, commit and receipt the chain holds).
//!
//! See: docs/FORMAT.md#backup-files, docs/OPERATIONS.md#backups

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use mindoodb_protocol::{AuditChainId, AuthorClock, CommitHash};
use rocksdb::IteratorMode;

use crate::backup_file::{
    self, BResult, CatalogRow, DIGEST_LEN, Header, Item, SUFFIX, damaged, file_name, io_err,
};
use crate::catalog::Catalog;
use crate::layout::CF_CATALOG;
use crate::read::Snapshot;
use crate::record;
use crate::{CommitSeq, Error, ReceiptSeq, Seq, Store, Table, TenantId};

pub use crate::backup_audit::ReceivedRange;
pub use crate::backup_file::{LogRange, TableRange, TenantRange};

/// Why a backup, verification or restore failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A backup file is not what was written: truncated, altered or not a backup at all.
    #[error("backup file {path} is damaged: {why}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// The files do not form one chain, or the chain does not fit the data directory.
    #[error("{0}")]
    Chain(String),
    /// A restore target that is not empty.
    #[error("{0} is not empty: restore only into a new or empty directory")]
    NotEmpty(PathBuf),
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] Error),
}

/// Told how far a long step got: a bar on a terminal, lines in a log.
pub trait Progress {
    /// A step of `total` units (entries) begins.
    fn start(&mut self, step: &str, total: u64);
    /// `n` more units are done.
    fn advance(&mut self, n: u64);
    /// The step is over.
    fn finish(&mut self);
}

/// One file of a chain.
#[derive(Debug, Clone)]
pub struct BackupInfo {
    /// Its place in the chain, from 1 (the full backup).
    pub number: u32,
    /// Where it is.
    pub path: PathBuf,
    /// When it was taken, microseconds since the Unix epoch.
    pub created_micros: i64,
    /// BLAKE3 of its contents (what file `number + 1` names).
    pub digest: [u8; DIGEST_LEN],
    /// Its table ranges.
    pub tables: Vec<TableRange>,
    /// Its tenants' commit and receipt ranges (none in version-1 files).
    pub tenants: Vec<TenantRange>,
    /// Its tables' read-audit ranges, over audit seqs (none before version 3).
    pub audits: Vec<TableRange>,
    /// Its tables' received read-audit chains' ranges (none before version 4).
    pub received: Vec<ReceivedRange>,
    /// Entries it holds.
    pub entries: u64,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Where a restore stops, per table: it keeps the longest prefix of the log that qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Everything the chain holds.
    End,
    /// Entries with seq ≤ this.
    Seq(Seq),
    /// Entries whose author clock is ≤ this (stopping at the first later one).
    Clock(AuthorClock),
}

/// What a restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    /// Backup files read.
    pub files: usize,
    /// Tables restored.
    pub tables: usize,
    /// Entries imported.
    pub entries: u64,
}

/// Where the chain ends: each table's last seq and entry hash, each tenant's last commit and
/// receipt with their hashes.
#[derive(Default)]
struct Ends {
    tables: BTreeMap<Table, (Seq, [u8; DIGEST_LEN])>,
    audits: BTreeMap<Table, (Seq, [u8; DIGEST_LEN])>,
    received: BTreeMap<(Table, AuditChainId), (Seq, [u8; DIGEST_LEN])>,
    commits: BTreeMap<TenantId, (u64, [u8; DIGEST_LEN])>,
    receipts: BTreeMap<TenantId, (u64, [u8; DIGEST_LEN])>,
}

impl Ends {
    fn of(chain: &[BackupInfo]) -> Ends {
        let mut ends = Ends::default();
        for info in chain {
            ends.extend(&info.tables, &info.tenants, &info.audits);
            ends.extend_received(&info.received);
        }
        ends
    }

    fn extend_received(&mut self, received: &[ReceivedRange]) {
        for item in received.iter().filter(|r| r.range.count > 0) {
            let range = &item.range;
            self.received
                .insert((range.table, item.chain), (range.end(), range.end_hash));
        }
    }

    fn extend(&mut self, tables: &[TableRange], tenants: &[TenantRange], audits: &[TableRange]) {
        for range in tables.iter().filter(|r| r.count > 0) {
            self.tables
                .insert(range.table, (range.end(), range.end_hash));
        }
        for range in audits.iter().filter(|r| r.count > 0) {
            self.audits
                .insert(range.table, (range.end(), range.end_hash));
        }
        for range in tenants {
            if range.commits.count > 0 {
                let end = (range.commits.end(), range.commits.end_hash);
                self.commits.insert(range.tenant, end);
            }
            if range.receipts.count > 0 {
                let end = (range.receipts.end(), range.receipts.end_hash);
                self.receipts.insert(range.tenant, end);
            }
        }
    }
}

impl Store {
    /// Writes the next backup of this store into `dir`: a full one when `dir` holds none, else
    /// an incremental one with what is new since the last. Returns the verified file.
    pub fn backup(
        &self,
        dir: &Path,
        now_micros: i64,
        progress: &mut dyn Progress,
    ) -> BResult<BackupInfo> {
        fs::create_dir_all(dir).map_err(|source| io_err(dir, source))?;
        let chain = read_headers(dir)?;
        let ends = Ends::of(&chain);
        let snapshot = self.snapshot();
        let catalog_rows = snapshot.catalog_rows()?;
        let loaded = Catalog::load(
            catalog_rows
                .iter()
                .map(|(k, v)| (k.clone().into_boxed_slice(), v.clone().into_boxed_slice())),
        )?;
        let mut tables = Vec::new();
        let mut audits = Vec::new();
        let mut received = Vec::new();
        for info in loaded.tables.values() {
            let table = info.table;
            received.extend(received_ranges(dir, &snapshot, &ends, table, &info.name)?);
            let last = snapshot.last_audit(table)?.map_or(0, |(seq, _)| seq);
            let end = ends.audits.get(&table).map(|(seq, hash)| (seq.0, *hash));
            let what = format!("the audit log of {}", info.name);
            let (first, count, end_hash) = extend_range(dir, &what, last, end, |seq| {
                Ok(snapshot.audit_hash(table, seq)?)
            })?;
            audits.push(TableRange {
                table,
                first: Seq(first),
                count,
                end_hash,
            });
            let last = snapshot.last_seq(table)?.0;
            let end = ends.tables.get(&table).map(|(seq, hash)| (seq.0, *hash));
            let (first, count, end_hash) = extend_range(dir, &info.name, last, end, |seq| {
                entry_hash(&snapshot, table, Seq(seq))
            })?;
            tables.push(TableRange {
                table,
                first: Seq(first),
                count,
                end_hash,
            });
        }
        let mut tenants = Vec::new();
        for info in loaded.tenants.values() {
            let tenant = info.id;
            let last = snapshot.last_commit_seq(tenant)?.0;
            let end = ends.commits.get(&tenant).copied();
            let what = format!("the commits of tenant {}", info.name);
            let (first, count, end_hash) = extend_range(dir, &what, last, end, |seq| {
                commit_hash(&snapshot, tenant, CommitSeq(seq)).map(|h| h.0)
            })?;
            let commits = LogRange {
                first,
                count,
                end_hash,
            };
            let last = snapshot.last_receipt_seq(tenant)?.0;
            let end = ends.receipts.get(&tenant).copied();
            let what = format!("the receipts of tenant {}", info.name);
            let (first, count, end_hash) = extend_range(dir, &what, last, end, |seq| {
                receipt_hash(&snapshot, tenant, ReceiptSeq(seq))
            })?;
            let receipts = LogRange {
                first,
                count,
                end_hash,
            };
            tenants.push(TenantRange {
                tenant,
                commits,
                receipts,
            });
        }
        let header = Header {
            number: chain.last().map_or(1, |info| info.number + 1),
            created_micros: now_micros,
            parent: chain.last().map_or([0; DIGEST_LEN], |info| info.digest),
            catalog: catalog_rows,
            tables,
            tenants,
            audits,
            received,
        };
        let path = dir.join(file_name(header.number));
        let tmp = dir.join(format!(".{}.tmp", file_name(header.number)));
        let total: u64 = header.tables.iter().map(|r| r.count).sum();
        progress.start("backup", total);
        let written = backup_file::write_file(&tmp, &header, &snapshot, progress);
        progress.finish();
        if let Err(err) = written {
            let _ = fs::remove_file(&tmp);
            return Err(err);
        }
        drop(snapshot);

        // Verified on write: read the file back whole before it gets its name.
        progress.start("verify", total);
        let checked = backup_file::read_file(&tmp, &mut |item| {
            if matches!(item, Item::Entry(..) | Item::Absent(..)) {
                progress.advance(1);
            }
            Ok(())
        });
        progress.finish();
        let (read_back, digest, bytes) = match checked {
            Ok(read) => read,
            Err(err) => {
                let _ = fs::remove_file(&tmp);
                return Err(err);
            }
        };
        if read_back.tables != header.tables
            || read_back.tenants != header.tenants
            || read_back.audits != header.audits
            || read_back.received != header.received
            || read_back.parent != header.parent
        {
            let _ = fs::remove_file(&tmp);
            return Err(damaged(&tmp, "reads back different from what was written"));
        }
        fs::rename(&tmp, &path).map_err(|source| io_err(&path, source))?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|source| io_err(dir, source))?;
        Ok(BackupInfo {
            number: header.number,
            path,
            created_micros: header.created_micros,
            digest,
            entries: total,
            tables: header.tables,
            tenants: header.tenants,
            audits: header.audits,
            received: header.received,
            bytes,
        })
    }
}

/// The ranges of `table`'s received audit chains after the chain's ends: every chain the
/// store holds, and every one the backups hold (a store that lost one is refused).
fn received_ranges(
    dir: &Path,
    snapshot: &Snapshot<'_>,
    ends: &Ends,
    table: Table,
    name: &str,
) -> BResult<Vec<ReceivedRange>> {
    let held: BTreeMap<AuditChainId, u64> = snapshot
        .received_chains(table)?
        .into_iter()
        .map(|chain| (chain.id, chain.last_seq))
        .collect();
    let mut ids: Vec<AuditChainId> = held.keys().copied().collect();
    ids.extend(
        ends.received
            .keys()
            .filter(|(t, id)| *t == table && !held.contains_key(id))
            .map(|(_, id)| *id),
    );
    let mut out = Vec::with_capacity(ids.len());
    for chain in ids {
        let last = held.get(&chain).copied().unwrap_or(0);
        let end = ends
            .received
            .get(&(table, chain))
            .map(|(seq, hash)| (seq.0, *hash));
        let what = format!("the received audit chain {chain} of {name}");
        let (first, count, end_hash) = extend_range(dir, &what, last, end, |seq| {
            Ok(snapshot.received_hash(table, &chain, seq)?)
        })?;
        out.push(ReceivedRange {
            chain,
            range: TableRange {
                table,
                first: Seq(first),
                count,
                end_hash,
            },
        });
    }
    Ok(out)
}

/// The range after the chain's `end` (seq and hash) of a log whose last seq is `last`:
/// (first, count, end hash). Refuses a log that is shorter than the chain or differs from it at
/// the chain's end; `hash_at` reads the log's hash at a seq.
fn extend_range(
    dir: &Path,
    what: &str,
    last: u64,
    end: Option<(u64, [u8; DIGEST_LEN])>,
    hash_at: impl Fn(u64) -> BResult<[u8; DIGEST_LEN]>,
) -> BResult<(u64, u64, [u8; DIGEST_LEN])> {
    let (end, end_hash) = end.unwrap_or((0, [0; DIGEST_LEN]));
    if last < end {
        return Err(BackupError::Chain(format!(
            "{what} has {last} entries but the backups in {} hold {end}: back up into a new directory",
            dir.display(),
        )));
    }
    if end > 0 && hash_at(end)? != end_hash {
        return Err(BackupError::Chain(format!(
            "{what} differs from the backups in {} at seq {end}: they were taken of another data directory",
            dir.display()
        )));
    }
    let new_hash = if last > end { hash_at(last)? } else { end_hash };
    Ok((end + 1, last - end, new_hash))
}

impl Snapshot<'_> {
    /// Every row of the catalog column family, in key order.
    fn catalog_rows(&self) -> Result<Vec<CatalogRow>, Error> {
        self.shared
            .db
            .iterator_cf_opt(
                &self.shared.cf(CF_CATALOG),
                self.read_options(),
                IteratorMode::Start,
            )
            .map(|row| {
                row.map(|(k, v)| (k.into_vec(), v.into_vec()))
                    .map_err(Error::from)
            })
            .collect()
    }
}

/// Reads and checks every file of the chain in `dir`: digests, parent links, seq continuity
/// of entries, commits and receipts, and every signature, path and leaf. Returns the files in
/// order.
pub fn verify_backups(dir: &Path, progress: &mut dyn Progress) -> BResult<Vec<BackupInfo>> {
    let headers = read_headers(dir)?;
    if headers.is_empty() {
        return Err(BackupError::Chain(format!(
            "{} holds no backup files",
            dir.display()
        )));
    }
    let total = headers.iter().map(|h| h.entries).sum();
    progress.start("verify", total);
    let mut infos = Vec::with_capacity(headers.len());
    let mut ends = Ends::default();
    let mut parent = [0; DIGEST_LEN];
    for (idx, listed) in headers.iter().enumerate() {
        let path = &listed.path;
        let mut expect: BTreeMap<Table, Seq> = BTreeMap::new();
        let mut last = Ends::default();
        let (header, digest, bytes) = backup_file::read_file(path, &mut |item| {
            match item {
                Item::Commit(tenant, seq, import) => {
                    let hash = import.commit().hash().0;
                    last.commits.insert(tenant, (seq.0, hash));
                }
                Item::Receipt(tenant, seq, receipt, _) => {
                    last.receipts.insert(tenant, (seq.0, receipt.hash()));
                }
                Item::Entry(table, seq, ref entry) => {
                    let hash = *entry.hash().as_bytes();
                    in_order(path, &mut expect, &mut last, table, seq, hash)?;
                    progress.advance(1);
                }
                Item::Absent(table, seq, hash) => {
                    in_order(path, &mut expect, &mut last, table, seq, hash.0)?;
                    progress.advance(1);
                }
                Item::Audit(table, record) => {
                    // Each file checks its links; the first record links to the chain's end.
                    let (end, end_hash) = last
                        .audits
                        .get(&table)
                        .or_else(|| ends.audits.get(&table))
                        .copied()
                        .unwrap_or((Seq(0), [0; DIGEST_LEN]));
                    if record.seq() == end.0 + 1 && *record.prev() != end_hash {
                        return Err(damaged(path, "an audit record does not continue the chain"));
                    }
                    last.audits
                        .insert(table, (Seq(record.seq()), record.hash()));
                }
                Item::Received(table, chain, record) => {
                    let key = (table, chain);
                    let (end, end_hash) = last
                        .received
                        .get(&key)
                        .or_else(|| ends.received.get(&key))
                        .copied()
                        .unwrap_or((Seq(0), [0; DIGEST_LEN]));
                    if record.seq() == end.0 + 1 && *record.prev() != end_hash {
                        return Err(damaged(
                            path,
                            "a received audit record does not continue the chain",
                        ));
                    }
                    last.received
                        .insert(key, (Seq(record.seq()), record.hash()));
                }
            }
            Ok(())
        })?;
        if header.number as usize != idx + 1 {
            return Err(BackupError::Chain(format!(
                "{} says it is backup {} of the chain, expected {}",
                path.display(),
                header.number,
                idx + 1
            )));
        }
        if header.parent != parent {
            return Err(BackupError::Chain(format!(
                "{} does not follow the file before it (a file is missing, replaced or altered)",
                path.display()
            )));
        }
        for range in &header.tables {
            let (end, end_hash) = ends
                .tables
                .get(&range.table)
                .copied()
                .unwrap_or((Seq(0), [0; 32]));
            let what = format!("table {}/{}", range.table.tenant.0, range.table.id.0);
            let held = last.tables.get(&range.table).map(|(_, hash)| *hash);
            check_continues(
                path,
                &what,
                end.0,
                end_hash,
                range.first.0,
                held,
                range.end_hash,
            )?;
        }
        for range in &header.tenants {
            for (kind, log, chain_ends, file_ends) in [
                ("commits", &range.commits, &ends.commits, &last.commits),
                ("receipts", &range.receipts, &ends.receipts, &last.receipts),
            ] {
                let (end, end_hash) = chain_ends
                    .get(&range.tenant)
                    .copied()
                    .unwrap_or((0, [0; 32]));
                let what = format!("the {kind} of tenant {}", range.tenant.0);
                let held = file_ends.get(&range.tenant).map(|(_, hash)| *hash);
                check_continues(path, &what, end, end_hash, log.first, held, log.end_hash)?;
            }
        }
        for range in &header.audits {
            let (end, end_hash) = ends
                .audits
                .get(&range.table)
                .copied()
                .unwrap_or((Seq(0), [0; 32]));
            let what = format!(
                "the audit log of table {}/{}",
                range.table.tenant.0, range.table.id.0
            );
            let held = last.audits.get(&range.table).map(|(_, hash)| *hash);
            check_continues(
                path,
                &what,
                end.0,
                end_hash,
                range.first.0,
                held,
                range.end_hash,
            )?;
        }
        for item in &header.received {
            let range = &item.range;
            let key = (range.table, item.chain);
            let (end, end_hash) = ends
                .received
                .get(&key)
                .copied()
                .unwrap_or((Seq(0), [0; 32]));
            let what = format!(
                "the received audit chain {} of table {}/{}",
                item.chain, range.table.tenant.0, range.table.id.0
            );
            let held = last.received.get(&key).map(|(_, hash)| *hash);
            check_continues(
                path,
                &what,
                end.0,
                end_hash,
                range.first.0,
                held,
                range.end_hash,
            )?;
        }
        ends.extend(&header.tables, &header.tenants, &header.audits);
        ends.extend_received(&header.received);
        parent = digest;
        infos.push(BackupInfo {
            number: header.number,
            path: path.clone(),
            created_micros: header.created_micros,
            digest,
            entries: header.tables.iter().map(|r| r.count).sum(),
            tables: header.tables,
            tenants: header.tenants,
            audits: header.audits,
            received: header.received,
            bytes,
        });
    }
    progress.finish();
    Ok(infos)
}

/// Checks that a table's entries come in seq order and notes the last one's hash.
fn in_order(
    path: &Path,
    expect: &mut BTreeMap<Table, Seq>,
    last: &mut Ends,
    table: Table,
    seq: Seq,
    hash: [u8; DIGEST_LEN],
) -> BResult<()> {
    let want = expect.entry(table).or_insert(seq);
    if *want != seq {
        return Err(damaged(path, &format!("entry out of order at seq {seq}")));
    }
    *want = Seq(seq.0 + 1);
    last.tables.insert(table, (seq, hash));
    Ok(())
}

/// Checks that a range starting at `first` continues the chain's `end`, and that the last item
/// the file `held` (the chain's end hash when it held none) is the one its header names.
fn check_continues(
    path: &Path,
    what: &str,
    end: u64,
    end_hash: [u8; DIGEST_LEN],
    first: u64,
    held: Option<[u8; DIGEST_LEN]>,
    header_hash: [u8; DIGEST_LEN],
) -> BResult<()> {
    if first != end + 1 {
        return Err(BackupError::Chain(format!(
            "{} continues {what} at seq {first} but the chain ends at {end}",
            path.display(),
        )));
    }
    if held.unwrap_or(end_hash) != header_hash {
        return Err(damaged(
            path,
            &format!("the last of {what} differs from its header"),
        ));
    }
    Ok(())
}

/// The hash of the entry at `seq` (kept also when its body is absent).
fn entry_hash(snapshot: &Snapshot<'_>, table: Table, seq: Seq) -> BResult<[u8; DIGEST_LEN]> {
    let bytes = snapshot.log_value(table, seq)?;
    let hash = record::stored_hash(&bytes).map_err(|why| Error::DamagedEntry { seq, why })?;
    Ok(hash.0)
}

fn commit_hash(snapshot: &Snapshot<'_>, tenant: TenantId, seq: CommitSeq) -> BResult<CommitHash> {
    let stored = snapshot
        .commit(tenant, seq)?
        .ok_or_else(|| Error::Corrupted(format!("commit {} is missing", seq.0)))?;
    Ok(stored.commit.hash())
}

fn receipt_hash(
    snapshot: &Snapshot<'_>,
    tenant: TenantId,
    seq: ReceiptSeq,
) -> BResult<[u8; DIGEST_LEN]> {
    let stored = snapshot
        .receipts(tenant, ReceiptSeq(seq.0 - 1), 1)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Corrupted(format!("receipt {} is missing", seq.0)))?;
    Ok(stored.receipt.hash())
}

/// The chain's files in `dir` by number, headers only; numbering must run 1, 2, 3, ...
fn read_headers(dir: &Path) -> BResult<Vec<BackupInfo>> {
    let mut files = Vec::new();
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(io_err(dir, source)),
    };
    for item in listing {
        let item = item.map_err(|source| io_err(dir, source))?;
        let name = item.file_name();
        let Some(number) = name
            .to_str()
            .and_then(|n| n.strip_suffix(SUFFIX))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        files.push((number, item.path()));
    }
    files.sort();
    let mut infos = Vec::with_capacity(files.len());
    for (idx, (number, path)) in files.into_iter().enumerate() {
        if number as usize != idx + 1 {
            return Err(BackupError::Chain(format!(
                "{}: backup {} is missing from the chain",
                dir.display(),
                idx + 1
            )));
        }
        let (header, bytes) = backup_file::read_header_only(&path)?;
        let digest = backup_file::read_trailer(&path, bytes)?;
        infos.push(BackupInfo {
            number,
            path,
            created_micros: header.created_micros,
            digest,
            entries: header.tables.iter().map(|r| r.count).sum(),
            tables: header.tables,
            tenants: header.tenants,
            audits: header.audits,
            received: header.received,
            bytes,
        });
    }
    Ok(infos)
}
