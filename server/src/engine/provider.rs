//! Document tables as DataFusion tables: reads a RocksDB snapshot, overlays the session's
//! uncommitted writes, and decrypts with the session's keys.
//!
//! Invariants:
//! - Rows whose key the session does not hold are never returned (like row-level security).
//! - Deleted documents are not rows; uncommitted writes of this session are (read-your-writes).
//! - Every table has the columns of DESIGN §2, in `doc_schema()` order.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use async_trait::async_trait;
use datafusion::arrow::array::{
    ArrayRef, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{SchemaProvider, Session as DfSession, TableProvider};
use datafusion::common::{Result as DfResult, ScalarValue};
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::logical_expr::{
    BinaryExpr, Expr, Operator, TableProviderFilterPushDown, TableType,
};
use datafusion::physical_plan::ExecutionPlan;
use mindoodb_protocol::{DocId, EntryKind, open};
use mindoodb_storage::{Document, Store, Table, TenantId};

use super::json::jsonb_field;
use super::keyring::KeySet;
use super::session::{Pending, PendingDoc};
use crate::error::Error;

/// Documents read per storage page while scanning.
const PAGE: usize = 1024;

/// What a session's tables read through: its keys and its uncommitted writes.
#[derive(Default)]
pub(crate) struct ReadState {
    pub(crate) keys: KeySet,
    pub(crate) pending: Pending,
}

pub(crate) type SharedState = Arc<RwLock<ReadState>>;

/// The columns every document table has.
pub(crate) fn doc_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        jsonb_field("data", true),
        Field::new("rev", DataType::Utf8, true),
        Field::new("seq", DataType::Int64, true),
        Field::new("key_id", DataType::Utf8, false),
        Field::new("author", DataType::Utf8, true),
        Field::new("created_at", ts.clone(), true),
        Field::new("updated_at", ts, true),
    ]))
}

/// The `public` schema of a tenant: its document tables, resolved on each lookup so tables
/// other sessions create are visible at once.
pub(crate) struct DocSchema {
    pub(crate) store: Store,
    pub(crate) tenant: TenantId,
    pub(crate) state: SharedState,
}

impl fmt::Debug for DocSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocSchema({})", self.tenant.0)
    }
}

#[async_trait]
impl SchemaProvider for DocSchema {
    fn table_names(&self) -> Vec<String> {
        self.store
            .tables(self.tenant)
            .into_iter()
            .map(|t| t.name)
            .collect()
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        Ok(self.store.table(self.tenant, name).map(|info| {
            Arc::new(DocTable {
                store: self.store.clone(),
                table: info.table,
                state: self.state.clone(),
            }) as Arc<dyn TableProvider>
        }))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.store.table(self.tenant, name).is_some()
    }
}

/// One document table.
pub(crate) struct DocTable {
    store: Store,
    table: Table,
    state: SharedState,
}

impl fmt::Debug for DocTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocTable({}/{})", self.table.tenant.0, self.table.id.0)
    }
}

