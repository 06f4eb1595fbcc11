//! Backups: a chain of files in MindooDB's own format holding the catalog and each table's
//! sealed entries (ciphertext and signatures, never a key or plaintext); writing a full or
//! incremental backup from a store, verifying a chain, and restoring it to a point in time.
//!
//! Invariants:
//! - A file becomes visible under its final name only after it was synced and read back whole:
//!   digest, every entry's signature, and the seq ranges its header promised.
//! - File n names the BLAKE3 digest of file n-1, and each table's entries continue exactly
//!   where the chain left them, so a missing, reordered or altered file is detected.
//! - Restore verifies the whole chain before it writes anything, into an empty directory
//!   only, and imports entries through the commit pipeline, so every derived index is rebuilt
//!   and each entry lands at the seq it had.
//! - An incremental backup refuses a data directory whose log does not extend the chain
//!   (checked by the hash of the last entry the chain holds of each table).
//!
//! See: docs/FORMAT.md#backup-files, docs/OPERATIONS.md#backups

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write as _};
use std::path::{Path, PathBuf};

use mindoodb_protocol::{AuthorClock, EntryHash, MAX_PAYLOAD_LEN, UnverifiedEntry, VerifiedEntry};
use rocksdb::{IteratorMode, WriteBatch};

use crate::catalog::{self, Catalog};
use crate::layout::CF_CATALOG;
use crate::read::Snapshot;
use crate::{
    Error, Outcome, Seq, Store, StoreConfig, Table, TableId, TenantId, Transaction, Write,
};

const MAGIC: &[u8; 8] = b"MDBBACK\0";
const VERSION: u32 = 1;
const SUFFIX: &str = ".mdbbackup";
const DIGEST_LEN: usize = 32;
/// Room for the largest entry the protocol allows: header fields plus payload.
const MAX_ENTRY_LEN: u32 = (MAX_PAYLOAD_LEN + (1 << 16)) as u32;
const MAX_CATALOG_FIELD: u32 = 1 << 20;
/// Entries per import transaction during a restore.
const RESTORE_BATCH: usize = 1024;
/// Entries read from the log per page while writing.
const PAGE: usize = 1024;

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

type BResult<T> = std::result::Result<T, BackupError>;
/// One raw catalog row: key and value as the catalog column family holds them.
type CatalogRow = (Vec<u8>, Vec<u8>);
/// Called with each entry of a file: its table, its seq and its sealed bytes.
type Visit<'v> = dyn FnMut(Table, Seq, &[u8]) -> BResult<()> + 'v;

/// Told how far a long step got: a bar on a terminal, lines in a log.
pub trait Progress {
    /// A step of `total` units (entries) begins.
    fn start(&mut self, step: &str, total: u64);
    /// `n` more units are done.
    fn advance(&mut self, n: u64);
    /// The step is over.
    fn finish(&mut self);
}

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

/// A parsed file header.
struct Header {
    number: u32,
    created_micros: i64,
    parent: [u8; DIGEST_LEN],
    catalog: Vec<CatalogRow>,
    tables: Vec<TableRange>,
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
        let mut ends: BTreeMap<Table, (Seq, [u8; DIGEST_LEN])> = BTreeMap::new();
        for info in &chain {
            for range in info.tables.iter().filter(|r| r.count > 0) {
                ends.insert(range.table, (range.end(), range.end_hash));
            }
        }
        let snapshot = self.snapshot();
        let catalog_rows = snapshot.catalog_rows()?;
        let loaded = Catalog::load(
            catalog_rows
                .iter()
                .map(|(k, v)| (k.clone().into_boxed_slice(), v.clone().into_boxed_slice())),
        )?;
        let mut tables = Vec::new();
        for info in loaded.tables.values() {
            let table = info.table;
            let last = snapshot.last_seq(table)?;
            let (end, end_hash) = ends.get(&table).copied().unwrap_or((Seq(0), [0; 32]));
            if last < end {
                return Err(BackupError::Chain(format!(
                    "table {} has {} entries but the backups in {} hold {}: back up into a new directory",
                    info.name,
                    last,
                    dir.display(),
                    end
                )));
            }
            if end.0 > 0 && entry_hash(&snapshot, table, end)? != end_hash {
                return Err(BackupError::Chain(format!(
                    "table {} differs from the backups in {} at seq {end}: they were taken of another data directory",
                    info.name,
                    dir.display()
                )));
            }
            let new_hash = if last > end {
                entry_hash(&snapshot, table, last)?
            } else {
                end_hash
            };
            tables.push(TableRange {
                table,
                first: Seq(end.0 + 1),
                count: last.0 - end.0,
                end_hash: new_hash,
            });
        }
        let header = Header {
            number: chain.last().map_or(1, |info| info.number + 1),
            created_micros: now_micros,
            parent: chain.last().map_or([0; DIGEST_LEN], |info| info.digest),
            catalog: catalog_rows,
            tables,
        };
        let path = dir.join(file_name(header.number));
        let tmp = dir.join(format!(".{}.tmp", file_name(header.number)));
        let total: u64 = header.tables.iter().map(|r| r.count).sum();
        progress.start("backup", total);
        let written = write_file(&tmp, &header, &snapshot, progress);
        progress.finish();
        if let Err(err) = written {
            let _ = fs::remove_file(&tmp);
            return Err(err);
        }
        drop(snapshot);

