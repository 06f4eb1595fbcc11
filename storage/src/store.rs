//! Opening a data directory, and the store's public face: catalog operations, commits and
//! snapshots.
//!
//! Invariants:
//! - One `Store` (and one commit thread) per open data directory; clones share it. RocksDB's
//!   own LOCK file refuses a second process.
//! - A secondary `Store` (`open_secondary`: backup, verify) reads a data directory another
//!   process may be writing; it has no commit thread, refuses every write, and its view
//!   changes only when it is opened, so its snapshots need no RocksDB snapshot.
//! - Opening reads the catalog column family only: nothing proportional to the data.
//! - Catalog writes are synced before they return, like commits.
//! - Closing a writable store (its last clone dropped) flushes the memtables, so a clean
//!   restart replays no WAL (only a crash leaves one, bounded by `MAX_TOTAL_WAL_BYTES`);
//!   durability never depends on that flush.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use mindoodb_protocol::{AuthorKey, KeyName, KeyRef};
use rocksdb::{
    BlockBasedIndexType, BlockBasedOptions, Cache, ColumnFamily, ColumnFamilyDescriptor, DB,
    DBCompressionType, Direction, FlushOptions, IteratorMode, Options, ReadOptions, WriteBatch,
    WriteOptions,
};

use crate::access::Access;
use crate::audit_append::AuditAppends;
use crate::catalog::{self, Catalog, KeyRecord, SyncCursor, TableInfo, TenantInfo};
use crate::commit::Pipeline;
use crate::layout::{
    self, ALL_CFS, CF_CATALOG, CF_COMMITS, CF_LOG, TABLE_CFS, TENANT_CFS, prefix_end,
};
use crate::read::Snapshot;

/// One row of a column family: its key and its value.
pub(crate) type KeyValue = (Box<[u8]>, Box<[u8]>);
use crate::shared_snapshot::SharedSnapshot;
use crate::{Error, Result, Seq, Table, TableId, TenantId};
use crate::{quarantine, writers};

/// Data block size of the log: a dozen 1 KiB entries per block, so a scan stepping through the
/// log changes blocks (a block cache lookup each) a third as often as with RocksDB's 4 KiB.
const LOG_BLOCK_BYTES: usize = 16 << 10;

/// Write-ahead log kept before the oldest is forced out by flushes (bounds crash recovery).
const MAX_TOTAL_WAL_BYTES: u64 = 128 << 20;

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// RocksDB block cache size, shared by all column families.
    pub cache_bytes: usize,
}

/// What a column family holds, for its RocksDB options.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CfKind {
    /// Sealed entries: about 1 KiB or more each, encrypted, so incompressible.
    Log,
    /// Small derived records and the catalog.
    Index,
}

/// An open data directory. Cheap to clone; all clones share one commit pipeline.
#[derive(Clone)]
pub struct Store {
    pub(crate) shared: Arc<Shared>,
    pub(crate) pipeline: Option<Arc<Pipeline>>, // Invariant: None exactly when `shared.secondary`.
}

pub(crate) struct Shared {
    pub(crate) db: DB,
    pub(crate) catalog: CatalogLock,
    /// Opened with `open_secondary`: read-only, no RocksDB snapshots (secondaries have none).
    pub(crate) secondary: bool,
    /// Chains read-audit records one at a time and writes them in groups (`audit_append.rs`).
    pub(crate) audit: AuditAppends,
    commits: AtomicU64,
    syncs: AtomicU64,
    /// The serving node's signing key: entries it signed are admitted whatever the tenant's
    /// writer list says (`Write::Admit`).
    pub(crate) node_key: OnceLock<AuthorKey>,
}

pub(crate) struct CatalogLock(RwLock<Catalog>);

