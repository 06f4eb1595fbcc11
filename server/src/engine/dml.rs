//! INSERT, UPDATE and DELETE: find the documents with a DataFusion SELECT over the same table,
//! then seal and append new revisions. Nothing goes through DataFusion's own DML.
//!
//! Invariants:
//! - Every write names the document's current heads as parents; if the revision a statement read
//!   is no longer the winner when it writes, the statement fails with 40001 instead of
//!   overwriting someone else's change.
//! - A write uses the newest version of its key that the session holds; without it, 42501.
//! - Document bodies are validated JSON before they are sealed.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::array::{Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::sql::sqlparser::ast::{
    AssignmentTarget, Expr, FromTable, ObjectName, SelectItem, Statement, TableFactor, TableObject,
    Value as SqlValue, visit_expressions, visit_expressions_mut,
};
use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryHash, EntryKind, KeyName, Nonce, seal,
};
use mindoodb_storage::{Table, TableInfo};

use super::dml_direct;
use super::query::{self, from_datafusion};
use super::row::{Projection, Row, written_row};
use super::session::Session;
use super::txn::PendingDoc;
use super::views::relation_name;
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType, Value};

/// Replaces `$n` placeholders with literals, for statements DataFusion does not plan.
pub(crate) fn bind(statement: &mut Statement, params: &[Value]) -> Result<()> {
    let mut failure = None;
    let _ = visit_expressions_mut(statement, |expr| {
        if let Expr::Value(value) = expr
            && let SqlValue::Placeholder(name) = &value.value
        {
            let literal = name
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| params.get(n.checked_sub(1)?));
            match literal {
                Some(param) => *expr = Expr::value(literal_of(param)),
                None => {
                    failure = Some(Error::InvalidParameter(format!(
                        "no value bound for {name}"
                    )));
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    });
    failure.map_or(Ok(()), Err)
}

/// The highest `$n` in a statement.
pub(crate) fn count_placeholders(statement: &Statement) -> usize {
    let mut max = 0;
    let _ = visit_expressions(statement, |expr| {
        if let Expr::Value(value) = expr
            && let SqlValue::Placeholder(name) = &value.value
            && let Some(n) = name.strip_prefix('$').and_then(|n| n.parse::<usize>().ok())
        {
            max = max.max(n);
        }
        ControlFlow::<()>::Continue(())
    });
    max
}

/// The columns RETURNING produces.
pub(crate) fn returning_columns(statement: &Statement) -> Vec<Column> {
    let items = match statement {
        Statement::Insert(insert) => insert.returning.as_ref(),
        Statement::Update(update) => update.returning.as_ref(),
        Statement::Delete(delete) => delete.returning.as_ref(),
        _ => None,
    };
    items.map_or_else(Vec::new, |items| {
        returning_plan(items).map(|p| p.columns).unwrap_or_default()
    })
}

pub(crate) async fn insert(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::Insert(insert) = statement else {
        return Err(Error::Internal("not an INSERT".into()));
    };
    let TableObject::TableName(name) = &insert.table else {
        return Err(Error::FeatureNotSupported(
            "INSERT into a table function".into(),
        ));
    };
    let info = table_info(session, name, "insert into")?;
    let targets: Vec<String> = if insert.columns.is_empty() {
        vec!["id".into(), "data".into(), "key_id".into()]
    } else {
        insert
            .columns
            .iter()
            .map(|c| c.to_string().to_lowercase())
            .collect()
    };
    for target in &targets {
        if !matches!(target.as_str(), "id" | "data" | "key_id") {
            return Err(Error::FeatureNotSupported(format!(
                "column \"{target}\" is generated and cannot be inserted"
            )));
        }
    }
    let returning = insert
        .returning
        .as_deref()
        .map(returning_plan)
        .transpose()?;
    let Some(source) = insert.source else {
        return Err(Error::Syntax("INSERT needs VALUES or a query".into()));
    };
    let rows = match dml_direct::values_rows(&source, targets.len()) {
        Some(rows) => rows,
        None => select_text(session, Statement::Query(source)).await?,
    };
    let now = now();
    let mut revisions = Vec::with_capacity(rows.len());
    for row in rows {
        let mut id = None;
        let mut data = None;
        let mut key_id = None;
        for (target, value) in targets.iter().zip(row) {
            match target.as_str() {
                "id" => id = value,
                "data" => data = value,
                _ => key_id = value,
            }
        }
        let data = normalize_json(&data.ok_or_else(|| Error::NotNull("data".into()))?)?;
        let doc_id = DocId::new(id.unwrap_or_else(new_doc_id))
            .map_err(|e| Error::InvalidParameter(e.to_string()))?;
        let key_name = match key_id {
            Some(name) => KeyName::new(name).map_err(|e| Error::InvalidParameter(e.to_string()))?,
            None => info.default_key.clone().unwrap_or_else(default_key),
        };
        let key = newest_key(session, &key_name)?;
        let (kind, parents, created) = match current(session, info.table, &doc_id)? {
            Current::Absent => (EntryKind::Create, Vec::new(), now),
            Current::Deleted { heads, created } => (EntryKind::Update, heads, created),
            Current::Live { .. } => return Err(Error::UniqueViolation(doc_id.to_string())),
        };
        revisions.push(Revision {
            kind,
            doc_id,
            parents,
            json: Some(data),
            key,
            created,
        });
    }
    let docs = seal_revisions(session, revisions, now)?;
    let out_rows = match returning {
        Some(_) => docs
            .iter()
            .map(|doc| written_row(doc.entry.header().doc_id(), doc))
            .collect(),
        None => Vec::new(),
    };
    let n = docs.len();
    session.write(info.table, docs).await?;
    finish("INSERT 0", n, returning, out_rows)
}

pub(crate) async fn update(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::Update(update) = statement else {
        return Err(Error::Internal("not an UPDATE".into()));
    };
    let TableFactor::Table { name, .. } = &update.table.relation else {
        return Err(Error::FeatureNotSupported(
            "UPDATE of something other than a table".into(),
        ));
    };
    if update.from.is_some() || !update.table.joins.is_empty() {
        return Err(Error::FeatureNotSupported("UPDATE ... FROM".into()));
    }
    let info = table_info(session, name, "update")?;
    let mut new_data = None;
    for assignment in &update.assignments {
        let AssignmentTarget::ColumnName(column) = &assignment.target else {
            return Err(Error::FeatureNotSupported("tuple assignment".into()));
        };
        match column.to_string().to_lowercase().as_str() {
            "data" => new_data = Some(assignment.value.to_string()),
            other => {
                return Err(Error::FeatureNotSupported(format!(
                    "column \"{other}\" is generated and cannot be updated"
                )));
            }
        }
    }
    let new_data = new_data.ok_or_else(|| Error::Syntax("UPDATE must set data".into()))?;
    let returning = update
        .returning
        .as_deref()
        .map(returning_plan)
        .transpose()?;
    let direct = update
        .selection
        .as_ref()
        .and_then(dml_direct::id_equals)
        .zip(
            update
                .assignments
                .last()
                .and_then(|a| dml_direct::constant_text(&a.value)),
        );
    let rows = match direct {
        Some((id, data)) => dml_direct::doc_row(session, info.table, &id)?
            .map(|row| vec![Some(row.id), Some(row.rev), Some(row.key_id), data.clone()])
            .into_iter()
            .collect(),
        None => {
            let filter = update
                .selection
                .as_ref()
                .map_or_else(String::new, |s| format!(" WHERE {s}"));
            let sql = format!("SELECT id, rev, key_id, ({new_data}) FROM {name}{filter}");
            select_sql(session, &sql).await?
        }
    };
    let now = now();
    let mut docs = Vec::with_capacity(rows.len());
    let mut out_rows = Vec::new();
    for row in rows {
        let [Some(id), Some(rev), Some(key_id), data] = <[Option<String>; 4]>::try_from(row)
            .map_err(|_| Error::Internal("update row shape".into()))?
        else {
            return Err(Error::Internal("update row without id".into()));
        };
        let data = normalize_json(&data.ok_or_else(|| Error::NotNull("data".into()))?)?;
        let doc_id = DocId::new(id).map_err(|e| Error::Internal(e.to_string()))?;
        let key = newest_key(session, &KeyName::new(key_id)?)?;
        let (heads, created) = live_heads(session, info.table, &doc_id, &rev)?;
        let pending = seal_revision(
            session,
            EntryKind::Update,
            &doc_id,
            heads,
            Some(&data),
            &key,
            now,
            created,
        )?;
        if returning.is_some() {
            out_rows.push(written_row(&doc_id, &pending));
        }
        docs.push(pending);
    }
    let n = docs.len();
    session.write(info.table, docs).await?;
    finish("UPDATE", n, returning, out_rows)
}

pub(crate) async fn delete(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::Delete(delete) = statement else {
        return Err(Error::Internal("not a DELETE".into()));
    };
    let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) = &delete.from;
    let [table] = tables.as_slice() else {
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
    let info = table_info(session, name, "delete from")?;
    let returning = delete
        .returning
        .as_deref()
        .map(returning_plan)
        .transpose()?;
    let rows = match delete.selection.as_ref().and_then(dml_direct::id_equals) {
        Some(id) => dml_direct::doc_row(session, info.table, &id)?
            .map(|row| {
                vec![
                    Some(row.id),
                    Some(row.rev),
                    Some(row.key_id),
                    Some(row.data),
                ]
            })
            .into_iter()
            .collect(),
        None => {
            let filter = delete
                .selection
                .as_ref()
                .map_or_else(String::new, |s| format!(" WHERE {s}"));
            select_sql(
                session,
                &format!("SELECT id, rev, key_id, data FROM {name}{filter}"),
            )
            .await?
        }
    };
    let now = now();
    let mut docs = Vec::with_capacity(rows.len());
    let mut out_rows = Vec::new();
    for row in rows {
        let [Some(id), Some(rev), Some(key_id), data] = <[Option<String>; 4]>::try_from(row)
            .map_err(|_| Error::Internal("delete row shape".into()))?
        else {
            return Err(Error::Internal("delete row without id".into()));
        };
        let doc_id = DocId::new(id).map_err(|e| Error::Internal(e.to_string()))?;
        let key = newest_key(session, &KeyName::new(key_id)?)?;
        let (heads, created) = live_heads(session, info.table, &doc_id, &rev)?;
        let pending = seal_revision(
            session,
            EntryKind::Delete,
            &doc_id,
            heads,
            None,
            &key,
            now,
            created,
        )?;
        if returning.is_some() {
            let mut row = written_row(&doc_id, &pending);
            row.data = data.unwrap_or_default();
            out_rows.push(row);
        }
        docs.push(pending);
    }
    let n = docs.len();
    session.write(info.table, docs).await?;
    finish("DELETE", n, returning, out_rows)
}

/// RETURNING as the list of document columns it names.
struct Returning {
    columns: Vec<Column>,
    indices: Vec<usize>,
}

const DOC_COLUMNS: [(&str, PgType); 8] = [
    ("id", PgType::Text),
    ("data", PgType::Jsonb),
    ("rev", PgType::Text),
    ("seq", PgType::Int8),
    ("key_id", PgType::Text),
    ("author", PgType::Text),
    ("created_at", PgType::Timestamptz),
    ("updated_at", PgType::Timestamptz),
];

fn returning_plan(items: &[SelectItem]) -> Result<Returning> {
    let mut plan = Returning {
        columns: Vec::new(),
        indices: Vec::new(),
    };
    for item in items {
        let (name, alias) = match item {
            SelectItem::Wildcard(_) => {
                for (idx, (name, pg_type)) in DOC_COLUMNS.iter().enumerate() {
                    plan.columns.push(Column {
                        name: (*name).into(),
                        pg_type: *pg_type,
                    });
                    plan.indices.push(idx);
                }
                continue;
            }
            SelectItem::UnnamedExpr(Expr::Identifier(ident)) => (ident.value.to_lowercase(), None),
            SelectItem::ExprWithAlias {
                expr: Expr::Identifier(ident),
                alias,
            } => (ident.value.to_lowercase(), Some(alias.value.clone())),
            other => {
                return Err(Error::FeatureNotSupported(format!(
                    "RETURNING {other}: name columns or use *"
                )));
            }
        };
        let idx = DOC_COLUMNS
            .iter()
            .position(|(n, _)| *n == name)
            .ok_or_else(|| Error::UndefinedColumn(name.clone()))?;
        plan.columns.push(Column {
            name: alias.unwrap_or(name),
            pg_type: DOC_COLUMNS[idx].1,
        });
        plan.indices.push(idx);
    }
    Ok(plan)
}

fn finish(
    tag: &'static str,
    n: usize,
    returning: Option<Returning>,
    rows: Vec<Row>,
) -> Result<Output> {
    let Some(returning) = returning else {
        return Ok(Output::Command { tag, rows: Some(n) });
    };
    let batch = Projection::all().batch(&rows)?;
    let projected = batch
        .project(&returning.indices)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let schema = datafusion::common::DFSchema::try_from(projected.schema().as_ref().clone())
        .map_err(from_datafusion)?;
    let names = returning.columns.iter().map(|c| c.name.clone()).collect();
    let (columns, batches) = query::shape(&schema, names, vec![projected])?;
    Ok(Output::Rows {
        columns,
        batches,
        tag,
    })
}

enum Current {
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

/// The document's state as this session sees it: its own pending write, else the store.
fn current(session: &Session, table: Table, doc_id: &DocId) -> Result<Current> {
    if let Some(pending) = session.read_state().pending.doc(table, doc_id) {
        let heads = vec![pending.entry.hash()];
        return Ok(if pending.json.is_none() {
            Current::Deleted {
                heads,
                created: pending.created,
            }
        } else {
            Current::Live {
                winner: pending.entry.hash(),
                heads,
                created: pending.created,
            }
        });
    }
    let Some(doc) = session.engine.store().snapshot().doc(table, doc_id)? else {
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

/// The heads to name as parents, provided the revision the statement read is still current.
fn live_heads(
    session: &Session,
    table: Table,
    doc_id: &DocId,
    read_rev: &str,
) -> Result<(Vec<EntryHash>, AuthorClock)> {
    match current(session, table, doc_id)? {
        Current::Live {
            heads,
            winner,
            created,
        } if winner.to_string() == read_rev => Ok((heads, created)),
        _ => Err(Error::SerializationFailure(doc_id.to_string())),
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one revision's fields; a struct would only rename them"
)]
fn seal_revision(
    session: &Session,
    kind: EntryKind,
    doc_id: &DocId,
    parents: Vec<EntryHash>,
    json: Option<&str>,
    key: &DataKey,
    now: AuthorClock,
    created: AuthorClock,
) -> Result<PendingDoc> {
    let identity = session.read_state().keys.identity().cloned();
    let (signer, role) = match &identity {
        Some(identity) => (identity.as_ref(), String::new()),
        None => (&session.engine.node, session.role.name.clone()),
    };
    let draft = Draft {
        kind,
        doc_id: doc_id.clone(),
        parents,
        clock: now,
        signer_role: role,
    };
    let entry = seal(
        draft,
        json.unwrap_or("").as_bytes(),
        key,
        signer,
        Nonce::random()?,
    )?;
    Ok(PendingDoc {
        entry,
        json: json.map(str::to_owned),
        created,
    })
}

/// A revision to seal: what `seal_revision` takes, owned, so that it can move to a thread.
struct Revision {
    kind: EntryKind,
    doc_id: DocId,
    parents: Vec<EntryHash>,
    json: Option<String>,
    key: Arc<DataKey>,
    created: AuthorClock,
}

/// Rows from which sealing is spread over every core: below it, starting threads costs more
/// than it saves (one seal is tens of microseconds, mostly the Ed25519 signature).
const PARALLEL_SEAL_ROWS: usize = 32;

/// Seals `revisions` in order, on all cores when there are many (multi-row INSERT, COPY).
fn seal_revisions(
    session: &Session,
    revisions: Vec<Revision>,
    now: AuthorClock,
) -> Result<Vec<PendingDoc>> {
    let seal_one = |rev: Revision| {
        let pending = seal_revision(
            session,
            rev.kind,
            &rev.doc_id,
            rev.parents,
            rev.json.as_deref(),
            &rev.key,
            now,
            rev.created,
        )?;
        Ok(pending)
    };
    // Only a batch worth splitting asks for the core count: std reads it from cgroup files,
    // which took a sixth of the CPU of a one-row INSERT (profiled, 16 clients).
    let threads = if revisions.len() < PARALLEL_SEAL_ROWS {
        1
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    };
    if threads < 2 {
        return revisions.into_iter().map(seal_one).collect();
    }
    let per_thread = revisions.len().div_ceil(threads);
    let mut chunks = Vec::with_capacity(threads);
    let mut revisions = revisions.into_iter();
    loop {
        let chunk: Vec<Revision> = revisions.by_ref().take(per_thread).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(|| chunk.into_iter().map(seal_one).collect::<Result<Vec<_>>>())
            })
            .collect();
        let mut docs = Vec::new();
        for handle in handles {
            let sealed = handle
                .join()
                .map_err(|_| Error::Internal("a sealing thread panicked".into()))?;
            docs.extend(sealed?);
        }
        Ok(docs)
    })
}

fn newest_key(session: &Session, name: &KeyName) -> Result<Arc<DataKey>> {
    session
        .read_state()
        .keys
        .newest(name)
        .cloned()
        .ok_or_else(|| {
            Error::NotAllowed(format!(
                "this session holds no key \"{name}\"; SET mindoo.keys or mindoo.unlock first"
            ))
        })
}

/// The table a write names; a view is refused (views are read-only).
pub(crate) fn table_info(
    session: &Session,
    name: &ObjectName,
    verb: &'static str,
) -> Result<TableInfo> {
    let name = relation_name(name)?;
    let store = session.engine.store();
    if let Some(info) = store.table(session.tenant.id, &name) {
        return Ok(info);
    }
    if store.view(session.tenant.id, &name).is_some() {
        return Err(Error::ReadOnlyView { verb, name });
    }
    Err(Error::UndefinedTable(name))
}

fn default_key() -> KeyName {
    KeyName::new("default").unwrap_or_else(|_| unreachable!("'default' is a valid key name"))
}

/// Parses JSON text and gives back its compact form, or 22P02.
pub(crate) fn normalize_json(text: &str) -> Result<String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::InvalidJson(e.to_string()))?;
    Ok(value.to_string())
}