        // Verified on write: read the file back whole before it gets its name.
        progress.start("verify", total);
        let checked = read_file(&tmp, &mut |_, _, entry| {
            progress.advance(1);
            verify_entry(&tmp, entry).map(|_| ())
        });
        progress.finish();
        let (read_back, digest, bytes) = match checked {
            Ok(read) => read,
            Err(err) => {
                let _ = fs::remove_file(&tmp);
                return Err(err);
            }
        };
        if read_back.tables != header.tables || read_back.parent != header.parent {
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
            bytes,
        })
    }
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
/// and every entry's signature. Returns the files in order.
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
    let mut ends: BTreeMap<Table, (Seq, [u8; DIGEST_LEN])> = BTreeMap::new();
    let mut parent = [0; DIGEST_LEN];
    for (idx, listed) in headers.iter().enumerate() {
        let path = &listed.path;
        let mut expect: BTreeMap<Table, Seq> = BTreeMap::new();
        let mut last_hash: BTreeMap<Table, [u8; DIGEST_LEN]> = BTreeMap::new();
        let (header, digest, bytes) = read_file(path, &mut |table, seq, entry| {
            progress.advance(1);
            let hash = verify_entry(path, entry)?;
            let want = expect.entry(table).or_insert(seq);
            if *want != seq {
                return Err(damaged(path, &format!("entry out of order at seq {seq}")));
            }
            *want = Seq(seq.0 + 1);
            last_hash.insert(table, *hash.as_bytes());
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
            let (end, end_hash) = ends.get(&range.table).copied().unwrap_or((Seq(0), [0; 32]));
            if range.first.0 != end.0 + 1 {
                return Err(BackupError::Chain(format!(
                    "{} continues table {}/{} at seq {} but the chain ends at {end}",
                    path.display(),
                    range.table.tenant.0,
                    range.table.id.0,
                    range.first
                )));
            }
            let held = last_hash.get(&range.table).copied().unwrap_or(end_hash);
            if held != range.end_hash {
                return Err(damaged(
                    path,
                    "a table's last entry differs from its header",
                ));
            }
            if range.count > 0 {
                ends.insert(range.table, (range.end(), range.end_hash));
            }
        }
        parent = digest;
        infos.push(BackupInfo {
            number: header.number,
            path: path.clone(),
            created_micros: header.created_micros,
            digest,
            entries: header.tables.iter().map(|r| r.count).sum(),
            tables: header.tables,
            bytes,
        });
    }
    progress.finish();
    Ok(infos)
}

/// Restores the chain in `dir` into the new store directory `target`, stopping each table's
/// log at `until`. The catalog is the newest backup's; tables it no longer lists are skipped.
pub fn restore(
    dir: &Path,
    target: &Path,
    config: &StoreConfig,
    until: Until,
    progress: &mut dyn Progress,
) -> BResult<RestoreSummary> {
    let infos = verify_backups(dir, progress)?;
    let is_empty = match fs::read_dir(target) {
        Ok(mut entries) => entries.next().is_none(),
        Err(err) if err.kind() == io::ErrorKind::NotFound => true,
        Err(source) => return Err(io_err(target, source)),
    };
    if !is_empty {
        return Err(BackupError::NotEmpty(target.to_owned()));
    }
    fs::create_dir_all(target).map_err(|source| io_err(target, source))?;
    let store = Store::open(target, config)?;
    let newest = infos
        .last()
        .ok_or_else(|| BackupError::Chain("no backup files".into()))?;
    let mut catalog_rows = Vec::new();
    read_header_only(&newest.path, &mut catalog_rows)?;
    let archived = store.load_catalog(catalog_rows)?;

    let total = infos.iter().map(|i| i.entries).sum();
    progress.start("restore", total);
    let mut stopped: BTreeMap<Table, bool> = BTreeMap::new();
    let mut pending: Vec<(Seq, Write)> = Vec::new();
    let mut imported = 0u64;
    let mut tables = std::collections::BTreeSet::new();
    for info in &infos {
        read_file(&info.path, &mut |table, seq, bytes| {
            progress.advance(1);
            if !store.has_table(table) || *stopped.get(&table).unwrap_or(&false) {
                return Ok(());
            }
            let entry = verified(&info.path, bytes)?;
            let keep = match until {
                Until::End => true,
                Until::Seq(last) => seq <= last,
                Until::Clock(last) => entry.header().clock() <= last,
            };
            if !keep {
                stopped.insert(table, true);
                return Ok(());
            }
            tables.insert(table);
            pending.push((seq, Write::Import { table, entry }));
            if pending.len() >= RESTORE_BATCH {
                imported += import(&store, std::mem::take(&mut pending))?;
            }
            Ok(())
        })?;
    }
    imported += import(&store, pending)?;
    progress.finish();
    for (tenant, name) in archived {
        store.set_read_only(tenant, &name, true)?;
    }
    Ok(RestoreSummary {
        files: infos.len(),
        tables: tables.len(),
        entries: imported,
    })
}