impl CatalogLock {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Catalog> {
        // The catalog is only replaced whole after a successful write, so a panic elsewhere
        // cannot leave it half-updated.
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Catalog> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Shared {
    fn new(db: DB, secondary: bool) -> Result<Shared> {
        let rows = db
            .iterator_cf(
                &db.cf_handle(CF_CATALOG)
                    .unwrap_or_else(|| unreachable!("column family {CF_CATALOG} is opened")),
                IteratorMode::Start,
            )
            .collect::<Result<Vec<_>, _>>()?;
        let catalog = Catalog::load(rows.into_iter())?;
        Ok(Shared {
            db,
            catalog: CatalogLock(RwLock::new(catalog)),
            secondary,
            audit: AuditAppends::default(),
            commits: AtomicU64::new(0),
            syncs: AtomicU64::new(0),
            node_key: OnceLock::new(),
        })
    }

    /// Writes every column family's memtable to table files and waits for it.
    fn flush(&self) -> Result<()> {
        let cfs: Vec<&ColumnFamily> = ALL_CFS.iter().map(|name| self.cf(name)).collect();
        let mut options = FlushOptions::default();
        options.set_wait(true);
        self.db.flush_cfs_opt(&cfs, &options)?;
        Ok(())
    }

    pub(crate) fn cf(&self, name: &str) -> &ColumnFamily {
        self.db
            .cf_handle(name)
            .unwrap_or_else(|| unreachable!("column family {name} is created at open"))
    }

    /// The last row of column family `cf` at or before `end` and at or after `lower`, as
    /// `opts` (a snapshot's, or the latest state's) reads it.
    pub(crate) fn last_row(
        &self,
        cf: &str,
        mut opts: ReadOptions,
        lower: Vec<u8>,
        end: &[u8],
    ) -> Result<Option<KeyValue>> {
        opts.set_iterate_lower_bound(lower);
        let mode = IteratorMode::From(end, Direction::Reverse);
        let last = self.db.iterator_cf_opt(&self.cf(cf), opts, mode).next();
        Ok(last.transpose()?)
    }

    /// The last seq in `table`'s log, 0 when empty.
    pub(crate) fn last_seq(&self, table: Table) -> Result<Seq> {
        let end = layout::table_end(table);
        let mut iter = self.db.raw_iterator_cf(&self.cf(CF_LOG));
        iter.seek_for_prev(&end);
        if iter.valid()
            && let Some(key) = iter.key()
            && key.starts_with(&layout::table_prefix(table))
        {
            return layout::seq_from_key(key).ok_or_else(|| Error::Corrupted("bad log key".into()));
        }
        iter.status()?;
        Ok(Seq(0))
    }

    /// The last seq of the tagged tenant log (commits or receipts) whose keys start with
    /// `prefix`, 0 when empty.
    pub(crate) fn last_tagged_seq(&self, prefix: &[u8]) -> Result<u64> {
        let mut iter = self.db.raw_iterator_cf(&self.cf(CF_COMMITS));
        iter.seek_for_prev(prefix_end(prefix));
        if iter.valid()
            && let Some(key) = iter.key()
            && key.starts_with(prefix)
        {
            return layout::seq_of_tagged_key(key)
                .ok_or_else(|| Error::Corrupted("bad commits key".into()));
        }
        iter.status()?;
        Ok(0)
    }

    /// One group of `n_txns` transactions was written with one synced write.
    pub(crate) fn record_commit(&self, n_txns: usize) {
        self.commits.fetch_add(n_txns as u64, Ordering::Relaxed);
        self.syncs.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Runs after the commit thread ended (it holds a clone). A clean close leaves no
        // write-ahead log to replay, which made the next start take over half a second after
        // a bulk load; a failed flush loses nothing, the log is replayed instead.
        if !self.secondary
            && let Err(err) = self.flush()
        {
            tracing::warn!(error = %err, "flushing the memtables at close failed");
        }
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path, config: &StoreConfig) -> Result<Store> {
        let cache = Cache::new_lru_cache(config.cache_bytes);
        let mut db_opts = cf_options(&cache, CfKind::Index);
        db_opts.create_if_missing(true);
        db_opts.create_missing_column_families(true);
        db_opts.set_max_background_jobs(2);
        // A column family written rarely (the catalog, say) otherwise pins every write-ahead
        // log file since its last flush: a bulk load left 1 GB of logs that a start after a
        // crash had to replay. Past this total, RocksDB flushes the pinning families.
        db_opts.set_max_total_wal_size(MAX_TOTAL_WAL_BYTES);
        let db = DB::open_cf_descriptors(&db_opts, dir, cf_descriptors(&cache))?;
        let shared = Arc::new(Shared::new(db, false)?);
        let pipeline = Arc::new(Pipeline::start(shared.clone())?);
        Ok(Store {
            shared,
            pipeline: Some(pipeline),
        })
    }

    /// Opens `dir` read-only, as it is now, while another process may hold it open for
    /// writing (RocksDB's secondary mode, which tails the writer's manifest and WAL).
    /// `scratch` is an empty directory for RocksDB's own bookkeeping of the secondary.
    pub fn open_secondary(dir: &Path, scratch: &Path, config: &StoreConfig) -> Result<Store> {
        if !dir.join("CURRENT").is_file() {
            return Err(Error::Corrupted(format!(
                "{} is not a MindooDB data directory",
                dir.display()
            )));
        }
        let cache = Cache::new_lru_cache(config.cache_bytes);
        let mut db_opts = cf_options(&cache, CfKind::Index);
        // Keep every table file open: the writer may delete files a compaction replaced,
        // and an open file stays readable (RocksDB's advice for secondaries).
        db_opts.set_max_open_files(-1);
        let db =
            DB::open_cf_descriptors_as_secondary(&db_opts, dir, scratch, cf_descriptors(&cache))?;
        Ok(Store {
            shared: Arc::new(Shared::new(db, true)?),
            pipeline: None,
        })
    }

    /// A consistent read view of the whole store.
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot::new(&self.shared)
    }

