//! A session's transaction: where it stands (autocommit, in a block, failed), its
//! uncommitted writes and its savepoints, owned together so that they never disagree.
//!
//! Invariants:
//! - Outside a block (`Idle`) nothing is pending: autocommit writes go straight to a commit.
//! - After an error inside a block (`Failed`) only COMMIT (which then rolls back), ROLLBACK
//!   and ROLLBACK TO a savepoint (which resumes the block) run, as in Postgres.
//! - `log` holds every write of the transaction in the order its statements made them; it is
//!   what COMMIT hands to the store, whole, as one commit signed by `signer`.
//! - A transaction has one author: the signer of its first write seals every later write of
//!   the block too (a key change inside a block takes effect at the next transaction).
//! - `latest` maps each touched document to its newest write in `log`, so the transaction's
//!   reads see its own writes.
//! - Rolling back to a savepoint undoes exactly the writes made after it, newest first, and
//!   leaves `latest` as it was when the savepoint was set.

use std::collections::BTreeMap;

use std::sync::Arc;

use mindoodb_protocol::{AuthorClock, DocId, Identity, SealedEntry};
use mindoodb_storage::Table;

use crate::error::{Error, Result};

/// One uncommitted revision of a document, as this session sees it.
pub(crate) struct PendingDoc {
    pub(crate) entry: SealedEntry,
    /// The document's JSON; `None` for a delete.
    pub(crate) json: Option<String>,
    pub(crate) created: AuthorClock,
}

/// Where a session's transaction stands (ReadyForQuery's I / T / E).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum TxnStatus {
    /// Autocommit.
    #[default]
    Idle,
    /// Inside BEGIN ... COMMIT.
    InBlock,
    /// Inside a block after an error: only ROLLBACK helps.
    Failed,
}

/// Who signs a transaction's commit, and the signer role its entries name (`None`: the
/// identity's own).
pub(crate) type Signer = (Arc<Identity>, Option<String>);

/// The writes of one transaction, to be stored under one commit that `signer` signs.
pub(crate) struct Writes {
    pub(crate) signer: Signer,
    /// In order: the commit's leaves.
    pub(crate) writes: Vec<(Table, SealedEntry)>,
}

/// A session's transaction: its status, writes and savepoints.
#[derive(Default)]
pub(crate) struct Txn {
    status: TxnStatus,
    signer: Option<Signer>,
    log: Vec<Logged>,
    latest: BTreeMap<Table, BTreeMap<DocId, usize>>,
    savepoints: Vec<Savepoint>,
}

/// A write in `Pending::log`, with what `latest` said for its document before it.
struct Logged {
    table: Table,
    doc: PendingDoc,
    previous: Option<usize>,
}

struct Savepoint {
    name: String,
    /// `log.len()` when it was set.
    mark: usize,
}

impl Txn {
    /// Where the transaction stands.
    pub(crate) fn status(&self) -> TxnStatus {
        self.status
    }

    /// BEGIN: opens a block; inside one it changes nothing (Postgres warns and goes on).
    pub(crate) fn begin(&mut self) {
        if self.status == TxnStatus::Idle {
            self.status = TxnStatus::InBlock;
        }
    }

    /// An error inside a block fails the block.
    pub(crate) fn fail(&mut self) {
        if self.status == TxnStatus::InBlock {
            self.status = TxnStatus::Failed;
        }
    }

    /// Ends the transaction, returning what it stood at and its writes, in order, for one
    /// commit (none when it wrote nothing; dropped by a rollback); nothing stays pending.
    pub(crate) fn end(&mut self) -> (TxnStatus, Option<Writes>) {
        let status = std::mem::take(&mut self.status);
        (status, self.take())
    }

