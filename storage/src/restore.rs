//! Restoring a backup chain into a new data directory, to a point in time: the newest
//! catalog, then each file's commits, receipts and entries imported through the commit
//! pipeline in file order, and each table's read-audit records: its own chain as its own,
//! each chain it had received as received.
//!
//! Invariants:
//! - The whole chain is verified before anything is written, into an empty directory only.
//! - Every commit, receipt and entry lands at the seq it had, or the restore fails.
//! - Commits and receipts are restored whole, whatever `Until` says, so authors' chains and
//!   receipts stay unbroken; entries stop per table at `Until`. Audit records are restored
//!   whole too: they say who read, not what the table held.
//!
//! See: docs/OPERATIONS.md#backups

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use mindoodb_protocol::{AuditChainId, AuditRecord};
use rocksdb::{IteratorMode, WriteBatch};

use crate::backup::{BackupError, Progress, RestoreSummary, Until, verify_backups};
use crate::backup_file::{self, BResult, CatalogRow, Item, io_err};
use crate::catalog::{self, Catalog};
use crate::commit::CommitImport;
use crate::layout::CF_CATALOG;
use crate::{CommitSeq, Outcome, Seq, Store, StoreConfig, Table, TenantId, Transaction, Write};

/// Entries (or commits) per import transaction during a restore.
const RESTORE_BATCH: usize = 1024;

/// Restores the chain in `dir` into the new store directory `target`, stopping each table's
/// log at `until`. The catalog is the newest backup's; tables and tenants it no longer lists
/// are skipped. Commits and receipts are restored whole, whatever `until` says, so authors'
/// chains stay unbroken; a commit then lacks the entries the restore left out.
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
    let (header, _) = backup_file::read_header_only(&newest.path)?;
    let archived = store.load_catalog(header.catalog)?;

    let total = infos.iter().map(|i| i.entries).sum();
    progress.start("restore", total);
    let mut restorer = Restorer {
        store: &store,
        until,
        stopped: BTreeSet::new(),
        entries: Vec::new(),
        commits: None,
        imported: 0,
        tables: BTreeSet::new(),
        audits: None,
        received: None,
    };
    for info in &infos {
        backup_file::read_file(&info.path, &mut |item| {
            if matches!(item, Item::Entry(..) | Item::Absent(..)) {
                progress.advance(1);
            }
            restorer.item(item)
        })?;
    }
    restorer.flush_commits()?;
    restorer.flush_entries()?;
    restorer.flush_audits()?;
    restorer.flush_received()?;
    progress.finish();
    for (tenant, name) in archived {
        store.set_read_only(tenant, &name, true)?;
    }
    Ok(RestoreSummary {
        files: infos.len(),
        tables: restorer.tables.len(),
        entries: restorer.imported,
    })
}

/// What a restore imports, batched: commits of one tenant, then entries.
struct Restorer<'s> {
    store: &'s Store,
    until: Until,
    stopped: BTreeSet<Table>,
    entries: Vec<(Seq, Write)>,
    commits: Option<(TenantId, Vec<(CommitSeq, CommitImport)>)>,
    imported: u64,
    tables: BTreeSet<Table>,
    /// Audit records waiting for their batch, of one table.
    audits: Option<(Table, Vec<AuditRecord>)>,
    /// Received audit records waiting for their batch, of one chain.
    received: Option<(Table, AuditChainId, Vec<AuditRecord>)>,
}

