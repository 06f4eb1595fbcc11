//! Column families and key layouts: the one place that knows how keys are spelled.
//!
//! ```text
//! log      tenant(4) table(4) seq(8)                 -> sealed entry bytes
//! by_hash  tenant(4) table(4) hash(32)               -> seq(8)
//! docs     tenant(4) table(4) doc_id 0x00            -> DocRecord
//! feed     tenant(4) table(4) seq(8)                 -> doc_id
//! history  tenant(4) table(4) doc_id 0x00 seq(8)     -> HistoryRecord
//! audit    tenant(4) table(4) audit_seq(8)           -> signed read-audit record (audit.rs)
//! audit_received
//!          tenant(4) table(4) chain(32) audit_seq(8) -> another node's record (audit_received.rs)
//! catalog  kind-tagged keys, see catalog.rs          -> catalog records
//! commits  tenant(4) 'c' commit_seq(8)               -> commit record (record.rs)
//!          tenant(4) 'r' receipt_seq(8)              -> receipt record
//! commit_index
//!          tenant(4) 'h' commit hash(32)             -> commit_seq(8)
//!          tenant(4) 'a' author(32)                  -> chain head: commit_seq(8) hash(32)
//!          tenant(4) 'v' server(32) last_seq(8)      -> receipt_seq(8)
//! ```
//!
//! Invariants:
//! - Integers in keys are big-endian so that RocksDB's bytewise order is numeric order; values
//!   use little-endian like the entry format.
//! - Document ids contain no NUL (protocol forbids control characters), so `doc_id 0x00` is
//!   prefix-free and sorts documents by id.
//! - Every key of a table starts with its 8-byte table prefix; dropping a table is one range
//!   delete per column family (its read-audit log goes with it).
//! - The `audit` column family is append-only like `log`, and not derived: it is the only copy.
//!   It holds this node's own chain of each table; chains received from other nodes live in
//!   `audit_received`, keyed by their chain id (the hash of their record 1), so the two never
//!   mix.
//! - Every key of `commits` and `commit_index` starts with its 4-byte tenant id and a tag byte:
//!   commits and receipts belong to a tenant, not to a table (a commit's entries may span
//!   tables), so they outlive dropped tables and go with the tenant.
#![allow(
    clippy::big_endian_bytes,
    reason = "RocksDB compares keys bytewise; big-endian makes that numeric order"
)]

use mindoodb_protocol::{AuthorKey, CommitHash, DocId, EntryHash};

use crate::{CommitSeq, ReceiptSeq, Seq, Table, TenantId};

pub(crate) const CF_LOG: &str = "log";
pub(crate) const CF_BY_HASH: &str = "by_hash";
pub(crate) const CF_DOCS: &str = "docs";
pub(crate) const CF_FEED: &str = "feed";
pub(crate) const CF_HISTORY: &str = "history";
pub(crate) const CF_CATALOG: &str = "catalog";
pub(crate) const CF_COMMITS: &str = "commits";
pub(crate) const CF_COMMIT_INDEX: &str = "commit_index";
pub(crate) const CF_AUDIT: &str = "audit";
pub(crate) const CF_AUDIT_RECEIVED: &str = "audit_received";
pub(crate) const TABLE_CFS: [&str; 7] = [
    CF_LOG,
    CF_BY_HASH,
    CF_DOCS,
    CF_FEED,
    CF_HISTORY,
    CF_AUDIT,
    CF_AUDIT_RECEIVED,
];
pub(crate) const TENANT_CFS: [&str; 2] = [CF_COMMITS, CF_COMMIT_INDEX];
pub(crate) const ALL_CFS: [&str; 10] = [
    CF_LOG,
    CF_BY_HASH,
    CF_DOCS,
    CF_FEED,
    CF_HISTORY,
    CF_CATALOG,
    CF_COMMITS,
    CF_COMMIT_INDEX,
    CF_AUDIT,
    CF_AUDIT_RECEIVED,
];

const COMMIT_TAG: u8 = b'c';
const RECEIPT_TAG: u8 = b'r';
const COMMIT_HASH_TAG: u8 = b'h';
const HEAD_TAG: u8 = b'a';
const RECEIPT_RANGE_TAG: u8 = b'v';

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

/// A received read-audit record's key: its table, its chain's id, its seq.
pub(crate) fn received_audit_key(table: Table, chain: &[u8; 32], seq: u64) -> [u8; 48] {
    let mut out = [0u8; 48];
    out[..8].copy_from_slice(&table_prefix(table));
    out[8..40].copy_from_slice(chain);
    out[40..].copy_from_slice(&seq.to_be_bytes());
    out
}