    /// A snapshot that many threads read through (`SharedSnapshot`), for readers that must see
    /// several tables at one moment.
    pub fn shared_snapshot(&self) -> Result<SharedSnapshot> {
        SharedSnapshot::start(self.shared.clone())
    }

    /// Transactions committed since open.
    pub fn commits(&self) -> u64 {
        self.shared.commits.load(Ordering::Relaxed)
    }

    /// Synced writes of commit groups since this store was opened (each holds one or more
    /// commits: group commit).
    pub fn syncs(&self) -> u64 {
        self.shared.syncs.load(Ordering::Relaxed)
    }

    /// Bytes of the live RocksDB table files of every column family (flushed data; the WAL
    /// and memtables are not counted).
    pub fn disk_bytes(&self) -> Result<u64> {
        let mut total = 0;
        for name in ALL_CFS {
            total += self
                .shared
                .db
                .property_int_value_cf(&self.shared.cf(name), "rocksdb.live-sst-files-size")?
                .unwrap_or(0);
        }
        Ok(total)
    }

    /// Creates a tenant.
    pub fn create_tenant(&self, name: &str) -> Result<TenantInfo> {
        catalog::check_name(name)?;
        let mut cat = self.shared.catalog.write();
        if cat.tenants.contains_key(name) {
            return Err(Error::AlreadyExists(format!("tenant {name}")));
        }
        let id = TenantId(cat.allocate_id());
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_CATALOG);
        batch.put_cf(
            &cf,
            catalog::next_id_key(),
            catalog::encode_u32(cat.next_id),
        );
        batch.put_cf(&cf, catalog::tenant_key(name), catalog::encode_u32(id.0));
        self.write_catalog(batch, &mut cat)?;
        let info = TenantInfo {
            id,
            name: name.to_owned(),
        };
        cat.tenants.insert(name.to_owned(), info.clone());
        Ok(info)
    }

    /// The tenant of that name.
    pub fn tenant(&self, name: &str) -> Option<TenantInfo> {
        self.shared.catalog.read().tenants.get(name).cloned()
    }

    /// Every tenant, by name.
    pub fn tenants(&self) -> Vec<TenantInfo> {
        self.shared
            .catalog
            .read()
            .tenants
            .values()
            .cloned()
            .collect()
    }