#[async_trait]
impl TableProvider for DocTable {
    fn schema(&self) -> SchemaRef {
        doc_schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> DfResult<Vec<TableProviderFilterPushDown>> {
        // `id = 'x'` becomes a point read; DataFusion still applies the filter itself.
        Ok(filters
            .iter()
            .map(|f| {
                if id_equality(f).is_some() {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        _limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let only = filters.iter().find_map(id_equality);
        let batch = read_rows(&self.store, self.table, &self.state, only.as_ref())
            .map_err(|e| e.into_datafusion())?;
        Ok(MemorySourceConfig::try_new_exec(
            &[vec![batch]],
            doc_schema(),
            projection.cloned(),
        )?)
    }
}

/// A row of a document table before it becomes Arrow.
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) data: String,
    pub(crate) rev: String,
    pub(crate) seq: Option<i64>,
    pub(crate) key_id: String,
    pub(crate) author: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// Reads the visible rows of `table` (or only document `only`), in id order.
pub(crate) fn read_rows(
    store: &Store,
    table: Table,
    state: &SharedState,
    only: Option<&DocId>,
) -> Result<RecordBatch, Error> {
    let state = state.read().unwrap_or_else(PoisonError::into_inner);
    let snapshot = store.snapshot();
    let mut rows: BTreeMap<String, Option<Row>> = BTreeMap::new();
    let mut visit = |doc: Document| -> Result<(), Error> {
        let row = stored_row(&state.keys, &doc)?;
        rows.insert(doc.id.to_string(), row);
        Ok(())
    };
    match only {
        Some(id) => {
            if let Some(doc) = snapshot.doc(table, id)? {
                visit(doc)?;
            }
        }
        None => {
            let mut after: Option<DocId> = None;
            loop {
                let page = snapshot.scan(table, after.as_ref(), PAGE)?;
                let Some(last) = page.last() else { break };
                after = Some(last.id.clone());
                let full = page.len() == PAGE;
                for doc in page {
                    visit(doc)?;
                }
                if !full {
                    break;
                }
            }
        }
    }
    if let Some(docs) = state.pending.table(table) {
        for (id, pending) in docs {
            if only.is_some_and(|o| o != id) {
                continue;
            }
            rows.insert(id.to_string(), pending_row(id, pending));
        }
    }
    build_batch(rows.into_values().flatten())
}

/// Counts documents of `table` that are live but sealed under keys the session lacks.
pub(crate) fn count_locked(store: &Store, table: Table, keys: &KeySet) -> Result<i64, Error> {
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

pub(crate) fn stored_row(keys: &KeySet, doc: &Document) -> Result<Option<Row>, Error> {
    if doc.is_deleted() {
        return Ok(None);
    }
    let header = doc.winner.header();
    let Some(key) = keys.get(header.key()) else {
        return Ok(None);
    };
    let plain = open(&doc.winner, key)?;
    let data = String::from_utf8(plain.to_vec())
        .map_err(|_| Error::Internal(format!("document {} is not UTF-8", doc.id)))?;
    Ok(Some(Row {
        id: doc.id.to_string(),
        data,
        rev: doc.winner.hash().to_string(),
        seq: Some(doc.feed_seq.0 as i64),
        key_id: header.key().name.to_string(),
        author: author_of(header.signer_role(), &header.author().to_string()),
        created_at: doc.created.0,
        updated_at: header.clock().0,
    }))
}

fn pending_row(id: &DocId, pending: &PendingDoc) -> Option<Row> {
    let header = pending.entry.header();
    if header.kind() == EntryKind::Delete {
        return None;
    }
    Some(Row {
        id: id.to_string(),
        data: pending.json.clone()?,
        rev: pending.entry.hash().to_string(),
        seq: None,
        key_id: header.key().name.to_string(),
        author: author_of(header.signer_role(), &header.author().to_string()),
        created_at: pending.created.0,
        updated_at: header.clock().0,
    })
}

/// A role name when a node key signed on a role's behalf, else the signer's public key.
pub(crate) fn author_of(role: &str, public_key: &str) -> String {
    if role.is_empty() {
        public_key.to_owned()
    } else {
        role.to_owned()
    }
}

pub(crate) fn build_batch(rows: impl Iterator<Item = Row>) -> Result<RecordBatch, Error> {
    let mut id = StringBuilder::new();
    let mut data = StringBuilder::new();
    let mut rev = StringBuilder::new();
    let mut seq = Int64Builder::new();
    let mut key_id = StringBuilder::new();
    let mut author = StringBuilder::new();
    let mut created = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    let mut updated = TimestampMicrosecondBuilder::new().with_timezone("UTC");
    for row in rows {
        id.append_value(row.id);
        data.append_value(row.data);
        rev.append_value(row.rev);
        seq.append_option(row.seq);
        key_id.append_value(row.key_id);
        author.append_value(row.author);
        created.append_value(row.created_at);
        updated.append_value(row.updated_at);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(data.finish()),
        Arc::new(rev.finish()),
        Arc::new(seq.finish()),
        Arc::new(key_id.finish()),
        Arc::new(author.finish()),
        Arc::new(created.finish()),
        Arc::new(updated.finish()),
    ];
    RecordBatch::try_new(doc_schema(), columns).map_err(|e| Error::Internal(e.to_string()))
}

/// `id = '<literal>'` (either side), the one filter scans push down.
fn id_equality(expr: &Expr) -> Option<DocId> {
    let Expr::BinaryExpr(BinaryExpr {
        left,
        op: Operator::Eq,
        right,
    }) = expr
    else {
        return None;
    };
    let literal = match (left.as_ref(), right.as_ref()) {
        (Expr::Column(c), Expr::Literal(v, _)) | (Expr::Literal(v, _), Expr::Column(c))
            if c.name == "id" =>
        {
            v
        }
        _ => return None,
    };
    match literal {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => DocId::new(s.clone()).ok(),
        _ => None,
    }
}

impl Error {
    /// Carries our error through DataFusion so its SQLSTATE survives.
    pub(crate) fn into_datafusion(self) -> datafusion::error::DataFusionError {
        datafusion::error::DataFusionError::External(Box::new(self))
    }
}
