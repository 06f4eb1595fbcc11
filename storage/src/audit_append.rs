//! Group appends of read-audit records: each record is chained and signed at once, then waits
//! for a synced write that it shares with every record staged meanwhile, as the commit
//! pipeline shares syncs between transactions. An audited point read then pays a share of
//! one fsync instead of a whole one.
//!
//! Invariants:
//! - One state per store, under one lock: chaining (seq and `prev` from the table's tail,
//!   written or staged), staging and choosing the writer happen under it, so a table's chain
//!   has no gaps or forks.
//! - Groups are written one at a time, in the order they were filled, each as one synced
//!   WriteBatch: a record is on disk only with every record before it in its chain, and is
//!   visible to readers (mirrors, backups, `mindoo.audit`) only once synced.
//! - A record is written only to a table that exists when its group is written (the catalog
//!   is read-locked around the write); its reader is told the table is gone otherwise, and the
//!   table's tail is forgotten.
//! - A caller is answered only after its group's write returned. After a failed write every
//!   later append fails (`Error::Poisoned`): the tails may name records that never reached
//!   the disk.
//! - Other writers of audit records (`add_audit_records`, a restore's `import_audit`) hold
//!   the state through `exclusive`, which waits until nothing is staged or being written and
//!   forgets the tails, so they never interleave with a group.

use std::collections::{HashMap, HashSet};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use mindoodb_protocol::AuditRecord;
use rocksdb::{WriteBatch, WriteOptions};

use crate::layout::{self, CF_AUDIT};
use crate::store::Shared;
use crate::{Error, Result, Seq, Table};

/// The group appender of one store.
#[derive(Default)]
pub(crate) struct AuditAppends {
    state: Mutex<State>,
    written: Condvar,
}

/// What the lock guards.
#[derive(Default)]
pub(crate) struct State {
    /// Records chained and signed but not yet written, in chain order, with their tickets.
    staged: Vec<(u64, Table, AuditRecord)>,
    /// The newest record of each table's chain known here, staged or written: (seq, hash).
    tails: HashMap<Table, (u64, [u8; 32])>,
    /// Tickets of records left unwritten because their table was dropped.
    refused: HashSet<u64>,
    next_ticket: u64,
    /// Groups taken by a writer and groups written, counted from 1: `staged` will be group
    /// `taken + 1`.
    taken: u64,
    written: u64,
    writing: bool,
    failed: bool,
}

impl State {
    /// The seq and `prev` of `table`'s next record, from the tail known here or `stored`
    /// (the newest record on disk, read only when no tail is known).
    pub(crate) fn next_link(
        &self,
        table: Table,
        stored: impl FnOnce() -> Result<Option<AuditRecord>>,
    ) -> Result<(u64, [u8; 32])> {
        let tail = match self.tails.get(&table) {
            Some(tail) => Some(*tail),
            None => stored()?.map(|last| (last.seq(), last.hash())),
        };
        Ok(tail.map_or((1, [0; 32]), |(seq, hash)| (seq + 1, hash)))
    }
}

impl AuditAppends {
    /// The state, for chaining one record: fails once a write failed.
    pub(crate) fn lock(&self) -> Result<MutexGuard<'_, State>> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.failed {
            return Err(Error::Poisoned);
        }
        Ok(state)
    }

    /// The state with nothing staged or being written and no tails kept: for writers of audit
    /// records outside the groups, held while they write.
    pub(crate) fn exclusive(&self) -> MutexGuard<'_, State> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.writing || !state.staged.is_empty() {
            state = self
                .written
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.tails.clear();
        state
    }

    /// Stages `record` (chained by `State::next_link` under this same guard) and returns it
    /// once a synced write holds it.
    pub(crate) fn append<'a>(
        &'a self,
        shared: &Shared,
        mut state: MutexGuard<'a, State>,
        table: Table,
        record: AuditRecord,
    ) -> Result<AuditRecord> {
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.tails.insert(table, (record.seq(), record.hash()));
        state.staged.push((ticket, table, record.clone()));
        let group = state.taken + 1;
        loop {
            if state.written >= group {
                if state.refused.remove(&ticket) {
                    return Err(Error::no_such_table(table));
                }
                return Ok(record);
            }
            if state.failed {
                return Err(Error::Poisoned);
            }
            if state.writing {
                state = self
                    .written
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            // Nobody writes: this caller writes the group being filled, which holds its record.
            state.writing = true;
            state.taken += 1;
            let writing = state.taken;
            let staged = std::mem::take(&mut state.staged);
            drop(state);
            let outcome = write(shared, staged);
            state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.writing = false;
            match outcome {
                Ok(refused) => {
                    for (ticket, table) in refused {
                        state.tails.remove(&table);
                        state.refused.insert(ticket);
                    }
                    state.written = writing;
                }
                Err(err) => {
                    state.failed = true;
                    self.written.notify_all();
                    return Err(err);
                }
            }
            self.written.notify_all();
        }
    }
}

/// Writes `staged` as one synced batch, leaving out the records of tables dropped since they
/// were staged; their tickets and tables.
fn write(shared: &Shared, staged: Vec<(u64, Table, AuditRecord)>) -> Result<Vec<(u64, Table)>> {
    let cat = shared.catalog.read();
    let cf = shared.cf(CF_AUDIT);
    let mut batch = WriteBatch::default();
    let mut refused = Vec::new();
    for (ticket, table, record) in staged {
        if cat.table_info(table).is_none() {
            refused.push((ticket, table));
            continue;
        }
        batch.put_cf(
            &cf,
            layout::seq_key(table, Seq(record.seq())),
            record.bytes(),
        );
    }
    let mut sync = WriteOptions::default();
    sync.set_sync(true);
    shared.db.write_opt(batch, &sync)?;
    Ok(refused)
}
