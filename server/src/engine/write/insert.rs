//! INSERT: the rows a statement gives (constant VALUES read directly, anything else through a
//! DataFusion query), sealed as new documents — or, for an id whose document was deleted, as
//! its next revision. COPY FROM of documents inserts its rows through `insert_rows` too;
//! `ON CONFLICT` is `upsert.rs`'s, which builds on `Proposed` and `inserted`.
//!
//! Invariants:
//! - Only the writable document columns take values; a generated one is refused (0A000) and
//!   an unknown one is 42703.
//! - Without ON CONFLICT, an id that names a live document is 23505; nothing of the statement
//!   is written then.
//! - `data` is required (23502) and must be JSON (22P02).

use std::collections::HashSet;

use datafusion::sql::sqlparser::ast::{Insert, Statement, TableObject};
use mindoodb_protocol::{AuthorClock, DocId, EntryKind, KeyName};
use mindoodb_storage::TableInfo;

use super::direct;
use super::returning::{self, Returning};
use super::revision::{self, Revision};
use super::upsert::OnConflict;
use crate::catalog::doc_columns::{DOC_COLUMNS, doc_column, idx, writable_columns};
use crate::catalog::names;
use crate::engine::read::query;
use crate::engine::read::row::{Row, written_row};
use crate::engine::read::visible::Current;
use crate::engine::session::Session;
use crate::engine::session::clock;
use crate::error::{Error, Result};
use crate::output::Output;

/// The document columns a write names, already folded (indices into `DOC_COLUMNS`): the
/// writable ones when it names none. `verb` says what is refused ("inserted", "copied into").
pub(crate) fn targets(columns: Vec<String>, verb: &str) -> Result<Vec<usize>> {
    if columns.is_empty() {
        return Ok(writable_columns()
            .filter_map(|name| doc_column(name).map(|(idx, _)| idx))
            .collect());
    }
    let mut targets = Vec::with_capacity(columns.len());
    for name in columns {
        let (idx, doc_column) =
            doc_column(&name).ok_or_else(|| Error::UndefinedColumn(name.clone()))?;
        if !doc_column.writable {
            return Err(Error::FeatureNotSupported(format!(
                "column \"{name}\" is generated and cannot be {verb}"
            )));
        }
        if targets.contains(&idx) {
            return Err(Error::Syntax(format!(
                "column \"{name}\" specified more than once"
            )));
        }
        targets.push(idx);
    }
    Ok(targets)
}

/// INSERT INTO table [(columns)] VALUES ... | query [RETURNING ...].
pub(crate) async fn insert(session: &mut Session, insert: Insert) -> Result<Output> {
    let TableObject::TableName(name) = &insert.table else {
        return Err(Error::FeatureNotSupported(
            "INSERT into a table function".into(),
        ));
    };
    let info = revision::target_table(session, name, "insert into")?;
    let columns = insert
        .columns
        .iter()
        .map(names::single)
        .collect::<Result<Vec<_>>>()?;
    let targets = targets(columns, "inserted")?;
    let on_conflict = OnConflict::of(insert.on, &info, name, insert.table_alias.as_ref())?;
    let returning = Returning::of(insert.returning.as_deref())?;
    let Some(source) = insert.source else {
        return Err(Error::Syntax("INSERT needs VALUES or a query".into()));
    };
    let rows = match direct::values_rows(&source, targets.len()) {
        Some(rows) => rows,
        None => query::rows_as_text(session, Statement::Query(source)).await?,
    };
    let (n, written) = insert_rows(
        session,
        &info,
        &targets,
        rows,
        returning.is_some(),
        on_conflict.as_ref(),
    )
    .await?;
    returning::finish("INSERT 0", n, returning, written)
}

/// Inserts `rows` of `targets` into the table `info`, a row whose id a live document has as
/// `on_conflict` says (without it, 23505); the number of documents written, and their rows
/// when `returning`.
pub(crate) async fn insert_rows(
    session: &mut Session,
    info: &TableInfo,
    targets: &[usize],
    rows: Vec<Vec<Option<String>>>,
    returning: bool,
    on_conflict: Option<&OnConflict>,
) -> Result<(usize, Vec<Row>)> {
    let now = clock::now();
    let mut revisions = Vec::with_capacity(rows.len());
    let mut proposed_ids = HashSet::new();
    for row in rows {
        let proposed = Proposed::of(info, targets, row)?;
        let current = Current::of(
            session.store(),
            session.state(),
            info.table,
            &proposed.doc_id,
        )?;
        let revision = match on_conflict {
            None => Some(inserted(session, proposed, current, now)?),
            Some(on_conflict) => {
                on_conflict
                    .resolve(session, &mut proposed_ids, proposed, current, now)
                    .await?
            }
        };
        revisions.extend(revision);
    }
    let docs = revision::seal_all(session, revisions, now)?;
    let written = if returning {
        docs.iter()
            .map(|doc| written_row(doc.entry.header().doc_id(), doc))
            .collect()
    } else {
        Vec::new()
    };
    let n = docs.len();
    session.write(info.table, docs).await?;
    Ok((n, written))
}

/// A row an INSERT or COPY proposes: the document's id (given or new), its `data` as
/// PostgreSQL's jsonb text, and the name of its key (given or the table's default).
pub(crate) struct Proposed {
    pub(crate) doc_id: DocId,
    pub(crate) data: String,
    pub(crate) key_name: KeyName,
}

impl Proposed {
    /// The row `row` of `targets` (indices into `DOC_COLUMNS`) proposes for `info`.
    pub(crate) fn of(
        info: &TableInfo,
        targets: &[usize],
        row: Vec<Option<String>>,
    ) -> Result<Self> {
        let mut id = None;
        let mut data = None;
        let mut key_id = None;
        for (target, value) in targets.iter().zip(row) {
            match *target {
                idx::ID => id = value,
                idx::DATA => data = value,
                _ => key_id = value,
            }
        }
        let data = data.ok_or_else(|| Error::NotNull(DOC_COLUMNS[idx::DATA].name.into()))?;
        let data = revision::normalize_json(&data)?;
        let doc_id = DocId::new(id.unwrap_or_else(revision::new_doc_id))
            .map_err(|e| Error::InvalidParameter(e.to_string()))?;
        let key_name = match key_id {
            Some(name) => KeyName::new(name).map_err(|e| Error::InvalidParameter(e.to_string()))?,
            None => revision::default_key(info),
        };
        Ok(Proposed {
            doc_id,
            data,
            key_name,
        })
    }
}

/// The revision that inserts `proposed` where the document is `current`: a new document, or
/// the next revision of a deleted one; a live document with that id is 23505.
pub(crate) fn inserted(
    session: &Session,
    proposed: Proposed,
    current: Current,
    now: AuthorClock,
) -> Result<Revision> {
    let key = revision::newest_key(session, &proposed.key_name)?;
    let (kind, parents, created) = match current {
        Current::Absent => (EntryKind::Create, Vec::new(), now),
        Current::Deleted { heads, created } => (EntryKind::Update, heads, created),
        Current::Live { .. } => return Err(Error::UniqueViolation(proposed.doc_id.to_string())),
    };
    Ok(Revision {
        kind,
        key,
        doc_id: proposed.doc_id,
        parents,
        json: Some(proposed.data),
        created,
    })
}
