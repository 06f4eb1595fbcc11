//! A tenant's trusted-writer list (protocol's `WriterList`): its signed records in the catalog
//! column family, the folded list cached with the catalog, and the check the commit pipeline
//! makes of every arriving entry (`Write::Admit`).
//!
//! ```text
//! "w" tenant_id(4) seq(8) -> WriterRecord bytes (docs/FORMAT.md#writer-records)
//! ```
//!
//! Invariants:
//! - Records are appended only, each checked against the list before it (seq, prev, signer's
//!   right) under the catalog write lock; the cache changes only after the record is durable.
//! - A record the list already holds (same seq, same hash) is accepted again and changes
//!   nothing, so sync can offer records a node has; one that differs at a held seq is a fork
//!   and refused.
//! - Opening re-verifies every record, so a list altered on disk fails to open rather than
//!   being enforced.
//! - The records live in the catalog, so backups carry them and restores bring them back.
#![allow(
    clippy::big_endian_bytes,
    reason = "RocksDB compares keys bytewise; big-endian makes that numeric order"
)]

use mindoodb_protocol::{AuthorKey, WriterList, WriterRecord};
use rocksdb::WriteBatch;

use crate::catalog::Catalog;
use crate::layout::{CF_CATALOG, prefix_end};
use crate::{Error, Result, Store, TenantId};

pub(crate) const WRITER: u8 = b'w';

/// What adding a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterAdded {
    /// It is the list's newest record now.
    Appended,
    /// The list held it already.
    Known,
}

pub(crate) fn writer_key(tenant: TenantId, seq: u64) -> Vec<u8> {
    let mut key = writers_of_prefix(tenant);
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

pub(crate) fn writers_of_prefix(tenant: TenantId) -> Vec<u8> {
    let mut key = vec![WRITER];
    key.extend_from_slice(&tenant.0.to_be_bytes());
    key
}

/// Folds one catalog row into the cache while the catalog loads (rows come in seq order).
pub(crate) fn load_row(catalog: &mut Catalog, key: &[u8], value: &[u8]) -> Result<()> {
    let tenant: [u8; 4] = key
        .get(1..5)
        .and_then(|id| id.try_into().ok())
        .ok_or_else(|| Error::Corrupted("undecodable writer record key".into()))?;
    let record = WriterRecord::verify(value)
        .map_err(|err| Error::Corrupted(format!("writer record: {err}")))?;
    catalog
        .writers
        .entry(TenantId(u32::from_be_bytes(tenant)))
        .or_default()
        .apply(&record)
        .map_err(|err| Error::Corrupted(format!("writer list: {err}")))
}

impl Store {
    /// Names the key the serving node signs with: arriving entries it signed are admitted
    /// whatever a writer list says (they were written here). Set once per open store; a
    /// later call keeps the first key.
    pub fn set_node_key(&self, key: AuthorKey) {
        let _ = self.shared.node_key.set(key);
    }

    /// `tenant`'s writer list as its records left it (empty: every valid signature is
    /// accepted).
    pub fn writer_list(&self, tenant: TenantId) -> WriterList {
        self.shared
            .catalog
            .read()
            .writers
            .get(&tenant)
            .cloned()
            .unwrap_or_default()
    }

    /// Appends `record` to `tenant`'s list when it is the next one and its signer may make
    /// it; a record the list holds already is `Known`.
    pub fn add_writer_record(
        &self,
        tenant: TenantId,
        record: &WriterRecord,
    ) -> Result<WriterAdded> {
        let mut cat = self.shared.catalog.write();
        if !cat.tenants.values().any(|t| t.id == tenant) {
            return Err(Error::NoSuchTenant(tenant.0.to_string()));
        }
        let mut list = cat.writers.get(&tenant).cloned().unwrap_or_default();
        if record.seq() < list.next_seq() {
            let held = self
                .catalog_get(&writer_key(tenant, record.seq()))?
                .ok_or_else(|| {
                    Error::Corrupted(format!("writer record {} is missing", record.seq()))
                })?;
            return if held == record.bytes() {
                Ok(WriterAdded::Known)
            } else {
                Err(Error::WriterList(
                    mindoodb_protocol::WriterListError::NotNext {
                        seq: record.seq(),
                        expected: list.next_seq(),
                    },
                ))
            };
        }
        list.apply(record)?;
        let mut batch = WriteBatch::default();
        batch.put_cf(
            &self.shared.cf(CF_CATALOG),
            writer_key(tenant, record.seq()),
            record.bytes(),
        );
        self.write_catalog(batch, &mut cat)?;
        cat.writers.insert(tenant, list);
        Ok(WriterAdded::Appended)
    }

    /// Up to `limit` of `tenant`'s records from seq `from` on, in order.
    pub fn writer_records(
        &self,
        tenant: TenantId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<WriterRecord>> {
        let prefix = writers_of_prefix(tenant);
        self.catalog_range(&writer_key(tenant, from), &prefix_end(&prefix), limit)?
            .into_iter()
            .map(|(_, value)| {
                WriterRecord::verify(&value)
                    .map_err(|err| Error::Corrupted(format!("writer record: {err}")))
            })
            .collect()
    }
}

impl Catalog {
    /// Whether an arriving entry signed by `signer` may be stored in `tenant`: the tenant
    /// trusts no writer yet, or trusts this one, or it is the node's own key.
    pub(crate) fn admits(
        &self,
        tenant: TenantId,
        signer: &AuthorKey,
        own: Option<&AuthorKey>,
    ) -> bool {
        own == Some(signer)
            || self
                .writers
                .get(&tenant)
                .is_none_or(|list| list.admits(signer))
    }
}
