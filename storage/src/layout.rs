//! Column families and key layouts: the one place that knows how keys are spelled.
//!
//! ```text
//! log      tenant(4) table(4) seq(8)                 -> sealed entry bytes
//! by_hash  tenant(4) table(4) hash(32)               -> seq(8)
//! docs     tenant(4) table(4) doc_id 0x00            -> DocRecord
//! feed     tenant(4) table(4) seq(8)                 -> doc_id
//! history  tenant(4) table(4) doc_id 0x00 seq(8)     -> HistoryRecord
//! catalog  kind-tagged keys, see catalog.rs          -> catalog records
//! ```
//!
//! Invariants:
//! - Integers in keys are big-endian so that RocksDB's bytewise order is numeric order; values
//!   use little-endian like the entry format.
//! - Document ids contain no NUL (protocol forbids control characters), so `doc_id 0x00` is
//!   prefix-free and sorts documents by id.
//! - Every key of a table starts with its 8-byte table prefix; dropping a table is one range
//!   delete per column family.
#![allow(
    clippy::big_endian_bytes,
    reason = "RocksDB compares keys bytewise; big-endian makes that numeric order"
)]

use mindoodb_protocol::{DocId, EntryHash};

use crate::{Seq, Table};

pub(crate) const CF_LOG: &str = "log";
pub(crate) const CF_BY_HASH: &str = "by_hash";
pub(crate) const CF_DOCS: &str = "docs";
pub(crate) const CF_FEED: &str = "feed";
pub(crate) const CF_HISTORY: &str = "history";
pub(crate) const CF_CATALOG: &str = "catalog";
pub(crate) const TABLE_CFS: [&str; 5] = [CF_LOG, CF_BY_HASH, CF_DOCS, CF_FEED, CF_HISTORY];
pub(crate) const ALL_CFS: [&str; 6] =
    [CF_LOG, CF_BY_HASH, CF_DOCS, CF_FEED, CF_HISTORY, CF_CATALOG];

pub(crate) const TABLE_PREFIX_LEN: usize = 8;

/// One key-value pair as RocksDB iterators return it.
pub(crate) type KeyValue = (Box<[u8]>, Box<[u8]>);

pub(crate) fn table_prefix(table: Table) -> [u8; TABLE_PREFIX_LEN] {
    let mut out = [0u8; TABLE_PREFIX_LEN];
    out[..4].copy_from_slice(&table.tenant.0.to_be_bytes());
    out[4..].copy_from_slice(&table.id.0.to_be_bytes());
    out
}

/// The first key after every key of `table` (for range deletes and iterator bounds).
pub(crate) fn table_end(table: Table) -> Vec<u8> {
    let id = u64::from(table.tenant.0) << 32 | u64::from(table.id.0);
    match id.checked_add(1) {
        Some(next) => next.to_be_bytes().to_vec(),
        None => vec![0xff; TABLE_PREFIX_LEN + 1],
    }
}

pub(crate) fn seq_key(table: Table, seq: Seq) -> [u8; 16] {
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&table_prefix(table));
    out[8..].copy_from_slice(&seq.0.to_be_bytes());
    out
}

pub(crate) fn seq_from_key(key: &[u8]) -> Option<Seq> {
    let raw: [u8; 8] = key
        .get(TABLE_PREFIX_LEN..TABLE_PREFIX_LEN + 8)?
        .try_into()
        .ok()?;
    Some(Seq(u64::from_be_bytes(raw)))
}

pub(crate) fn hash_key(table: Table, hash: &EntryHash) -> [u8; 40] {
    let mut out = [0u8; 40];
    out[..8].copy_from_slice(&table_prefix(table));
    out[8..].copy_from_slice(hash.as_bytes());
    out
}

pub(crate) fn doc_key(table: Table, doc_id: &DocId) -> Vec<u8> {
    let id = doc_id.as_str().as_bytes();
    let mut out = Vec::with_capacity(TABLE_PREFIX_LEN + id.len() + 1);
    out.extend_from_slice(&table_prefix(table));
    out.extend_from_slice(id);
    out.push(0);
    out
}

pub(crate) fn doc_id_from_doc_key(key: &[u8]) -> Option<DocId> {
    DocId::new(std::str::from_utf8(doc_id_bytes(key)?).ok()?).ok()
}

/// The id bytes of a docs key, unchecked beyond its shape.
pub(crate) fn doc_id_bytes(key: &[u8]) -> Option<&[u8]> {
    match key.get(TABLE_PREFIX_LEN..)? {
        [id @ .., 0] => Some(id),
        _ => None,
    }
}

pub(crate) fn history_key(table: Table, doc_id: &DocId, seq: Seq) -> Vec<u8> {
    let mut out = doc_key(table, doc_id);
    out.extend_from_slice(&seq.0.to_be_bytes());
    out
}

pub(crate) fn seq_from_history_key(key: &[u8]) -> Option<Seq> {
    let raw: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(Seq(u64::from_be_bytes(raw)))
}

pub(crate) fn encode_seq_value(seq: Seq) -> [u8; 8] {
    seq.0.to_le_bytes()
}

pub(crate) fn decode_seq_value(bytes: &[u8]) -> Option<Seq> {
    Some(Seq(u64::from_le_bytes(bytes.try_into().ok()?)))
}