/// A time-sortable id: 12 hex digits of milliseconds, then 12 random hex digits.
fn new_doc_id() -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut random = [0u8; 6];
    // The OS random source failing leaves zeros: ids stay unique by time and the
    // store's duplicate check refuses a clash.
    let _ = getrandom::fill(&mut random);
    let mut id = format!("{:012x}", millis & 0xffff_ffff_ffff);
    for b in random {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

fn now() -> AuthorClock {
    AuthorClock(chrono::Utc::now().timestamp_micros())
}

/// Runs `statement` through DataFusion and returns every cell as text.
async fn select_text(
    session: &mut Session,
    statement: Statement,
) -> Result<Vec<Vec<Option<String>>>> {
    let plan = session.plan_query(statement).await?;
    let frame = session
        .ctx
        .execute_logical_plan(plan)
        .await
        .map_err(from_datafusion)?;
    let batches = frame.collect().await.map_err(from_datafusion)?;
    let mut rows = Vec::new();
    for batch in batches {
        let columns = batch
            .columns()
            .iter()
            .map(|c| cast(c, &DataType::Utf8).map_err(|e| Error::InvalidParameter(e.to_string())))
            .collect::<Result<Vec<_>>>()?;
        let columns: Vec<&StringArray> = columns
            .iter()
            .map(|c| {
                c.as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| Error::Internal("cast to text".into()))
            })
            .collect::<Result<_>>()?;
        for row in 0..batch.num_rows() {
            rows.push(
                columns
                    .iter()
                    .map(|c| (!c.is_null(row)).then(|| c.value(row).to_owned()))
                    .collect(),
            );
        }
    }
    Ok(rows)
}

async fn select_sql(session: &mut Session, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
    let mut statements = super::classify::parse(sql)?;
    let statement = statements
        .pop()
        .ok_or_else(|| Error::Internal("empty generated query".into()))?;
    select_text(session, statement).await
}

fn literal_of(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Boolean(*b),
        Value::Int(i) => SqlValue::Number(i.to_string(), false),
        Value::Float(f) => SqlValue::Number(f.to_string(), false),
        Value::Text(s) | Value::Jsonb(s) => SqlValue::SingleQuotedString(s.clone()),
        Value::Bytea(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            SqlValue::SingleQuotedString(format!("\\x{hex}"))
        }
        Value::Timestamptz(us) => SqlValue::SingleQuotedString(
            chrono::DateTime::from_timestamp_micros(*us)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default(),
        ),
    }
}