    /// Drops a tenant with its tables, views, keys and grants.
    pub fn drop_tenant(&self, name: &str) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        let tenant = cat
            .tenants
            .get(name)
            .cloned()
            .ok_or_else(|| Error::NoSuchTenant(name.to_owned()))?;
        let tables: Vec<TableInfo> = cat
            .tables
            .values()
            .filter(|t| t.table.tenant == tenant.id)
            .cloned()
            .collect();
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_CATALOG);
        for info in &tables {
            self.delete_table_data(&mut batch, info);
        }
        let (start, end) = layout::tenant_range(tenant.id);
        for name in TENANT_CFS {
            batch.delete_range_cf(&self.shared.cf(name), &start[..], &end[..]);
        }
        batch.delete_cf(&cf, catalog::tenant_key(name));
        batch.delete_cf(&cf, catalog::tenant_access_key(tenant.id));
        for prefix in [
            catalog::keys_of_prefix(tenant.id),
            catalog::views_of_prefix(tenant.id),
            writers::writers_of_prefix(tenant.id),
            quarantine::tenant_prefix(tenant.id),
        ] {
            batch.delete_range_cf(&cf, &prefix, &prefix_end(&prefix));
        }
        for role in self.roles()? {
            batch.delete_cf(&cf, catalog::grant_key(&role.name, name));
        }
        self.write_catalog(batch, &mut cat)?;
        cat.tenants.remove(name);
        cat.tables.retain(|(t, _), _| *t != tenant.id);
        cat.views.retain(|(t, _), _| *t != tenant.id);
        cat.access.remove(&tenant.id);
        cat.writers.remove(&tenant.id);
        Ok(())
    }

    /// Creates a document table.
    pub fn create_table(
        &self,
        tenant: TenantId,
        name: &str,
        default_key: Option<KeyName>,
        access: Access,
    ) -> Result<TableInfo> {
        catalog::check_name(name)?;
        let mut cat = self.shared.catalog.write();
        if !cat.tenants.values().any(|t| t.id == tenant) {
            return Err(Error::NoSuchTenant(tenant.0.to_string()));
        }
        if cat.has_relation(tenant, name) {
            return Err(Error::AlreadyExists(format!("relation {name}")));
        }
        let info = TableInfo {
            table: Table {
                tenant,
                id: TableId(cat.allocate_id()),
            },
            name: name.to_owned(),
            default_key,
            read_only: false,
            audit_reads: false,
            access,
        };
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_CATALOG);
        batch.put_cf(
            &cf,
            catalog::next_id_key(),
            catalog::encode_u32(cat.next_id),
        );
        batch.put_cf(
            &cf,
            catalog::table_key(tenant, name),
            catalog::encode_table(&info),
        );
        self.write_catalog(batch, &mut cat)?;
        cat.tables.insert((tenant, name.to_owned()), info.clone());
        Ok(info)
    }

    /// The table of that name in `tenant`.
    pub fn table(&self, tenant: TenantId, name: &str) -> Option<TableInfo> {
        self.shared
            .catalog
            .read()
            .tables
            .get(&(tenant, name.to_owned()))
            .cloned()
    }

    /// Every table of `tenant`, by name.
    pub fn tables(&self, tenant: TenantId) -> Vec<TableInfo> {
        let cat = self.shared.catalog.read();
        cat.tables
            .range((tenant, String::new())..)
            .take_while(|((t, _), _)| *t == tenant)
            .map(|(_, info)| info.clone())
            .collect()
    }

    /// Archives (`true`) or reopens (`false`) a table for writes. Commits already staged when
    /// this returns are written; every later one that writes to the table is refused.
    pub fn set_read_only(
        &self,
        tenant: TenantId,
        name: &str,
        read_only: bool,
    ) -> Result<TableInfo> {
        self.change_table(tenant, name, |info| info.read_only = read_only)
    }

    /// Changes table `name`'s catalog record with `change`, under the catalog write lock.
    pub(crate) fn change_table(
        &self,
        tenant: TenantId,
        name: &str,
        change: impl FnOnce(&mut TableInfo),
    ) -> Result<TableInfo> {
        let mut cat = self.shared.catalog.write();
        let mut info = cat
            .tables
            .get(&(tenant, name.to_owned()))
            .cloned()
            .ok_or_else(|| Error::NoSuchTable(name.to_owned()))?;
        change(&mut info);
        let mut batch = WriteBatch::default();
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::table_key(tenant, name),
            catalog::encode_table(&info),
        );
        self.write_catalog(batch, &mut cat)?;
        cat.tables.insert((tenant, name.to_owned()), info.clone());
        Ok(info)
    }

    /// Drops a table and every entry in it.
    pub fn drop_table(&self, tenant: TenantId, name: &str) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        let info = cat
            .tables
            .get(&(tenant, name.to_owned()))
            .cloned()
            .ok_or_else(|| Error::NoSuchTable(name.to_owned()))?;
        let mut batch = WriteBatch::default();
        self.delete_table_data(&mut batch, &info);
        batch.delete_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::table_key(tenant, name),
        );
        self.write_catalog(batch, &mut cat)?;
        cat.tables.remove(&(tenant, name.to_owned()));
        Ok(())
    }

    /// Drops tables (with every entry in them) and views of `tenant` in one synced write: all
    /// of them or, when one is missing, none.
    pub fn drop_relations(&self, tenant: TenantId, tables: &[&str], views: &[&str]) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_CATALOG);
        for name in tables {
            let info = cat
                .tables
                .get(&(tenant, (*name).to_owned()))
                .ok_or_else(|| Error::NoSuchTable((*name).to_owned()))?;
            self.delete_table_data(&mut batch, info);
            batch.delete_cf(&cf, catalog::table_key(tenant, name));
        }
        for name in views {
            if !cat.views.contains_key(&(tenant, (*name).to_owned())) {
                return Err(Error::NoSuchView((*name).to_owned()));
            }
            batch.delete_cf(&cf, catalog::view_key(tenant, name));
        }
        self.write_catalog(batch, &mut cat)?;
        for name in tables {
            cat.tables.remove(&(tenant, (*name).to_owned()));
        }
        for name in views {
            cat.views.remove(&(tenant, (*name).to_owned()));
        }
        Ok(())
    }

    /// Registers a key version's public facts. Registering the same facts again is a no-op;
    /// different facts for a registered version are refused.
    pub fn register_key(&self, tenant: TenantId, key: &KeyRecord) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        if !cat.tenants.values().any(|t| t.id == tenant) {
            return Err(Error::NoSuchTenant(tenant.0.to_string()));
        }
        let key_ref = KeyRef {
            name: key.name.clone(),
            version: key.version,
        };
        match self.key(tenant, &key_ref)? {
            Some(existing) if existing == *key => Ok(()),
            Some(_) => Err(Error::AlreadyExists(format!("key {key_ref}"))),
            None => {
                let mut batch = WriteBatch::default();
                batch.put_cf(
                    &self.shared.cf(CF_CATALOG),
                    catalog::key_key(tenant, &key.name, key.version),
                    catalog::encode_key(key),
                );
                self.write_catalog(batch, &mut cat)
            }
        }
    }

    /// The registered facts of one key version.
    pub fn key(&self, tenant: TenantId, key_ref: &KeyRef) -> Result<Option<KeyRecord>> {
        self.shared
            .db
            .get_pinned_cf(
                &self.shared.cf(CF_CATALOG),
                catalog::key_key(tenant, &key_ref.name, key_ref.version),
            )?
            .map(|bytes| catalog::decode_key(&bytes))
            .transpose()
    }

    /// Every registered key version of `tenant`, by name then version.
    pub fn keys(&self, tenant: TenantId) -> Result<Vec<KeyRecord>> {
        self.catalog_prefix(&catalog::keys_of_prefix(tenant))?
            .iter()
            .map(|(_, value)| catalog::decode_key(value))
            .collect()
    }

    /// Where the sync of `table` with `peer` stands; `SyncCursor::START` for a new peer.
    pub fn sync_cursor(&self, table: Table, peer: &[u8]) -> Result<SyncCursor> {
        self.shared
            .db
            .get_pinned_cf(&self.shared.cf(CF_CATALOG), catalog::sync_key(table, peer))?
            .map_or(Ok(SyncCursor::START), |bytes| catalog::decode_sync(&bytes))
    }

    /// Records (synced) where the sync of `table` with `peer` stands.
    pub fn set_sync_cursor(&self, table: Table, peer: &[u8], cursor: &SyncCursor) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        if cat.table_info(table).is_none() {
            return Err(Error::NoSuchTable(format!(
                "{}.{}",
                table.tenant.0, table.id.0
            )));
        }
        let mut batch = WriteBatch::default();
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            catalog::sync_key(table, peer),
            catalog::encode_sync(cursor),
        );
        self.write_catalog(batch, &mut cat)
    }

    /// Every peer `table` has a sync cursor for, with the cursor.
    pub fn sync_cursors(&self, table: Table) -> Result<Vec<(Vec<u8>, SyncCursor)>> {
        let prefix = catalog::syncs_of_table_prefix(table);
        self.catalog_prefix(&prefix)?
            .into_iter()
            .map(|(key, value)| Ok((key[prefix.len()..].to_vec(), catalog::decode_sync(&value)?)))
            .collect()
    }

    /// Writes a catalog batch synced; the `&mut Catalog` proves the write lock is held.
    pub(crate) fn write_catalog(&self, batch: WriteBatch, _locked: &mut Catalog) -> Result<()> {
        if self.shared.secondary {
            return Err(Error::ReadOnlyStore);
        }
        let mut sync = WriteOptions::default();
        sync.set_sync(true);
        self.shared.db.write_opt(batch, &sync)?;
        Ok(())
    }

    /// Deletes a table's entries, derived rows and sync cursors (not its catalog record).
    fn delete_table_data(&self, batch: &mut WriteBatch, info: &TableInfo) {
        let start = layout::table_prefix(info.table);
        let end = layout::table_end(info.table);
        for name in TABLE_CFS {
            batch.delete_range_cf(&self.shared.cf(name), &start[..], &end[..]);
        }
        for prefix in [
            catalog::syncs_of_table_prefix(info.table),
            quarantine::table_prefix(info.table),
        ] {
            batch.delete_range_cf(&self.shared.cf(CF_CATALOG), &prefix, &prefix_end(&prefix));
        }
    }

    pub(crate) fn catalog_prefix(&self, prefix: &[u8]) -> Result<Vec<layout::KeyValue>> {
        self.catalog_range(prefix, &prefix_end(prefix), usize::MAX)
    }

    /// Up to `limit` catalog rows with keys in `start..end`, in key order.
    pub(crate) fn catalog_range(
        &self,
        start: &[u8],
        end: &[u8],
        limit: usize,
    ) -> Result<Vec<layout::KeyValue>> {
        let mut opts = ReadOptions::default();
        opts.set_iterate_upper_bound(end.to_vec());
        self.shared
            .db
            .iterator_cf_opt(
                &self.shared.cf(CF_CATALOG),
                opts,
                IteratorMode::From(start, Direction::Forward),
            )
            .take(limit)
            .map(|row| row.map_err(Error::from))
            .collect()
    }

    pub(crate) fn catalog_get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Ok(self.shared.db.get_cf(&self.shared.cf(CF_CATALOG), key)?)
    }
}

