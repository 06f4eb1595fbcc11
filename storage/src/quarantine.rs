//! Quarantine: the entries a table refused on arrival (failed verification, or signed by a
//! writer its tenant does not trust), kept aside with why, so that a sync goes on past them
//! and an operator can see, re-apply or drop them.
//!
//! ```text
//! "q" tenant_id(4) table_id(4) hash(32) -> QuarantineRecord
//! ```
//!
//! Invariants:
//! - Nothing here is ever read as a document: quarantined bytes are not in the log, the feed
//!   or any index, and a later copy of the same entry is judged afresh on arrival.
//! - `hash` is the entry's hash when its bytes parse, else BLAKE3 of the bytes: one record per
//!   distinct arrival, a repeated one replaces the earlier record.
//! - Records go with their table (drop) and tenant, and with the catalog into backups.
#![allow(
    clippy::big_endian_bytes,
    reason = "RocksDB compares keys bytewise; big-endian makes that numeric order"
)]

use mindoodb_protocol::{AuthorKey, UnverifiedEntry};
use rocksdb::WriteBatch;

use crate::codec::{Reader, Writer};
use crate::layout::{CF_CATALOG, prefix_end};
use crate::{Error, Result, Store, Table, TenantId};

const QUARANTINE: u8 = b'q';

/// One refused entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineRecord {
    /// The entry's hash (BLAKE3 of the bytes when they do not parse).
    pub hash: [u8; 32],
    /// The key that signed it, when the bytes name one.
    pub signer: Option<AuthorKey>,
    /// Why it was refused.
    pub reason: String,
    /// When, in microseconds since the Unix epoch.
    pub at: i64,
    /// Where it came from: a peer's id, or the session that sent it.
    pub source: String,
    /// The sealed bytes as they arrived.
    pub sealed: Vec<u8>,
    /// The proof that came with it (format 2), if any.
    pub proof: Option<Vec<u8>>,
}

impl QuarantineRecord {
    /// The record of arriving bytes refused for `reason`, now: hash and signer as the bytes
    /// name them, when they parse at all.
    pub fn refused(
        sealed: Vec<u8>,
        proof: Option<Vec<u8>>,
        reason: String,
        source: String,
    ) -> QuarantineRecord {
        let (hash, signer) = match UnverifiedEntry::parse(sealed.clone()) {
            Ok(entry) => (entry.hash().0, Some(entry.header().author())),
            Err(_) => (*blake3::hash(&sealed).as_bytes(), None),
        };
        QuarantineRecord {
            hash,
            signer,
            reason,
            at: now_micros(),
            source,
            sealed,
            proof,
        }
    }

    fn encode(&self) -> Vec<u8> {
        let w = Writer::new()
            .raw(&self.hash)
            .bytes(self.signer.as_ref().map_or(&[][..], |k| &k.0[..]))
            .bytes(self.reason.as_bytes())
            .i64(self.at)
            .bytes(self.source.as_bytes())
            .bytes(&self.sealed);
        match &self.proof {
            Some(proof) => w.u8(1).bytes(proof),
            None => w.u8(0),
        }
        .finish()
    }

    fn decode(bytes: &[u8]) -> Result<QuarantineRecord> {
        let mut r = Reader::new(bytes);
        let record = (|| {
            let hash = r.array::<32>()?;
            let signer = match r.bytes()? {
                [] => None,
                key => Some(AuthorKey(key.try_into().ok()?)),
            };
            let reason = r.str()?.to_owned();
            let at = r.i64()?;
            let source = r.str()?.to_owned();
            let sealed = r.bytes()?.to_vec();
            let proof = match r.u8()? {
                0 => None,
                _ => Some(r.bytes()?.to_vec()),
            };
            r.end()?;
            Some(QuarantineRecord {
                hash,
                signer,
                reason,
                at,
                source,
                sealed,
                proof,
            })
        })();
        record.ok_or_else(|| Error::Corrupted("undecodable quarantine record".into()))
    }
}

