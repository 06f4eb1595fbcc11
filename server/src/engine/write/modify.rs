//! UPDATE and DELETE: find the documents with a SELECT over the same table and WHERE clause
//! (built as an AST, `select.rs`, and planned by DataFusion — or, for one id and constant
//! data, read directly by `direct.rs`), then seal and append one new revision per document in
//! one loop, on every core when there are many. Nothing goes through DataFusion's own DML.
//!
//! Invariants:
//! - Every write names the document's current heads as parents; if the revision a statement
//!   read is no longer the winner when it writes, the statement fails with 40001 instead of
//!   overwriting someone else's change.
//! - UPDATE may set only `data`; a generated column is 0A000.
//! - A DELETE appends a tombstone; RETURNING shows the document as it was.

use datafusion::sql::sqlparser::ast::{
    Assignment, AssignmentTarget, Delete, Expr, FromTable, Ident, TableFactor, TableWithJoins,
    Update,
};
use mindoodb_protocol::{DocId, EntryKind, KeyName};

use super::direct;
use super::returning::{self, Returning};
use super::revision::{self, Revision};
use crate::catalog::doc_columns::doc_column;
use crate::catalog::names;
use crate::engine::read::query;
use crate::engine::read::row::written_row;
use crate::engine::read::visible::Current;
use crate::engine::session::Session;
use crate::engine::session::clock;
use crate::engine::sql::ast::select;
use crate::error::{Error, Result};
use crate::output::Output;

/// What a statement does to each document it finds.
enum Change {
    /// UPDATE: the new `data`, an expression over the old document.
    Update(Box<Expr>),
    Delete,
}

/// One document found: its id, the revision read, its key, and the new `data` (UPDATE) or
/// the old one (DELETE, for RETURNING).
type Found = [Option<String>; 4];

/// UPDATE table SET data = ... [WHERE ...] [RETURNING ...].
pub(crate) async fn update(session: &mut Session, update: Update) -> Result<Output> {
    let TableFactor::Table { name, .. } = &update.table.relation else {
        return Err(Error::FeatureNotSupported(
            "UPDATE of something other than a table".into(),
        ));
    };
    if update.from.is_some() || !update.table.joins.is_empty() {
        return Err(Error::FeatureNotSupported("UPDATE ... FROM".into()));
    }
    let new_data = assigned_data(update.assignments)?;
    let info = revision::target_table(session, name, "update")?;
    let returning = Returning::of(update.returning.as_deref())?;
    let direct = update
        .selection
        .as_ref()
        .and_then(direct::id_equals)
        .zip(direct::constant_text(&new_data));
    let found = match direct {
        Some((id, data)) => direct::doc_row(session, info.table, &id)?
            .map(|row| [Some(row.id), Some(row.rev), Some(row.key_id), data])
            .into_iter()
            .collect(),
        None => {
            find(
                session,
                update.table,
                update.selection,
                Change::Update(Box::new(new_data)),
            )
            .await?
        }
    };
    modify(session, &info, EntryKind::Update, found, returning).await
}

/// The new `data` that `SET` assignments give (UPDATE's, and INSERT ... ON CONFLICT DO
/// UPDATE's): only `data` may be set, once.
pub(crate) fn assigned_data(assignments: Vec<Assignment>) -> Result<Expr> {
    let mut new_data = None;
    for assignment in assignments {
        let AssignmentTarget::ColumnName(column) = &assignment.target else {
            return Err(Error::FeatureNotSupported("tuple assignment".into()));
        };
        let column = names::single(column)?;
        match doc_column(&column) {
            Some((_, c)) if c.name == "data" => {
                if new_data.replace(assignment.value).is_some() {
                    return Err(Error::Syntax(format!(
                        "multiple assignments to same column \"{column}\""
                    )));
                }
            }
            Some(_) => {
                return Err(Error::FeatureNotSupported(format!(
                    "column \"{column}\" is generated and cannot be updated"
                )));
            }
            None => return Err(Error::UndefinedColumn(column)),
        }
    }
    new_data.ok_or_else(|| Error::Syntax("UPDATE must set data".into()))
}

