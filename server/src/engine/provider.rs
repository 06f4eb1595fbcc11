//! The tenant's schema as DataFusion sees it: document tables, which scan through the session's
//! keys and pending writes (`scan.rs`), and views, planned on lookup (`views.rs`).
//!
//! Invariants:
//! - Tables and views are looked up in the catalog on every query, so what another session
//!   creates or drops is seen by the next statement.
//! - Every table reads through the session's `ReadState`, never another session's.

use std::fmt;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{SchemaProvider, Session as DfSession, TableProvider};
use datafusion::common::{Result as DfResult, ScalarValue};
use datafusion::logical_expr::{
    BinaryExpr, Expr, Operator, TableProviderFilterPushDown, TableType,
};
use datafusion::physical_plan::ExecutionPlan;
use mindoodb_protocol::DocId;
use mindoodb_storage::{SharedSnapshot, Store, Table, TenantId};

use super::keyring::KeySet;
use super::row::{Projection, Row, doc_schema, pending_row, stored_row};
use super::scan::DocScanExec;
use super::txn::Pending;
use super::views::{self, Planner};
use crate::error::Error;

/// Documents read per storage page while counting.
const PAGE: usize = 1024;

/// What a session's tables read through: its keys, its uncommitted writes and the running
/// statement's snapshot.
#[derive(Default)]
pub(crate) struct ReadState {
    pub(crate) keys: KeySet,
    pub(crate) pending: Pending,
    /// Taken by the statement's first table scan and read by all of them, so a statement over
    /// several tables (a join, a view over shards) sees them at one moment. Invariant: `None`
    /// between statements (`Session` clears it before and after each one).
    pub(crate) statement: Option<SharedSnapshot>,
}

impl ReadState {
    /// The running statement's snapshot, taken now if no scan of the statement took it yet.
    pub(crate) fn statement_snapshot(&mut self, store: &Store) -> Result<SharedSnapshot, Error> {
        if let Some(snapshot) = &self.statement {
            return Ok(snapshot.clone());
        }
        let snapshot = store.shared_snapshot()?;
        self.statement = Some(snapshot.clone());
        Ok(snapshot)
    }
}

pub(crate) type SharedState = Arc<RwLock<ReadState>>;

/// The `public` schema of a tenant: its document tables and views.
pub(crate) struct DocSchema {
    pub(crate) store: Store,
    pub(crate) tenant: TenantId,
    pub(crate) state: SharedState,
    /// Plans views in the session that owns this schema.
    pub(crate) planner: Planner,
}

impl fmt::Debug for DocSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocSchema({})", self.tenant.0)
    }
}

#[async_trait]
impl SchemaProvider for DocSchema {
    fn table_names(&self) -> Vec<String> {
        let tables = self.store.tables(self.tenant).into_iter().map(|t| t.name);
        let views = self.store.views(self.tenant).into_iter().map(|v| v.name);
        tables.chain(views).collect()
    }

    async fn table(&self, name: &str) -> DfResult<Option<Arc<dyn TableProvider>>> {
        if let Some(info) = self.store.table(self.tenant, name) {
            return Ok(Some(Arc::new(DocTable {
                store: self.store.clone(),
                table: info.table,
                state: self.state.clone(),
            })));
        }
        let Some(view) = self.store.view(self.tenant, name) else {
            return Ok(None);
        };
        views::provider(&self.planner, &self.store, self.tenant, name, &view.sql)
            .await
            .map(Some)
            .map_err(Error::into_datafusion)
    }

    fn table_exist(&self, name: &str) -> bool {
        self.store.table(self.tenant, name).is_some()
            || self.store.view(self.tenant, name).is_some()
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
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let projection = Projection::new(projection).map_err(Error::into_datafusion)?;
        Ok(Arc::new(DocScanExec::new(
            self.store.clone(),
            self.table,
            self.state.clone(),
            projection,
            filters.iter().find_map(id_equality),
            limit,
        )))
    }
}

impl DocTable {
    /// Document `id` as this table's point read shows it to the session now: `visible_row`.
    pub(crate) fn point_row(
        &self,
        id: &DocId,
        projection: &Projection,
    ) -> Result<Option<Row>, Error> {
        visible_row(&self.store, &self.state, self.table, id, projection)
    }
}

/// Document `id` of `table` as a scan shows it to the session whose state is `state` (what
/// `DocScanExec` yields for `id = '<id>'`): the session's pending write of it if any (none for
/// a pending delete), else the stored document if it is live and the session holds its key.
/// The stored document is read first either way, so a damaged entry fails every path.
pub(crate) fn visible_row(
    store: &Store,
    state: &SharedState,
    table: Table,
    id: &DocId,
    projection: &Projection,
) -> Result<Option<Row>, Error> {
    let doc = store.snapshot().doc(table, id)?;
    let state = state.read().unwrap_or_else(|e| e.into_inner());
    if let Some(pending) = state.pending.doc(table, id) {
        return Ok(pending_row(id, pending));
    }
    match doc {
        Some(doc) => stored_row(&state.keys, &doc, projection),
        None => Ok(None),
    }
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
    doc_id_literal(literal)
}

/// The document id a text literal names; `None` for NULL, other types and invalid ids.
pub(crate) fn doc_id_literal(literal: &ScalarValue) -> Option<DocId> {
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
