//! Read-audit chains received from other nodes: each table keeps, beside its own chain
//! (`audit.rs`), every other node's chain that reached it by sync, mirror or restore, in the
//! `audit_received` column family, under the chain's id.
//!
//! Invariants:
//! - A chain's id is the hash of its record 1: it is stable while node keys come and go, and
//!   self-certifying, since record 1 is the only one that can start it.
//! - A received record is stored only when it is verified (the caller holds an `AuditRecord`)
//!   and extends the chain held: seq one past its last and `prev` its hash, or record 1 whose
//!   hash is the chain id. A record the chain holds already, byte for byte, is `Known`;
//!   anything else (a fork, a gap, another node's record under this node's own chain id) is
//!   refused with `Error::AuditChain` and changes nothing.
//! - This node's own chain is only ever appended by `append_audit`: records offered under
//!   its id are `Known` or refused, never stored.
//! - Received records are never changed or deleted, except with their table. Appends are
//!   serialized with the own chain's (`Shared::audit`).
//!
//! See: docs/FORMAT.md#read-audit-records, docs/SECURITY.md#read-audit

use mindoodb_protocol::{AuditChainId, AuditRecord};
use rocksdb::{Direction, IteratorMode, WriteBatch, WriteOptions};

use crate::audit::{checked, linked_page};
use crate::layout::{self, CF_AUDIT, CF_AUDIT_RECEIVED};
use crate::read::Snapshot;
use crate::{Error, Result, Seq, Store, Table};

/// One read-audit chain of a table as this node holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditChain {
    /// The chain's id: the hash of its record 1.
    pub id: AuditChainId,
    /// The last seq held here.
    pub last_seq: u64,
    /// The hash of that record.
    pub head: [u8; 32],
    /// False for this node's own chain, true for one received from another node.
    pub received: bool,
}

/// What adding received records did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditAdded {
    /// Records stored now.
    pub appended: u64,
    /// Records the chain held already.
    pub known: u64,
    /// The first record refused, and why; none after it was looked at.
    pub refused: Option<(u64, String)>,
}

impl Store {
    /// Every read-audit chain of `table`, this node's own among them, by id.
    pub fn audit_chains(&self, table: Table) -> Result<Vec<AuditChain>> {
        let snapshot = self.snapshot();
        let mut chains = snapshot.received_chains(table)?;
        if let Some(own) = snapshot.own_chain(table)? {
            chains.push(own);
        }
        chains.sort_by_key(|chain| chain.id);
        Ok(chains)
    }

    /// Up to `limit` records of chain `chain` of `table` after seq `since`, in seq order,
    /// each verified and checked against the one before.
    pub fn audit_chain_log(
        &self,
        table: Table,
        chain: &AuditChainId,
        since: u64,
        limit: usize,
    ) -> Result<Vec<AuditRecord>> {
        let snapshot = self.snapshot();
        if snapshot.own_chain_id(table)?.as_ref() == Some(chain) {
            return self.audit_log(table, since, limit);
        }
        let rows = snapshot.received_rows(table, chain, since.max(1));
        linked_page(rows, since, limit)
    }

    /// Up to `limit` records of chain `chain` of `table` after seq `since`, as stored, with
    /// their seqs: what a peer is sent (it verifies every record itself).
    pub fn audit_chain_raw(
        &self,
        table: Table,
        chain: &AuditChainId,
        since: u64,
        limit: usize,
    ) -> Result<Vec<(u64, Box<[u8]>)>> {
        let snapshot = self.snapshot();
        let first = since.saturating_add(1);
        if snapshot.own_chain_id(table)?.as_ref() == Some(chain) {
            let values = snapshot.audit_values(table, first, limit)?;
            return Ok((first..).zip(values).collect());
        }
        snapshot
            .received_rows(table, chain, first)
            .take(limit)
            .collect()
    }

    /// Adds `records`, received from elsewhere, to `table`'s chain `chain`, in order, stopping
    /// at the first that does not extend it. The ones stored are durable when it returns.
    pub fn add_audit_records(
        &self,
        table: Table,
        chain: &AuditChainId,
        records: &[AuditRecord],
    ) -> Result<AuditAdded> {
        if self.shared.secondary {
            return Err(Error::ReadOnlyStore);
        }
        let _appending = self.shared.audit.exclusive();
        let cat = self.shared.catalog.read();
        if cat.table_info(table).is_none() {
            return Err(Error::no_such_table(table));
        }
        let snapshot = self.snapshot();
        let own = snapshot.own_chain_id(table)? == Some(*chain);
        let mut head = match own {
            true => None,
            false => snapshot
                .last_received(table, chain)?
                .map(|record| (record.seq(), record.hash())),
        };
        let mut added = AuditAdded::default();
        let mut batch = WriteBatch::default();
        let cf = self.shared.cf(CF_AUDIT_RECEIVED);
        for record in records {
            let seq = record.seq();
            let held = match own {
                true => snapshot.get_raw(CF_AUDIT, &layout::seq_key(table, Seq(seq)))?,
                false if head.is_some_and(|(last, _)| seq <= last) => snapshot.get_raw(
                    CF_AUDIT_RECEIVED,
                    &layout::received_audit_key(table, &chain.0, seq),
                )?,
                false => None,
            };
            let refusal = match (held, head) {
                (Some(bytes), _) if bytes == record.bytes() => {
                    added.known += 1;
                    continue;
                }
                (Some(_), _) => "differs from the record the chain holds at that seq (a fork)",
                (None, _) if own => "this node's own chain takes no records from elsewhere",
                (None, None) if seq != 1 => {
                    "the chain is not held here and this is not its record 1"
                }
                (None, None) if record.hash() != chain.0 || *record.prev() != [0; 32] => {
                    "record 1 of a chain must hash to the chain's id"
                }
                (None, Some((last, _))) if seq != last + 1 => {
                    "it does not follow the chain's last record (a gap)"
                }
                (None, Some((_, hash))) if *record.prev() != hash => {
                    "it does not link to the chain's last record (a fork)"
                }
                (None, _) => {
                    batch.put_cf(
                        &cf,
                        layout::received_audit_key(table, &chain.0, seq),
                        record.bytes(),
                    );
                    head = Some((seq, record.hash()));
                    added.appended += 1;
                    continue;
                }
            };
            added.refused = Some((seq, refusal.to_owned()));
            break;
        }
        if !batch.is_empty() {
            let mut sync = WriteOptions::default();
            sync.set_sync(true);
            self.shared.db.write_opt(batch, &sync)?;
        }
        Ok(added)
    }
}