/// DELETE FROM table [WHERE ...] [RETURNING ...].
pub(crate) async fn delete(session: &mut Session, delete: Delete) -> Result<Output> {
    let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) = delete.from;
    let Ok([table]) = <[TableWithJoins; 1]>::try_from(tables) else {
        return Err(Error::FeatureNotSupported(
            "DELETE from several tables".into(),
        ));
    };
    let TableFactor::Table { name, .. } = &table.relation else {
        return Err(Error::FeatureNotSupported(
            "DELETE from something other than a table".into(),
        ));
    };
    if delete.using.is_some() {
        return Err(Error::FeatureNotSupported("DELETE ... USING".into()));
    }
    let info = revision::target_table(session, name, "delete from")?;
    let returning = Returning::of(delete.returning.as_deref())?;
    let found = match delete.selection.as_ref().and_then(direct::id_equals) {
        Some(id) => direct::doc_row(session, info.table, &id)?
            .map(|row| {
                [
                    Some(row.id),
                    Some(row.rev),
                    Some(row.key_id),
                    Some(row.data),
                ]
            })
            .into_iter()
            .collect(),
        None => find(session, table, delete.selection, Change::Delete).await?,
    };
    modify(session, &info, EntryKind::Delete, found, returning).await
}

/// The documents `selection` finds in `table`, through DataFusion.
async fn find(
    session: &mut Session,
    table: TableWithJoins,
    selection: Option<Expr>,
    change: Change,
) -> Result<Vec<Found>> {
    let column = |name: &str| Expr::Identifier(Ident::new(name));
    let data = match change {
        Change::Update(new_data) => Expr::Nested(new_data),
        Change::Delete => column("data"),
    };
    let projection = vec![column("id"), column("rev"), column("key_id"), data];
    let rows = query::rows_as_text(session, select(projection, Some(table), selection)).await?;
    rows.into_iter()
        .map(|row| <Found>::try_from(row).map_err(|_| Error::Internal("found row shape".into())))
        .collect()
}

/// Seals one revision of `kind` per found document and writes them; UPDATE's `data` is the
/// new document, DELETE's the old one (for RETURNING).
async fn modify(
    session: &mut Session,
    info: &mindoodb_storage::TableInfo,
    kind: EntryKind,
    found: Vec<Found>,
    returning: Option<Returning>,
) -> Result<Output> {
    let now = clock::now();
    let mut revisions = Vec::with_capacity(found.len());
    let mut old_data = Vec::new();
    for [id, rev, key_id, data] in found {
        let (Some(id), Some(rev), Some(key_id)) = (id, rev, key_id) else {
            return Err(Error::Internal("a found row without id, rev or key".into()));
        };
        let doc_id = DocId::new(id).map_err(|e| Error::Internal(e.to_string()))?;
        let key = revision::newest_key(session, &KeyName::new(key_id)?)?;
        let (parents, created) =
            Current::of(session.store(), session.state(), info.table, &doc_id)?
                .live_heads(&doc_id, &rev)?;
        let json = match kind {
            EntryKind::Delete => {
                if returning.is_some() {
                    old_data.push(data.unwrap_or_default());
                }
                None
            }
            EntryKind::Create | EntryKind::Update => {
                let data = data.ok_or_else(|| Error::NotNull("data".into()))?;
                Some(revision::normalize_json(&data)?)
            }
        };
        revisions.push(Revision {
            kind,
            doc_id,
            parents,
            json,
            key,
            created,
        });
    }
    let docs = revision::seal_all(session, revisions, now)?;
    let mut written = Vec::new();
    if returning.is_some() {
        written = docs
            .iter()
            .map(|doc| written_row(doc.entry.header().doc_id(), doc))
            .collect();
        for (row, data) in written.iter_mut().zip(old_data) {
            row.data = data;
        }
    }
    let n = docs.len();
    session.write(info.table, docs).await?;
    let tag = match kind {
        EntryKind::Delete => "DELETE",
        EntryKind::Create | EntryKind::Update => "UPDATE",
    };
    returning::finish(tag, n, returning, written)
}
