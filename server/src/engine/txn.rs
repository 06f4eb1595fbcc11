//! An open transaction's uncommitted writes and its savepoints.
//!
//! Invariants:
//! - `log` holds every write of the transaction in the order its statements made them; it is
//!   what COMMIT hands to the store, whole.
//! - `latest` maps each touched document to its newest write in `log`, so the transaction's
//!   reads see its own writes.
//! - Rolling back to a savepoint undoes exactly the writes made after it, newest first, and
//!   leaves `latest` as it was when the savepoint was set.

use std::collections::BTreeMap;

use mindoodb_protocol::{AuthorClock, DocId, VerifiedEntry};
use mindoodb_storage::{Table, Transaction, Write};

use crate::error::{Error, Result};

/// One uncommitted revision of a document, as this session sees it.
pub(crate) struct PendingDoc {
    pub(crate) entry: VerifiedEntry,
    /// The document's JSON; `None` for a delete.
    pub(crate) json: Option<String>,
    pub(crate) created: AuthorClock,
}

/// The writes of an open transaction and its savepoints.
#[derive(Default)]
pub(crate) struct Pending {
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

impl Pending {
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

    pub(crate) fn push(&mut self, table: Table, doc: PendingDoc) {
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
    pub(crate) fn savepoint(&mut self, name: String) {
        self.savepoints.push(Savepoint {
            name,
            mark: self.log.len(),
        });
    }

    /// Undoes every write made since savepoint `name` and forgets the savepoints set after it;
    /// `name` itself stays, as in Postgres.
    pub(crate) fn rollback_to(&mut self, name: &str) -> Result<()> {
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
        Ok(())
    }

    /// Forgets savepoint `name` and every savepoint set after it; their writes stay.
    pub(crate) fn release(&mut self, name: &str) -> Result<()> {
        let idx = self.find(name)?;
        self.savepoints.truncate(idx);
        Ok(())
    }

    /// Ends the transaction: every write, in order, for one commit; nothing stays pending.
    pub(crate) fn take(&mut self) -> Transaction {
        self.latest.clear();
        self.savepoints.clear();
        Transaction {
            writes: std::mem::take(&mut self.log)
                .into_iter()
                .map(|logged| Write::Local {
                    table: logged.table,
                    entry: logged.doc.entry,
                })
                .collect(),
        }
    }

    fn find(&self, name: &str) -> Result<usize> {
        self.savepoints
            .iter()
            .rposition(|s| s.name == name)
            .ok_or_else(|| Error::UndefinedSavepoint(name.to_owned()))
    }
}