impl Snapshot<'_> {
    /// This node's own chain of `table`, when it has one.
    pub(crate) fn own_chain(&self, table: Table) -> Result<Option<AuditChain>> {
        let Some(id) = self.own_chain_id(table)? else {
            return Ok(None);
        };
        let (last_seq, head) = self
            .last_audit(table)?
            .ok_or_else(|| Error::Corrupted("the audit log lost its last record".into()))?;
        Ok(Some(AuditChain {
            id,
            last_seq,
            head,
            received: false,
        }))
    }

    /// The id of this node's own chain of `table`: the hash of its record 1.
    pub(crate) fn own_chain_id(&self, table: Table) -> Result<Option<AuditChainId>> {
        match self.get_raw(CF_AUDIT, &layout::seq_key(table, Seq(1)))? {
            None => Ok(None),
            Some(bytes) => Ok(Some(AuditChainId(checked(1, &bytes)?.hash()))),
        }
    }

    /// The chains of `table` received from other nodes, by id: one seek per chain.
    pub(crate) fn received_chains(&self, table: Table) -> Result<Vec<AuditChain>> {
        let mut chains = Vec::new();
        let mut from = layout::table_prefix(table).to_vec();
        loop {
            let mut opts = self.read_options();
            opts.set_iterate_upper_bound(layout::table_end(table));
            let next = self
                .shared
                .db
                .iterator_cf_opt(
                    &self.shared.cf(CF_AUDIT_RECEIVED),
                    opts,
                    IteratorMode::From(&from, Direction::Forward),
                )
                .next();
            let Some(row) = next else {
                return Ok(chains);
            };
            let (key, _) = row?;
            let (id, _) = layout::split_received_audit_key(&key)
                .ok_or_else(|| Error::Corrupted("received audit key".into()))?;
            let id = AuditChainId(id);
            let last = self
                .last_received(table, &id)?
                .ok_or_else(|| Error::Corrupted("a received audit chain vanished".into()))?;
            chains.push(AuditChain {
                id,
                last_seq: last.seq(),
                head: last.hash(),
                received: true,
            });
            from = layout::received_chain_end(table, &id.0);
        }
    }

    /// The last record held of received chain `chain` of `table`, checked.
    pub(crate) fn last_received(
        &self,
        table: Table,
        chain: &AuditChainId,
    ) -> Result<Option<AuditRecord>> {
        let last = self.shared.last_row(
            CF_AUDIT_RECEIVED,
            self.read_options(),
            layout::received_audit_key(table, &chain.0, 0).to_vec(),
            &layout::received_chain_end(table, &chain.0),
        )?;
        let Some((key, value)) = last else {
            return Ok(None);
        };
        let (_, seq) = layout::split_received_audit_key(&key)
            .ok_or_else(|| Error::Corrupted("received audit key".into()))?;
        checked(seq, &value).map(Some)
    }

    /// The stored records of received chain `chain` of `table` from seq `first` on, with
    /// their seqs, as stored.
    pub(crate) fn received_rows(
        &self,
        table: Table,
        chain: &AuditChainId,
        first: u64,
    ) -> impl Iterator<Item = Result<(u64, Box<[u8]>)>> + '_ {
        let mut opts = self.read_options();
        opts.set_iterate_upper_bound(layout::received_chain_end(table, &chain.0));
        let start = layout::received_audit_key(table, &chain.0, first);
        self.shared
            .db
            .iterator_cf_opt(
                &self.shared.cf(CF_AUDIT_RECEIVED),
                opts,
                IteratorMode::From(&start, Direction::Forward),
            )
            .map(|row| -> Result<(u64, Box<[u8]>)> {
                let (key, value) = row?;
                let (_, seq) = layout::split_received_audit_key(&key)
                    .ok_or_else(|| Error::Corrupted("received audit key".into()))?;
                Ok((seq, value))
            })
    }
}