    /// The signer of the open transaction's writes, once it wrote.
    pub(crate) fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }

    /// Inside a block, queues `docs` sealed by `signer` and gives back none; outside one,
    /// gives them back to be committed at once.
    pub(crate) fn queue(
        &mut self,
        signer: Signer,
        table: Table,
        docs: Vec<PendingDoc>,
    ) -> Option<Writes> {
        if self.status != TxnStatus::InBlock {
            return Some(Writes {
                signer,
                writes: docs.into_iter().map(|doc| (table, doc.entry)).collect(),
            });
        }
        self.signer.get_or_insert(signer);
        for doc in docs {
            self.push(table, doc);
        }
        None
    }

    /// The newest pending write of every document of `table` this transaction touched, in id
    /// order.
    pub(crate) fn table(&self, table: Table) -> impl Iterator<Item = (&DocId, &PendingDoc)> {
        self.latest
            .get(&table)
            .into_iter()
            .flatten()
            .map(|(id, idx)| (id, &self.log[*idx].doc))
    }

    /// The newest pending write of one document.
    pub(crate) fn doc(&self, table: Table, id: &DocId) -> Option<&PendingDoc> {
        let idx = self.latest.get(&table)?.get(id)?;
        Some(&self.log[*idx].doc)
    }

    fn push(&mut self, table: Table, doc: PendingDoc) {
        let id = doc.entry.header().doc_id().clone();
        let previous = self
            .latest
            .entry(table)
            .or_default()
            .insert(id, self.log.len());
        self.log.push(Logged {
            table,
            doc,
            previous,
        });
    }

    /// Sets a savepoint; a name may repeat, and the newest one of a name is the one used.
    pub(crate) fn savepoint(&mut self, name: String) -> Result<()> {
        self.in_block("SAVEPOINT")?;
        self.savepoints.push(Savepoint {
            name,
            mark: self.log.len(),
        });
        Ok(())
    }

    /// Undoes every write made since savepoint `name` and forgets the savepoints set after it;
    /// `name` itself stays, as in Postgres, and a failed block resumes.
    pub(crate) fn rollback_to(&mut self, name: &str) -> Result<()> {
        self.in_block("ROLLBACK TO SAVEPOINT")?;
        let idx = self.find(name)?;
        let mark = self.savepoints[idx].mark;
        self.savepoints.truncate(idx + 1);
        // Marks never exceed the log: later savepoints go first, and the log only shrinks here.
        let mark = mark.min(self.log.len());
        for undone in self.log.drain(mark..).rev() {
            let id = undone.doc.entry.header().doc_id().clone();
            let docs = self.latest.entry(undone.table).or_default();
            match undone.previous {
                Some(previous) => docs.insert(id, previous),
                None => docs.remove(&id),
            };
        }
        self.status = TxnStatus::InBlock;
        Ok(())
    }

    /// Forgets savepoint `name` and every savepoint set after it; their writes stay.
    pub(crate) fn release(&mut self, name: &str) -> Result<()> {
        self.in_block("RELEASE SAVEPOINT")?;
        let idx = self.find(name)?;
        self.savepoints.truncate(idx);
        Ok(())
    }

    /// Every write, in order; nothing stays pending.
    fn take(&mut self) -> Option<Writes> {
        self.latest.clear();
        self.savepoints.clear();
        let signer = self.signer.take()?;
        let writes: Vec<_> = std::mem::take(&mut self.log)
            .into_iter()
            .map(|logged| (logged.table, logged.doc.entry))
            .collect();
        (!writes.is_empty()).then_some(Writes { signer, writes })
    }

    /// Savepoints exist only inside a block (a failed one included).
    fn in_block(&self, what: &'static str) -> Result<()> {
        match self.status {
            TxnStatus::Idle => Err(Error::NoActiveTransaction(what)),
            TxnStatus::InBlock | TxnStatus::Failed => Ok(()),
        }
    }

    fn find(&self, name: &str) -> Result<usize> {
        self.savepoints
            .iter()
            .rposition(|s| s.name == name)
            .ok_or_else(|| Error::UndefinedSavepoint(name.to_owned()))
    }
}
