//! A document as one session sees it: its own pending write when it has one, else the stored
//! document. Every reader of single documents goes through here — the scan's merge, point
//! reads, the direct UPDATE/DELETE path and the writes that need a document's heads — so they
//! cannot disagree.
//!
//! Invariants:
//! - A pending write stands in for the stored document (read-your-writes); a pending delete
//!   hides it.
//! - A stored document is a row only when it is live and the session holds its key.
//! - `visible_row` reads the stored entry even when a pending write wins, so a damaged entry
//!   fails every path the same way (the scan reads it too).
//! - `visible_row` records the row it returns from an audited table, as a scan records its
//!   rows, so the point read and the direct UPDATE/DELETE path audit what the general path
//!   audits.

use mindoodb_protocol::{AuthorClock, DocId, EntryHash};
use mindoodb_storage::{Document, Store, Table};

use super::row::{Projection, Row, pending_row, stored_row};
use crate::engine::session::keys::KeySet;
use crate::engine::session::state::SharedState;
use crate::error::{Error, Result};

/// Documents read per storage page while counting.
const PAGE: usize = 1024;

/// The row a session sees for one document: `pending` is the row of its pending write, if it
/// has one (`Some(None)` for a pending delete); `stored` the stored document, if any.
pub(crate) fn visible(
    pending: Option<Option<Row>>,
    stored: Option<&Document>,
    keys: &KeySet,
    projection: &Projection,
) -> Result<Option<Row>> {
    match (pending, stored) {
        (Some(pending), _) => Ok(pending),
        (None, Some(doc)) => stored_row(keys, doc, projection),
        (None, None) => Ok(None),
    }
}

/// Document `id` of `table` as the session whose state is `state` sees it now (what a scan
/// yields for `id = '<id>'`). Like a scan, a read of a table whose reads are audited records
/// the row it returns, durably, before returning it.
pub(crate) fn visible_row(
    store: &Store,
    state: &SharedState,
    table: Table,
    id: &DocId,
    projection: &Projection,
) -> Result<Option<Row>> {
    let doc = store.snapshot().doc(table, id)?;
    let (row, audit) = {
        let state = state.read();
        let pending = state.txn.doc(table, id).map(|p| pending_row(id, p));
        let row = visible(pending, doc.as_ref(), &state.keys, projection)?;
        (row, state.statement_audit())
    };
    if let Some(row) = &row
        && store.audits_reads(table)
    {
        let Some(statement) = audit else {
            return Err(Error::Internal(
                "a read of an audited table outside a statement".into(),
            ));
        };
        blocking(|| statement.record(table, std::slice::from_ref(&row.id)))?;
    }
    Ok(row)
}

/// Runs `wait`, which blocks on a synced write, on this thread. On a multi-threaded runtime's
/// worker the runtime is told first, so it hands the worker's other tasks to another thread:
/// without that, two workers would hold two audited point reads waiting, and the records of
/// the other sessions could not join their group write (`audit_append.rs`).
fn blocking<T>(wait: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(wait)
        }
        _ => wait(),
    }
}

/// Where a document stands for a write: absent, deleted, or live with its winner.
pub(crate) enum Current {
    Absent,
    Deleted {
        heads: Vec<EntryHash>,
        created: AuthorClock,
    },
    Live {
        heads: Vec<EntryHash>,
        winner: EntryHash,
        created: AuthorClock,
    },
}

impl Current {
    /// Document `id` of `table` for the session whose state is `state`: its pending write,
    /// else the store.
    pub(crate) fn of(
        store: &Store,
        state: &SharedState,
        table: Table,
        id: &DocId,
    ) -> Result<Current> {
        if let Some(pending) = state.read().txn.doc(table, id) {
            let heads = vec![pending.entry.hash()];
            return Ok(match pending.json {
                None => Current::Deleted {
                    heads,
                    created: pending.created,
                },
                Some(_) => Current::Live {
                    winner: pending.entry.hash(),
                    heads,
                    created: pending.created,
                },
            });
        }
        let Some(doc) = store.snapshot().doc(table, id)? else {
            return Ok(Current::Absent);
        };
        let heads = doc.heads.iter().map(|h| h.hash).collect();
        Ok(if doc.is_deleted() {
            Current::Deleted {
                heads,
                created: doc.created,
            }
        } else {
            Current::Live {
                heads,
                winner: doc.winner.hash(),
                created: doc.created,
            }
        })
    }

    /// The heads to name as parents, provided the revision the statement read (`read_rev`) is
    /// still the winner; else 40001.
    pub(crate) fn live_heads(
        self,
        id: &DocId,
        read_rev: &str,
    ) -> Result<(Vec<EntryHash>, AuthorClock)> {
        match self {
            Current::Live {
                heads,
                winner,
                created,
            } if winner.to_string() == read_rev => Ok((heads, created)),
            _ => Err(Error::SerializationFailure(id.to_string())),
        }
    }
}

/// Counts documents of `table` that are live but sealed under keys the session lacks.
pub(crate) fn count_locked(store: &Store, table: Table, keys: &KeySet) -> Result<i64> {
    let snapshot = store.snapshot();
    let mut locked = 0;
    let mut after: Option<DocId> = None;
    loop {
        let page = snapshot.scan(table, after.as_ref(), PAGE)?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        let full = page.len() == PAGE;
        locked += page
            .iter()
            .filter(|d| !d.is_deleted() && keys.get(d.winner.header().key()).is_none())
            .count() as i64;
        if !full {
            break;
        }
    }
    Ok(locked)
}