/// The first key after every `received_audit_key` of `chain` (longer than any of them).
pub(crate) fn received_chain_end(table: Table, chain: &[u8; 32]) -> Vec<u8> {
    let mut out = received_audit_key(table, chain, u64::MAX).to_vec();
    out.push(0xff);
    out
}

/// The chain id and seq of a `received_audit_key`.
pub(crate) fn split_received_audit_key(key: &[u8]) -> Option<([u8; 32], u64)> {
    if key.len() != 48 {
        return None;
    }
    let chain: [u8; 32] = key[8..40].try_into().ok()?;
    let seq: [u8; 8] = key[40..].try_into().ok()?;
    Some((chain, u64::from_be_bytes(seq)))
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

/// The first key of `tenant` in the tenant column families, and the first key after them.
pub(crate) fn tenant_range(tenant: TenantId) -> ([u8; 4], Vec<u8>) {
    let start = tenant.0.to_be_bytes();
    let end = match tenant.0.checked_add(1) {
        Some(next) => next.to_be_bytes().to_vec(),
        None => vec![0xff; 5],
    };
    (start, end)
}

fn tagged(tenant: TenantId, tag: u8, rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + rest.len());
    out.extend_from_slice(&tenant.0.to_be_bytes());
    out.push(tag);
    out.extend_from_slice(rest);
    out
}

/// The prefix of every key of one kind (`commit_key`, `receipt_key`, ...) of `tenant`.
pub(crate) fn commits_prefix(tenant: TenantId) -> Vec<u8> {
    tagged(tenant, COMMIT_TAG, &[])
}

pub(crate) fn receipts_prefix(tenant: TenantId) -> Vec<u8> {
    tagged(tenant, RECEIPT_TAG, &[])
}

pub(crate) fn commit_key(tenant: TenantId, seq: CommitSeq) -> Vec<u8> {
    tagged(tenant, COMMIT_TAG, &seq.0.to_be_bytes())
}

pub(crate) fn receipt_key(tenant: TenantId, seq: ReceiptSeq) -> Vec<u8> {
    tagged(tenant, RECEIPT_TAG, &seq.0.to_be_bytes())
}

/// The seq of a `commit_key` or `receipt_key`.
pub(crate) fn seq_of_tagged_key(key: &[u8]) -> Option<u64> {
    let raw: [u8; 8] = key.get(5..13)?.try_into().ok()?;
    (key.len() == 13).then_some(u64::from_be_bytes(raw))
}

pub(crate) fn commit_hash_key(tenant: TenantId, hash: &CommitHash) -> Vec<u8> {
    tagged(tenant, COMMIT_HASH_TAG, hash.as_bytes())
}

pub(crate) fn head_key(tenant: TenantId, author: &AuthorKey) -> Vec<u8> {
    tagged(tenant, HEAD_TAG, &author.0)
}

pub(crate) fn heads_prefix(tenant: TenantId) -> Vec<u8> {
    tagged(tenant, HEAD_TAG, &[])
}

/// Receipts of `server` by the last commit seq they cover.
pub(crate) fn receipt_range_key(tenant: TenantId, server: &AuthorKey, last: u64) -> Vec<u8> {
    let mut rest = [0u8; 40];
    rest[..32].copy_from_slice(&server.0);
    rest[32..].copy_from_slice(&last.to_be_bytes());
    tagged(tenant, RECEIPT_RANGE_TAG, &rest)
}

pub(crate) fn receipt_ranges_prefix(tenant: TenantId, server: &AuthorKey) -> Vec<u8> {
    tagged(tenant, RECEIPT_RANGE_TAG, &server.0)
}

/// The prefix of every `receipt_range_key` of `tenant`, whatever the server.
pub(crate) fn receipt_servers_prefix(tenant: TenantId) -> Vec<u8> {
    tagged(tenant, RECEIPT_RANGE_TAG, &[])
}

/// The server of a `receipt_range_key`.
pub(crate) fn server_of_receipt_range_key(key: &[u8]) -> Option<AuthorKey> {
    let raw: [u8; 32] = key.get(5..37)?.try_into().ok()?;
    (key.len() == 45).then_some(AuthorKey(raw))
}

/// The last covered seq of a `receipt_range_key`.
pub(crate) fn last_of_receipt_range_key(key: &[u8]) -> Option<u64> {
    let raw: [u8; 8] = key.get(37..45)?.try_into().ok()?;
    (key.len() == 45).then_some(u64::from_be_bytes(raw))
}

/// The first key after every key that starts with `prefix` (tagged prefixes start with a
/// tenant id that is not all 0xff bytes once a tag follows).
pub(crate) fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0xff; prefix.len() + 1]
}