impl Store {
    /// Writes `rows` as the catalog of this new, empty store and returns the tables they
    /// mark read-only, which are loaded writable so a restore can fill them first.
    fn load_catalog(&self, rows: Vec<CatalogRow>) -> BResult<Vec<(TenantId, String)>> {
        let mut cat = self.shared.catalog.write();
        let existing = self
            .shared
            .db
            .iterator_cf(&self.shared.cf(CF_CATALOG), IteratorMode::Start)
            .next();
        if existing.is_some() {
            return Err(BackupError::Chain(
                "restore target already has a catalog".into(),
            ));
        }
        let mut archived = Vec::new();
        let mut batch = WriteBatch::default();
        let mut boxed = Vec::with_capacity(rows.len());
        for (key, value) in rows {
            let value = match key.first() {
                Some(&catalog::TABLE) => {
                    let mut info = catalog::decode_table(&value)?;
                    if info.read_only {
                        archived.push((info.table.tenant, info.name.clone()));
                        info.read_only = false;
                    }
                    catalog::encode_table(&info)
                }
                _ => value,
            };
            batch.put_cf(&self.shared.cf(CF_CATALOG), &key, &value);
            boxed.push((key.into_boxed_slice(), value.into_boxed_slice()));
        }
        let loaded = Catalog::load(boxed.into_iter())?;
        self.write_catalog(batch, &mut cat)?;
        *cat = loaded;
        Ok(archived)
    }

    fn has_table(&self, table: Table) -> bool {
        self.shared.catalog.read().table_info(table).is_some()
    }
}

/// Commits `writes` as one import and checks each entry landed at the seq it had.
fn import(store: &Store, writes: Vec<(Seq, Write)>) -> BResult<u64> {
    if writes.is_empty() {
        return Ok(0);
    }
    let (seqs, writes): (Vec<Seq>, Vec<Write>) = writes.into_iter().unzip();
    let receipt = store.commit(Transaction { writes })?;
    for (want, outcome) in seqs.iter().zip(&receipt.outcomes) {
        if *outcome != Outcome::Appended(*want) {
            return Err(BackupError::Chain(format!(
                "restored entry landed at {outcome:?} instead of seq {want}"
            )));
        }
    }
    Ok(seqs.len() as u64)
}

fn entry_hash(snapshot: &Snapshot<'_>, table: Table, seq: Seq) -> BResult<[u8; DIGEST_LEN]> {
    let record = snapshot
        .log(table, Seq(seq.0 - 1), 1)?
        .into_iter()
        .next()
        .ok_or(Error::DamagedEntry {
            seq,
            why: "missing from the log".into(),
        })?;
    Ok(*record.entry.hash().as_bytes())
}

fn verify_entry(path: &Path, bytes: &[u8]) -> BResult<EntryHash> {
    verified(path, bytes).map(|entry| entry.hash())
}

fn verified(path: &Path, bytes: &[u8]) -> BResult<VerifiedEntry> {
    let entry = UnverifiedEntry::parse(bytes.to_vec())
        .map_err(|err| damaged(path, &format!("an entry does not parse: {err}")))?;
    let hash = entry.hash();
    entry
        .verify()
        .map_err(|err| damaged(path, &format!("entry {hash} fails verification: {err}")))
}

fn file_name(number: u32) -> String {
    format!("{number:06}{SUFFIX}")
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
        let mut ignored = Vec::new();
        let (header, bytes) = read_header_only(&path, &mut ignored)?;
        let digest = read_trailer(&path, bytes)?;
        infos.push(BackupInfo {
            number,
            path,
            created_micros: header.created_micros,
            digest,
            entries: header.tables.iter().map(|r| r.count).sum(),
            tables: header.tables,
            bytes,
        });
    }
    Ok(infos)
}

