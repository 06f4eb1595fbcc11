//! Read-audit logs in backups: reading a table's audit records (its own chain, and the chains
//! it received from other nodes) from a snapshot for a backup file, checking them as a file is
//! read back, and importing them on restore.
//!
//! Invariants:
//! - A file holds each table's records `first..first + count` in seq order, each verified
//!   and linked to the one before it in the file; the first one's link to the chain's end is
//!   checked by the chain verification (`backup.rs`). Each received chain is a range of its
//!   own, under its id, and its record 1 must hash to that id.
//! - Restore appends the own chain's records at the seqs they had, each linked to the one
//!   before, in one synced write per batch, or fails; received chains go back as received
//!   chains (`audit_received.rs`), never into the restored node's own chain.
//!
//! See: docs/FORMAT.md#backup-files, docs/FORMAT.md#read-audit-records

use std::path::Path;

use mindoodb_protocol::{AuditChainId, AuditRecord, verify_audit};
use rocksdb::{Direction, IteratorMode, WriteBatch, WriteOptions};

use crate::backup::BackupError;
use crate::backup_file::{BResult, TableRange, damaged};
use crate::layout::{self, CF_AUDIT};
use crate::read::Snapshot;
use crate::{Error, Result, Seq, Store, Table};

/// The part of one received read-audit chain a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceivedRange {
    /// The chain's id: the hash of its record 1.
    pub chain: AuditChainId,
    /// Its table and records: seqs `first..first + count`, and the hash of the last.
    pub range: TableRange,
}

impl Snapshot<'_> {
    /// The hash of the record at `seq` of `table`'s received chain `chain`.
    pub(crate) fn received_hash(
        &self,
        table: Table,
        chain: &AuditChainId,
        seq: u64,
    ) -> Result<[u8; 32]> {
        let (_, value) = self
            .received_rows(table, chain, seq)
            .next()
            .transpose()?
            .filter(|(at, _)| *at == seq)
            .ok_or_else(|| Error::Corrupted(format!("received audit record {seq} is missing")))?;
        verify_audit(&value)
            .map(|record| record.hash())
            .map_err(|err| Error::Corrupted(format!("received audit record {seq}: {err}")))
    }

    /// The seq and hash of `table`'s newest audit record, if any.
    pub(crate) fn last_audit(&self, table: Table) -> Result<Option<(u64, [u8; 32])>> {
        let newest = self.shared.last_row(
            CF_AUDIT,
            self.read_options(),
            layout::table_prefix(table).to_vec(),
            &layout::table_end(table),
        )?;
        let Some((_, value)) = newest else {
            return Ok(None);
        };
        let record =
            verify_audit(&value).map_err(|err| Error::Corrupted(format!("audit record: {err}")))?;
        Ok(Some((record.seq(), record.hash())))
    }

    /// The hash of `table`'s audit record at `seq`.
    pub(crate) fn audit_hash(&self, table: Table, seq: u64) -> Result<[u8; 32]> {
        let value = self
            .audit_values(table, seq, 1)?
            .pop()
            .ok_or_else(|| Error::Corrupted(format!("audit record {seq} is missing")))?;
        verify_audit(&value)
            .map(|record| record.hash())
            .map_err(|err| Error::Corrupted(format!("audit record {seq}: {err}")))
    }

    /// Up to `n` stored audit records of `table` from seq `first`, as stored.
    pub(crate) fn audit_values(
        &self,
        table: Table,
        first: u64,
        n: usize,
    ) -> Result<Vec<Box<[u8]>>> {
        let mut opts = self.read_options();
        opts.set_iterate_upper_bound(layout::table_end(table));
        let start = layout::seq_key(table, Seq(first));
        self.shared
            .db
            .iterator_cf_opt(
                &self.shared.cf(CF_AUDIT),
                opts,
                IteratorMode::From(&start, Direction::Forward),
            )
            .take(n)
            .map(|row| row.map(|(_, value)| value).map_err(Error::from))
            .collect()
    }
}

/// The record at place `idx` of `range` in a file, verified and linked to the record before
/// it in the file (`prev`, updated).
pub(crate) fn checked_audit(
    path: &Path,
    range: &TableRange,
    idx: u64,
    bytes: &[u8],
    prev: &mut Option<[u8; 32]>,
) -> BResult<AuditRecord> {
    let seq = range.first.0 + idx;
    let record =
        verify_audit(bytes).map_err(|err| damaged(path, &format!("audit record {seq}: {err}")))?;
    let linked = match prev {
        Some(hash) => record.prev() == hash,
        None => seq > 1 || *record.prev() == [0; 32],
    };
    if record.seq() != seq || !linked {
        return Err(damaged(
            path,
            &format!("audit record {seq} is out of its chain"),
        ));
    }
    *prev = Some(record.hash());
    Ok(record)
}

/// `checked_audit` for a received chain's range, whose record 1 must hash to the chain's id.
pub(crate) fn checked_received(
    path: &Path,
    received: &ReceivedRange,
    idx: u64,
    bytes: &[u8],
    prev: &mut Option<[u8; 32]>,
) -> BResult<AuditRecord> {
    let record = checked_audit(path, &received.range, idx, bytes, prev)?;
    if record.seq() == 1 && record.hash() != received.chain.0 {
        return Err(damaged(
            path,
            "a received audit chain's record 1 does not match its id",
        ));
    }
    Ok(record)
}

impl Store {
    /// Appends `records`, the next ones of `table`'s audit log, at the seqs they had: a
    /// restore's import.
    pub(crate) fn import_audit(&self, table: Table, records: &[AuditRecord]) -> BResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        let _appending = self.shared.audit.exclusive();
        let mut last = self.snapshot().last_audit(table)?;
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_AUDIT);
        for record in records {
            let (seq, prev) = last.unwrap_or((0, [0; 32]));
            if record.seq() != seq + 1 || *record.prev() != prev {
                return Err(BackupError::Chain(format!(
                    "audit record {} of table {}/{} does not continue the restored log",
                    record.seq(),
                    table.tenant.0,
                    table.id.0
                )));
            }
            batch.put_cf(
                &cf,
                layout::seq_key(table, Seq(record.seq())),
                record.bytes(),
            );
            last = Some((record.seq(), record.hash()));
        }
        let mut sync = WriteOptions::default();
        sync.set_sync(true);
        self.shared
            .db
            .write_opt(batch, &sync)
            .map_err(Error::from)?;
        Ok(())
    }
}