impl Restorer<'_> {
    fn item(&mut self, item: Item) -> BResult<()> {
        match item {
            Item::Commit(tenant, seq, import) => {
                if !self.store.has_tenant(tenant) {
                    return Ok(());
                }
                if self
                    .commits
                    .as_ref()
                    .is_some_and(|(t, c)| *t != tenant || c.len() >= RESTORE_BATCH)
                {
                    self.flush_commits()?;
                }
                self.commits
                    .get_or_insert_with(|| (tenant, Vec::new()))
                    .1
                    .push((seq, import));
            }
            Item::Receipt(tenant, seq, receipt, commits) => {
                self.flush_commits()?;
                if !self.store.has_tenant(tenant) {
                    return Ok(());
                }
                let landed = self.store.add_receipt(tenant, receipt, commits)?;
                if landed != seq {
                    return Err(BackupError::Chain(format!(
                        "restored receipt landed at {} instead of {}",
                        landed.0, seq.0
                    )));
                }
            }
            Item::Entry(table, seq, entry) => {
                self.flush_commits()?;
                if !self.store.has_table(table) || self.stopped.contains(&table) {
                    return Ok(());
                }
                let keep = match self.until {
                    Until::End => true,
                    Until::Seq(last) => seq <= last,
                    Until::Clock(last) => entry.header().clock() <= last,
                };
                if !keep {
                    self.stopped.insert(table);
                    return Ok(());
                }
                self.tables.insert(table);
                self.entries.push((seq, Write::Import { table, entry }));
                if self.entries.len() >= RESTORE_BATCH {
                    self.flush_entries()?;
                }
            }
            Item::Audit(table, record) => {
                if !self.store.has_table(table) {
                    return Ok(());
                }
                if self
                    .audits
                    .as_ref()
                    .is_some_and(|(t, r)| *t != table || r.len() >= RESTORE_BATCH)
                {
                    self.flush_audits()?;
                }
                self.audits
                    .get_or_insert_with(|| (table, Vec::new()))
                    .1
                    .push(record);
            }
            Item::Received(table, chain, record) => {
                if !self.store.has_table(table) {
                    return Ok(());
                }
                if self
                    .received
                    .as_ref()
                    .is_some_and(|(t, c, r)| *t != table || *c != chain || r.len() >= RESTORE_BATCH)
                {
                    self.flush_received()?;
                }
                self.received
                    .get_or_insert_with(|| (table, chain, Vec::new()))
                    .2
                    .push(record);
            }
            Item::Absent(table, seq, _) => {
                if self.store.has_table(table) && !self.stopped.contains(&table) {
                    return Err(BackupError::Chain(format!(
                        "entry {seq} of table {}/{} is absent (its body was erased); restoring absent entries is not supported",
                        table.tenant.0, table.id.0
                    )));
                }
            }
        }
        Ok(())
    }

    /// Appends the pending audit records at the seqs they had.
    fn flush_audits(&mut self) -> BResult<()> {
        match self.audits.take() {
            Some((table, records)) => self.store.import_audit(table, &records),
            None => Ok(()),
        }
    }

    /// Adds the pending records of a received chain, each of which must extend it.
    fn flush_received(&mut self) -> BResult<()> {
        let Some((table, chain, records)) = self.received.take() else {
            return Ok(());
        };
        let added = self.store.add_audit_records(table, &chain, &records)?;
        match added.refused {
            None if added.appended == records.len() as u64 => Ok(()),
            refused => Err(BackupError::Chain(format!(
                "the received audit chain {chain} of table {}/{} does not continue the restored one: {}",
                table.tenant.0,
                table.id.0,
                refused.map_or_else(
                    || "records it holds already".to_owned(),
                    |(seq, why)| format!("record {seq}: {why}")
                )
            ))),
        }
    }

    /// Imports the pending commits and checks each landed at the seq it had.
    fn flush_commits(&mut self) -> BResult<()> {
        let Some((tenant, commits)) = self.commits.take() else {
            return Ok(());
        };
        let (seqs, imports): (Vec<CommitSeq>, Vec<CommitImport>) = commits.into_iter().unzip();
        let landed = self.store.import_commits(tenant, imports)?;
        if landed != seqs {
            return Err(BackupError::Chain(format!(
                "restored commits of tenant {} landed at other seqs",
                tenant.0
            )));
        }
        Ok(())
    }

    /// Commits the pending entries as one import and checks each landed at the seq it had.
    fn flush_entries(&mut self) -> BResult<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        let (seqs, writes): (Vec<Seq>, Vec<Write>) =
            std::mem::take(&mut self.entries).into_iter().unzip();
        let receipt = self.store.commit(Transaction { writes })?;
        for (want, outcome) in seqs.iter().zip(&receipt.outcomes) {
            if *outcome != Outcome::Appended(*want) {
                return Err(BackupError::Chain(format!(
                    "restored entry landed at {outcome:?} instead of seq {want}"
                )));
            }
        }
        self.imported += seqs.len() as u64;
        Ok(())
    }
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

    fn has_tenant(&self, tenant: TenantId) -> bool {
        self.shared
            .catalog
            .read()
            .tenants
            .values()
            .any(|t| t.id == tenant)
    }
}