fn read_header_only(path: &Path, catalog_out: &mut Vec<CatalogRow>) -> BResult<(Header, u64)> {
    let (mut reader, bytes) = HashReader::open(path)?;
    let mut header = reader.header()?;
    *catalog_out = std::mem::take(&mut header.catalog);
    Ok((header, bytes))
}

fn read_trailer(path: &Path, len: u64) -> BResult<[u8; DIGEST_LEN]> {
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

/// Reads a whole file, handing each entry to `visit`, and checks its digest and its end.
fn read_file(path: &Path, visit: &mut Visit<'_>) -> BResult<(Header, [u8; DIGEST_LEN], u64)> {
    let (mut reader, bytes) = HashReader::open(path)?;
    let header = reader.header()?;
    for range in &header.tables {
        for i in 0..range.count {
            let len = reader.u32()?;
            if len > MAX_ENTRY_LEN {
                return Err(damaged(path, "an entry length is out of range"));
            }
            let entry = reader.bytes(len as usize)?;
            visit(range.table, Seq(range.first.0 + i), &entry)?;
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

fn write_file(
    path: &Path,
    header: &Header,
    snapshot: &Snapshot<'_>,
    progress: &mut dyn Progress,
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
        out.put(&len_u32(path, key.len())?.to_le_bytes())?;
        out.put(key)?;
        out.put(&len_u32(path, value.len())?.to_le_bytes())?;
        out.put(value)?;
    }
    out.put(&len_u32(path, header.tables.len())?.to_le_bytes())?;
    for range in &header.tables {
        out.put(&range.table.tenant.0.to_le_bytes())?;
        out.put(&range.table.id.0.to_le_bytes())?;
        out.put(&range.first.0.to_le_bytes())?;
        out.put(&range.count.to_le_bytes())?;
        out.put(&range.end_hash)?;
    }
    for range in &header.tables {
        let mut cursor = Seq(range.first.0 - 1);
        let mut left = range.count;
        while left > 0 {
            let page = snapshot.log(range.table, cursor, PAGE.min(left as usize))?;
            let Some(last) = page.last() else {
                return Err(BackupError::Storage(Error::DamagedEntry {
                    seq: Seq(cursor.0 + 1),
                    why: "missing from the log".into(),
                }));
            };
            cursor = last.seq;
            for record in &page {
                out.put(&len_u32(path, record.entry.bytes().len())?.to_le_bytes())?;
                out.put(record.entry.bytes())?;
            }
            left -= page.len() as u64;
            progress.advance(page.len() as u64);
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
}

struct HashReader<'p> {
    path: &'p Path,
    inner: BufReader<File>,
    hasher: blake3::Hasher,
}

impl<'p> HashReader<'p> {
    fn new(path: &'p Path, file: File) -> HashReader<'p> {
        HashReader {
            path,
            inner: BufReader::new(file),
            hasher: blake3::Hasher::new(),
        }
    }

    /// Opens `path` for reading from its start, with its length in bytes.
    fn open(path: &'p Path) -> BResult<(HashReader<'p>, u64)> {
        let file = File::open(path).map_err(|source| io_err(path, source))?;
        let bytes = file
            .metadata()
            .map_err(|source| io_err(path, source))?
            .len();
        Ok((HashReader::new(path, file), bytes))
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

    fn header(&mut self) -> BResult<Header> {
        if &self.array::<8>()? != MAGIC {
            return Err(damaged(self.path, "not a MindooDB backup file"));
        }
        let version = self.u32()?;
        if version != VERSION {
            return Err(damaged(
                self.path,
                &format!("format version {version} is not supported"),
            ));
        }
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
            let table = Table {
                tenant: TenantId(self.u32()?),
                id: TableId(self.u32()?),
            };
            let first = Seq(self.u64()?);
            let count = self.u64()?;
            if first.0 == 0 || first.0.checked_add(count).is_none() {
                return Err(damaged(self.path, "a table range is out of bounds"));
            }
            tables.push(TableRange {
                table,
                first,
                count,
                end_hash: self.array()?,
            });
        }
        Ok(Header {
            number,
            created_micros,
            parent,
            catalog,
            tables,
        })
    }
}

fn io_err(path: &Path, source: io::Error) -> BackupError {
    BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

fn damaged(path: &Path, why: &str) -> BackupError {
    BackupError::Damaged {
        path: path.to_owned(),
        why: why.to_owned(),
    }
}