/// Every column family's descriptor, all sharing `cache`.
fn cf_descriptors(cache: &Cache) -> [ColumnFamilyDescriptor; ALL_CFS.len()] {
    ALL_CFS.map(|name| {
        let kind = if name == CF_LOG {
            CfKind::Log
        } else {
            CfKind::Index
        };
        ColumnFamilyDescriptor::new(name, cf_options(cache, kind))
    })
}

/// Block-based table options for one column family.
fn cf_options(cache: &Cache, kind: CfKind) -> Options {
    let mut table_opts = BlockBasedOptions::default();
    table_opts.set_block_cache(cache);
    table_opts.set_bloom_filter(10.0, false);
    table_opts.set_cache_index_and_filter_blocks(true);
    // Indexes and filters in 4 KiB partitions under a pinned top level. A whole-file filter of
    // a large SST is megabytes, more than one LRU shard holds, so it left the cache as soon as
    // it was read and every point read fetched and checksummed it again (a third of the point
    // reads' time at 1M documents).
    table_opts.set_index_type(BlockBasedIndexType::TwoLevelIndexSearch);
    table_opts.set_partition_filters(true);
    table_opts.set_pin_top_level_index_and_filter(true);
    table_opts.set_cache_index_and_filter_blocks_with_high_priority(true);
    let mut opts = Options::default();
    match kind {
        CfKind::Log => {
            table_opts.set_block_size(LOG_BLOCK_BYTES);
            opts.set_compression_type(DBCompressionType::None);
            opts.set_bottommost_compression_type(DBCompressionType::None);
        }
        CfKind::Index => {
            opts.set_compression_type(DBCompressionType::Lz4);
            opts.set_bottommost_compression_type(DBCompressionType::Zstd);
        }
    }
    opts.set_block_based_table_factory(&table_opts);
    opts
}
