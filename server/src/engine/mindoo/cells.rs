//! Entries as the cells of the `mindoo.*` functions' rows: operation names, authors, parent
//! lists, and the document's JSON where the session holds its key.
//!
//! Invariants:
//! - `data` is decrypted with the session's keys only; it is NULL for deletes and for keys the
//!   session does not hold. No cell ever carries key material.
//! - Data returned through `read_data_cell` is noted for the read audit of its table.

use mindoodb_protocol::{Entry, EntryKind, open};
use mindoodb_storage::Table;

use crate::engine::read::row;
use crate::engine::read::table_fn::{Cell, FnCtx, Out};
use crate::engine::session::keys::KeySet;
use crate::error::{Error, Result};

/// The document's JSON, when it is not a delete and the session holds its key.
pub(crate) fn data_of(keys: &KeySet, entry: &Entry) -> Result<Option<String>> {
    let header = entry.header();
    if header.kind() == EntryKind::Delete {
        return Ok(None);
    }
    let Some(key) = keys.get(header.key()) else {
        return Ok(None);
    };
    let mut plain = open(entry, key)?;
    String::from_utf8(std::mem::take(&mut *plain))
        .map(Some)
        .map_err(|_| Error::Internal(format!("document {} is not UTF-8", header.doc_id())))
}

/// `data_of` with the keys the session holds now, as a cell.
fn data_cell(ctx: &FnCtx, entry: &Entry) -> Result<Cell> {
    let data = data_of(&ctx.state.read().keys, entry)?;
    Ok(data.map_or(Cell::Null, Cell::Json))
}

/// `data_cell`, noting the document as read (`Out::read`) when its data is returned.
pub(crate) fn read_data_cell(
    ctx: &FnCtx,
    out: &mut Out<'_>,
    table: Table,
    entry: &Entry,
) -> Result<Cell> {
    let cell = data_cell(ctx, entry)?;
    if !matches!(cell, Cell::Null) {
        out.read(table, entry.header().doc_id().as_str());
    }
    Ok(cell)
}

/// The change an entry makes, as the feeds name it.
pub(crate) fn op(kind: EntryKind) -> Cell {
    Cell::Text(
        match kind {
            EntryKind::Create => "insert",
            EntryKind::Update => "update",
            EntryKind::Delete => "delete",
        }
        .into(),
    )
}

/// The role a node key signed for, else the signer's public key.
pub(crate) fn author(entry: &Entry) -> Cell {
    Cell::Text(row::author(entry.header()))
}

/// The entry's parents as a JSON array of hashes.
pub(crate) fn parents(entry: &Entry) -> Cell {
    let hashes: Vec<String> = entry
        .header()
        .parents()
        .iter()
        .map(ToString::to_string)
        .collect();
    Cell::Json(serde_json::to_string(&hashes).unwrap_or_default())
}
