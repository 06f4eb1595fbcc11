//! SQL cursors: `DECLARE name CURSOR FOR query`, `FETCH`, `CLOSE` (psql's `FETCH_COUNT`,
//! psycopg's named cursors, SQLAlchemy's `stream_results`).
//!
//! Invariants:
//! - A cursor keeps its query's row stream, never its rows: each FETCH takes the next rows from
//!   it, so a cursor over a large result costs one batch of memory, not the result.
//! - The query runs at DECLARE, so the cursor reads the snapshot, keys and writes of that
//!   moment (`query::run` takes them when it plans).
//! - Cursors are forward-only (no SCROLL) and live until CLOSE or the end of their
//!   transaction block (no WITH HOLD); DECLARE outside a block fails with 25P01.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::sql::sqlparser::ast::{Query, Statement};
use futures::{StreamExt, stream};

use super::query;
use crate::engine::session::Session;
use crate::engine::session::txn::TxnStatus;
use crate::error::{Error, Result};
use crate::output::{Batches, Column, Output};

/// An open cursor: its columns and the rows not fetched yet.
pub(crate) struct Cursor {
    columns: Vec<Column>,
    /// Rows of a batch a FETCH took only part of.
    held: Option<RecordBatch>,
    /// The rest. (A Mutex only to make the session `Sync`; FETCH owns the cursor and never
    /// locks it.)
    batches: Mutex<Batches>,
}

/// A session's cursors, by folded name.
#[derive(Default)]
pub(crate) struct Cursors(HashMap<String, Cursor>);

impl Cursors {
    /// The columns FETCH from cursor `name` returns, for Describe; `None` without such a cursor.
    pub(crate) fn columns(&self, name: &str) -> Option<Vec<Column>> {
        self.0.get(name).map(|cursor| cursor.columns.clone())
    }

    /// Closes every cursor (the block ended).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

/// `DECLARE name CURSOR FOR query`.
pub(crate) async fn declare(session: &mut Session, name: String, query: Query) -> Result<Output> {
    if session.txn_status() == TxnStatus::Idle {
        return Err(Error::NoActiveTransaction("DECLARE CURSOR"));
    }
    if session.cursors().0.contains_key(&name) {
        return Err(Error::DuplicateCursor(name));
    }
    let Output::Rows {
        columns, batches, ..
    } = query::run(session, Statement::Query(Box::new(query)), None, &[]).await?
    else {
        return Err(Error::Internal("a cursor's query returned no rows".into()));
    };
    let cursor = Cursor {
        columns,
        held: None,
        batches: Mutex::new(batches),
    };
    session.cursors_mut().0.insert(name, cursor);
    Ok(Output::Command {
        tag: "DECLARE CURSOR",
        rows: None,
    })
}

/// `FETCH [FORWARD] count FROM name`: the next `count` rows, or all that are left (`None`),
/// which then stream.
pub(crate) async fn fetch(session: &mut Session, name: &str, count: Option<u64>) -> Result<Output> {
    let cursor = session
        .cursors_mut()
        .0
        .get_mut(name)
        .ok_or_else(|| Error::UndefinedCursor(name.to_owned()))?;
    let columns = cursor.columns.clone();
    let batches = cursor
        .batches
        .get_mut()
        .unwrap_or_else(PoisonError::into_inner);
    let Some(count) = count else {
        let held = cursor.held.take().map(Ok);
        let rest = std::mem::replace(batches, Batches::ready(Vec::new()));
        return Ok(Output::Rows {
            columns,
            batches: Batches::streaming(stream::iter(held).chain(rest)),
            tag: "FETCH",
        });
    };
    let mut wanted = usize::try_from(count).unwrap_or(usize::MAX);
    let mut rows = Vec::new();
    while wanted > 0 {
        let batch = match cursor.held.take() {
            Some(batch) => batch,
            None => match batches.next().await {
                Some(batch) => batch?,
                None => break,
            },
        };
        if batch.num_rows() > wanted {
            cursor.held = Some(batch.slice(wanted, batch.num_rows() - wanted));
            rows.push(batch.slice(0, wanted));
            break;
        }
        wanted -= batch.num_rows();
        rows.push(batch);
    }
    Ok(Output::Rows {
        columns,
        batches: Batches::ready(rows),
        tag: "FETCH",
    })
}

/// `CLOSE name`, or every cursor (`None`).
pub(crate) fn close(session: &mut Session, name: Option<&str>) -> Result<Output> {
    match name {
        Some(name) => {
            if session.cursors_mut().0.remove(name).is_none() {
                return Err(Error::UndefinedCursor(name.to_owned()));
            }
        }
        None => session.cursors_mut().clear(),
    }
    Ok(Output::Command {
        tag: if name.is_some() {
            "CLOSE CURSOR"
        } else {
            "CLOSE CURSOR ALL"
        },
        rows: None,
    })
}
