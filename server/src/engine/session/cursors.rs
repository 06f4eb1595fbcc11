//! A session's open SQL cursors (`read/cursor.rs` runs DECLARE, FETCH and CLOSE on them).
//!
//! Invariants:
//! - A cursor holds its query's row stream and at most the rest of one batch, never its rows.
//! - Cursors end with their transaction block (`Session::txn_command` clears them).

use std::collections::HashMap;
use std::sync::Mutex;

use datafusion::arrow::record_batch::RecordBatch;

use crate::output::{Batches, Column};

/// An open cursor: its columns and the rows not fetched yet.
pub(crate) struct Cursor {
    pub(crate) columns: Vec<Column>,
    /// No row was read yet (PostgreSQL's `atStart`).
    pub(crate) at_start: bool,
    /// A read ran out of rows (`atEnd`). Between the two the cursor sits on a row.
    pub(crate) at_end: bool,
    /// Rows of a batch a FETCH took only part of.
    pub(crate) held: Option<RecordBatch>,
    /// The rest. (A Mutex only to make the session `Sync`; FETCH owns the cursor and never
    /// locks it.)
    pub(crate) batches: Mutex<Batches>,
}

impl Cursor {
    pub(crate) fn new(columns: Vec<Column>, batches: Batches) -> Cursor {
        Cursor {
            columns,
            at_start: true,
            at_end: false,
            held: None,
            batches: Mutex::new(batches),
        }
    }

    /// True when the cursor sits on a row: one was read and the rows did not run out.
    pub(crate) fn on_row(&self) -> bool {
        !self.at_start && !self.at_end
    }
}

/// A session's cursors, by folded name.
#[derive(Default)]
pub(crate) struct Cursors(HashMap<String, Cursor>);

impl Cursors {
    /// The columns FETCH from cursor `name` returns, for Describe; `None` without such a cursor.
    pub(crate) fn columns(&self, name: &str) -> Option<Vec<Column>> {
        self.0.get(name).map(|cursor| cursor.columns.clone())
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    pub(crate) fn insert(&mut self, name: String, cursor: Cursor) {
        self.0.insert(name, cursor);
    }

    pub(crate) fn get_mut(&mut self, name: &str) -> Option<&mut Cursor> {
        self.0.get_mut(name)
    }

    /// Closes cursor `name`; false when there was none.
    pub(crate) fn remove(&mut self, name: &str) -> bool {
        self.0.remove(name).is_some()
    }

    /// Closes every cursor (the block ended).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}
