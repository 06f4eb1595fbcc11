//! SQL cursors: `DECLARE name CURSOR FOR query`, `FETCH`, `MOVE`, `CLOSE` (psql's `FETCH_COUNT`,
//! psycopg's named cursors, SQLAlchemy's `stream_results`).
//!
//! Invariants:
//! - A cursor keeps its query's row stream, never its rows: each FETCH takes the next rows from
//!   it, so a cursor over a large result costs one batch of memory, not the result.
//! - The query runs at DECLARE, so the cursor reads the snapshot, keys and writes of that
//!   moment (`query::run` takes them when it plans).
//! - Cursors are forward-only (no SCROLL) and live until CLOSE or the end of their
//!   transaction block (no WITH HOLD); DECLARE outside a block fails with 25P01.

use std::sync::PoisonError;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::sql::sqlparser::ast::{Query, Statement};
use futures::{StreamExt, stream};

use super::query;
use crate::engine::session::Session;
use crate::engine::session::cursors::Cursor;
use crate::engine::session::txn::TxnStatus;
use crate::engine::sql::classify::CursorRows;
use crate::error::{Error, Result};
use crate::output::{Batches, Output};

/// `DECLARE name CURSOR FOR query`.
pub(crate) async fn declare(session: &mut Session, name: String, query: Query) -> Result<Output> {
    if session.txn_status() == TxnStatus::Idle {
        return Err(Error::NoActiveTransaction("DECLARE CURSOR"));
    }
    if session.cursors().contains(&name) {
        return Err(Error::DuplicateCursor(name));
    }
    let Output::Rows {
        columns, batches, ..
    } = query::run(session, Statement::Query(Box::new(query)), None, &[]).await?
    else {
        return Err(Error::Internal("a cursor's query returned no rows".into()));
    };
    session
        .cursors_mut()
        .insert(name, Cursor::new(columns, batches));
    Ok(Output::Command {
        tag: "DECLARE CURSOR",
        rows: None,
    })
}

/// `FETCH`: the cursor's next rows, or all that are left (which then stream).
pub(crate) async fn fetch(session: &mut Session, name: &str, rows: CursorRows) -> Result<Output> {
    let cursor = cursor(session, name)?;
    let columns = cursor.columns.clone();
    let count = match rows {
        CursorRows::All => {
            // PostgreSQL counts FETCH ALL as running out of rows, whatever it returns.
            cursor.at_end = true;
            cursor.at_start = false;
            let held = cursor.held.take().map(Ok);
            let batches = cursor
                .batches
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner);
            let rest = std::mem::replace(batches, Batches::ready(Vec::new()));
            return Ok(Output::Rows {
                columns,
                batches: Batches::streaming(stream::iter(held).chain(rest)),
                tag: "FETCH",
            });
        }
        // Re-reading the current row means stepping back over it first.
        CursorRows::Count(0) if cursor.on_row() => return Err(Error::CursorForwardOnly),
        CursorRows::Count(count) => count,
        CursorRows::Relative(n) => {
            advance(cursor, n - 1, drop).await?;
            1
        }
    };
    let mut rows = Vec::new();
    advance(cursor, count, |batch| rows.push(batch)).await?;
    Ok(Output::Rows {
        columns,
        batches: Batches::ready(rows),
        tag: "FETCH",
    })
}

/// `MOVE`: what FETCH would do, keeping no rows; the tag counts the rows passed (for
/// `RELATIVE n`, whether it lands on a row; for `MOVE 0`, whether it sits on one), as
/// PostgreSQL's does.
pub(crate) async fn move_by(session: &mut Session, name: &str, rows: CursorRows) -> Result<Output> {
    let cursor = cursor(session, name)?;
    let moved = match rows {
        CursorRows::All => advance(cursor, u64::MAX, drop).await?,
        CursorRows::Count(0) => usize::from(cursor.on_row()),
        CursorRows::Count(count) => advance(cursor, count, drop).await?,
        CursorRows::Relative(n) => {
            advance(cursor, n - 1, drop).await?;
            advance(cursor, 1, drop).await?
        }
    };
    Ok(Output::Command {
        tag: "MOVE",
        rows: Some(moved),
    })
}

fn cursor<'s>(session: &'s mut Session, name: &str) -> Result<&'s mut Cursor> {
    session
        .cursors_mut()
        .get_mut(name)
        .ok_or_else(|| Error::UndefinedCursor(name.to_owned()))
}

/// Passes up to `count` rows of `cursor` to `take`, batch by batch, holding back what is left
/// of the last batch; the number of rows passed. Keeps PostgreSQL's position flags: a read
/// that passed a row leaves the start, one that passed fewer rows than asked reached the end
/// (a read of 0 rows moves neither).
async fn advance(
    cursor: &mut Cursor,
    count: u64,
    mut take: impl FnMut(RecordBatch),
) -> Result<usize> {
    if count == 0 || cursor.at_end {
        return Ok(0);
    }
    let batches = cursor
        .batches
        .get_mut()
        .unwrap_or_else(PoisonError::into_inner);
    let mut wanted = usize::try_from(count).unwrap_or(usize::MAX);
    let mut passed = 0;
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
            take(batch.slice(0, wanted));
            passed += wanted;
            wanted = 0;
            break;
        }
        wanted -= batch.num_rows();
        passed += batch.num_rows();
        take(batch);
    }
    cursor.at_start &= passed == 0;
    cursor.at_end = wanted > 0;
    Ok(passed)
}

/// `CLOSE name`, or every cursor (`None`).
pub(crate) fn close(session: &mut Session, name: Option<&str>) -> Result<Output> {
    match name {
        Some(name) => {
            if !session.cursors_mut().remove(name) {
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
