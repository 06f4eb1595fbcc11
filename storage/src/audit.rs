//! Read-audit logs: a table's `audit_reads` flag, and its append-only chain of signed records
//! (`mindoodb_protocol::AuditRecord`) saying which role's statement was given which
//! documents, in the `audit` column family.
//!
//! Invariants:
//! - Appends are chained one at a time per store (`Shared::audit`, `audit_append.rs`): each
//!   record's seq is the table's last plus one (from 1) and its `prev` the last record's
//!   hash, so the chain has no gaps or forks.
//! - A record is written with a synced write, shared with the records appended meanwhile, and
//!   only to a table that exists at that moment (the catalog is read-locked around the write,
//!   so a drop cannot slip in between).
//! - Records are never changed or deleted, except all of them with their table.
//! - Reading re-checks every record's signature, its key's seq and the link to the one before,
//!   so an edited, removed or reordered record is reported as corruption.
//! - The engine stores ids and names only: it never sees plaintext or keys. The signing
//!   identity is the caller's, used for one record and not kept.
//!
//! See: docs/FORMAT.md#read-audit-records, docs/SECURITY.md#read-audit

use mindoodb_protocol::{AuditBody, AuditRecord, Identity, ServerTime, sign_audit, verify_audit};
use rocksdb::{Direction, IteratorMode, ReadOptions};

use crate::catalog::TableInfo;
use crate::layout::{self, CF_AUDIT};
use crate::{Error, Result, Store, Table, TenantId};

/// Who read, what, and when: the parts of a record the caller decides.
#[derive(Debug, Clone, Copy)]
pub struct AuditRead<'a> {
    /// The server's clock now.
    pub time: ServerTime,
    /// The role that logged in.
    pub login: &'a str,
    /// The role whose privileges the statement used.
    pub role: &'a str,
    /// The statement without its literals.
    pub fingerprint: &'a str,
    /// The ids of the documents returned (at most `MAX_AUDIT_IDS`).
    pub ids: &'a [String],
}

impl Store {
    /// Turns read auditing of a table on or off.
    pub fn set_audit_reads(&self, tenant: TenantId, name: &str, on: bool) -> Result<TableInfo> {
        self.change_table(tenant, name, |info| info.audit_reads = on)
    }

    /// True when reads of `table` are audited now.
    pub fn audits_reads(&self, table: Table) -> bool {
        self.shared
            .catalog
            .read()
            .table_info(table)
            .is_some_and(|info| info.audit_reads)
    }

    /// Appends one record to `table`'s audit log, signed by `signer`, and returns it once it
    /// is durable: written with the records other callers appended meanwhile, one sync for all
    /// (`audit_append.rs`).
    pub fn append_audit(
        &self,
        table: Table,
        signer: &Identity,
        read: &AuditRead<'_>,
    ) -> Result<AuditRecord> {
        if self.shared.secondary {
            return Err(Error::ReadOnlyStore);
        }
        let state = self.shared.audit.lock()?;
        let name = match self.shared.catalog.read().table_info(table) {
            Some(info) => info.name.clone(),
            None => return Err(Error::no_such_table(table)),
        };
        let (seq, prev) = state.next_link(table, || self.last_audit(table))?;
        let body = AuditBody {
            prev,
            seq,
            time: read.time,
            login: read.login,
            role: read.role,
            fingerprint: read.fingerprint,
            ids: read.ids,
        };
        let record = sign_audit(signer, &body)
            .map_err(|err| Error::Corrupted(format!("audit record of {name}: {err}")))?;
        self.shared.audit.append(&self.shared, state, table, record)
    }

    /// Up to `limit` records of `table`'s audit log after seq `since`, in seq order, each
    /// verified and checked against the one before.
    pub fn audit_log(&self, table: Table, since: u64, limit: usize) -> Result<Vec<AuditRecord>> {
        let mut opts = ReadOptions::default();
        opts.set_iterate_upper_bound(layout::table_end(table));
        // Reading starts at record `since` itself, so the first record returned is checked
        // against the hash of the one before it.
        let first = since.max(1);
        let start = layout::seq_key(table, crate::Seq(first));
        let rows = self
            .shared
            .db
            .iterator_cf_opt(
                &self.shared.cf(CF_AUDIT),
                opts,
                IteratorMode::From(&start, Direction::Forward),
            )
            .map(|row| -> Result<(u64, Box<[u8]>)> {
                let (key, value) = row?;
                let seq = layout::seq_from_key(&key)
                    .ok_or_else(|| Error::Corrupted("audit key".into()))?;
                Ok((seq.0, value))
            });
        linked_page(rows, since, limit)
    }

    /// The table's newest record, checked.
    pub(crate) fn last_audit(&self, table: Table) -> Result<Option<AuditRecord>> {
        let prefix = layout::table_prefix(table);
        let last = self.shared.last_row(
            CF_AUDIT,
            ReadOptions::default(),
            prefix.to_vec(),
            &layout::table_end(table),
        )?;
        match last {
            Some((key, value)) if key.starts_with(&prefix) => {
                let seq = layout::seq_from_key(&key)
                    .ok_or_else(|| Error::Corrupted("audit key".into()))?;
                checked(seq.0, &value).map(Some)
            }
            _ => Ok(None),
        }
    }
}

/// Checks stored records, read in seq order from record `since` (or 1), each against the one
/// before, and keeps up to `limit` of those after `since`.
pub(crate) fn linked_page(
    rows: impl Iterator<Item = Result<(u64, Box<[u8]>)>>,
    since: u64,
    limit: usize,
) -> Result<Vec<AuditRecord>> {
    let first = since.max(1);
    let mut last: Option<(u64, [u8; 32])> = None;
    let mut out = Vec::new();
    for row in rows {
        let (seq, value) = row?;
        let record = checked(seq, &value)?;
        let linked = match last {
            Some((seq, hash)) => record.seq() == seq + 1 && *record.prev() == hash,
            None if record.seq() == 1 => *record.prev() == [0; 32],
            None => record.seq() == first,
        };
        if !linked {
            return Err(broken(record.seq()));
        }
        last = Some((record.seq(), record.hash()));
        if record.seq() > since {
            if out.len() == limit {
                break;
            }
            out.push(record);
        }
    }
    Ok(out)
}

/// A stored record, verified, whose seq is the one its key files it under.
pub(crate) fn checked(seq: u64, value: &[u8]) -> Result<AuditRecord> {
    let record = verify_audit(value)
        .map_err(|err| Error::Corrupted(format!("audit record {seq}: {err}")))?;
    if record.seq() != seq {
        return Err(broken(seq));
    }
    Ok(record)
}

fn broken(seq: u64) -> Error {
    Error::Corrupted(format!("audit log chain is broken at record {seq}"))
}