/// The time a record is made, in microseconds since the Unix epoch (0 on a clock before it).
pub(crate) fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX)
        })
}

pub(crate) fn table_prefix(table: Table) -> Vec<u8> {
    let mut key = tenant_prefix(table.tenant);
    key.extend_from_slice(&table.id.0.to_be_bytes());
    key
}

pub(crate) fn tenant_prefix(tenant: TenantId) -> Vec<u8> {
    let mut key = vec![QUARANTINE];
    key.extend_from_slice(&tenant.0.to_be_bytes());
    key
}

pub(crate) fn key(table: Table, hash: &[u8; 32]) -> Vec<u8> {
    let mut key = table_prefix(table);
    key.extend_from_slice(hash);
    key
}

/// Puts `record` into `batch` (the commit pipeline's, for entries refused by writer trust).
pub(crate) fn put(
    cf: &rocksdb::ColumnFamily,
    batch: &mut WriteBatch,
    table: Table,
    record: &QuarantineRecord,
) {
    batch.put_cf(cf, key(table, &record.hash), record.encode());
}

impl Store {
    /// Keeps refused entries of `table` aside, durably.
    pub fn quarantine(&self, table: Table, records: &[QuarantineRecord]) -> Result<()> {
        let mut cat = self.shared.catalog.write();
        if cat.table_info(table).is_none() {
            return Err(Error::no_such_table(table));
        }
        let mut batch = WriteBatch::default();
        for record in records {
            put(self.shared.cf(CF_CATALOG), &mut batch, table, record);
        }
        self.write_catalog(batch, &mut cat)
    }

    /// Up to `limit` of `table`'s quarantined entries with hashes after `after`, by hash.
    pub fn quarantined(
        &self,
        table: Table,
        after: Option<&[u8; 32]>,
        limit: usize,
    ) -> Result<Vec<QuarantineRecord>> {
        let prefix = table_prefix(table);
        let start = match after {
            Some(hash) => {
                let mut start = key(table, hash);
                start.push(0);
                start
            }
            None => prefix.clone(),
        };
        self.catalog_range(&start, &prefix_end(&prefix), limit)?
            .iter()
            .map(|(_, value)| QuarantineRecord::decode(value))
            .collect()
    }

    /// Drops `table`'s quarantined entry `hash`, or all of them; returns how many went.
    pub fn drop_quarantined(&self, table: Table, hash: Option<&[u8; 32]>) -> Result<u64> {
        let mut cat = self.shared.catalog.write();
        let cf = self.shared.cf(CF_CATALOG);
        let mut batch = WriteBatch::default();
        let dropped = match hash {
            Some(hash) => {
                let key = key(table, hash);
                let held = self.catalog_get(&key)?.is_some();
                batch.delete_cf(cf, key);
                u64::from(held)
            }
            None => {
                let (start, end) = (table_prefix(table), prefix_end(&table_prefix(table)));
                let mut held = 0;
                let mut iter = self.shared.db.raw_iterator_cf(cf);
                iter.seek(&start);
                while iter.valid() && iter.key().is_some_and(|key| key < &end[..]) {
                    held += 1;
                    iter.next();
                }
                iter.status()?;
                batch.delete_range_cf(cf, &start, &end);
                held
            }
        };
        self.write_catalog(batch, &mut cat)?;
        Ok(dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let record = QuarantineRecord {
            hash: [7; 32],
            signer: Some(AuthorKey([9; 32])),
            reason: "untrusted writer".into(),
            at: 1_700_000_000_000_000,
            source: "peer 1".into(),
            sealed: vec![1, 2, 3],
            proof: Some(vec![4]),
        };
        assert_eq!(QuarantineRecord::decode(&record.encode()).unwrap(), record);
        let bare = QuarantineRecord {
            signer: None,
            proof: None,
            ..record
        };
        assert_eq!(QuarantineRecord::decode(&bare.encode()).unwrap(), bare);
        assert!(QuarantineRecord::decode(&bare.encode()[..40]).is_err());
    }
}
