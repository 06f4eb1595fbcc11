//! The tenant's schema as DataFusion sees it: document tables, which scan through the session's
//! keys and pending writes (`scan.rs`), and views, planned on lookup (`views.rs`).
//!
//! Invariants:
//! - Tables and views are looked up in the catalog on every query, so what another session
//!   creates or drops is seen by the next statement.
//! - Every table reads through the session's own `SharedState`, never another session's.
//! - A table whose reads are audited (when it was looked up) takes every filter as `Exact` and
//!   applies them in its scan, so its audit records name only the rows that passed them.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{SchemaProvider, Session as DfSession, TableProvider};
use datafusion::common::{DFSchema, Result as DfResult};
use datafusion::logical_expr::expr_rewriter::unnormalize_cols;
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown, TableType};
use datafusion::physical_plan::ExecutionPlan;
use mindoodb_protocol::DocId;
use mindoodb_storage::{Store, Table, TenantId};

use super::id_filter::{self, IdValue};
use super::row::{Projection, Row};
use super::scan::DocScanExec;
use super::views::{self, Planner};
use super::visible::visible_row;
use crate::catalog::doc_columns::doc_schema;
use crate::engine::session::state::SharedState;
use crate::error::Error;

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
                audited: info.audit_reads,
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
    /// Reads were audited when the table was looked up: its scans apply every filter.
    audited: bool,
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
        // `id = 'x'` becomes a point read; DataFusion still applies the filter itself. An
        // audited table's scan applies every filter, so that it records only the rows
        // that pass.
        Ok(filters
            .iter()
            .map(|f| {
                if self.audited {
                    TableProviderFilterPushDown::Exact
                } else if pushed_id(f).is_some() {
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let projection = Projection::new(projection).map_err(Error::into_datafusion)?;
        let filter = match conjunction(unnormalize_cols(filters.iter().cloned())) {
            Some(predicate) if self.audited => {
                let schema = DFSchema::try_from(doc_schema())?;
                Some(state.create_physical_expr(predicate, &schema)?)
            }
            _ => None,
        };
        let scan = DocScanExec::new(
            &self.store,
            self.table,
            &self.state,
            projection,
            filters.iter().find_map(pushed_id),
            limit,
            filter,
        )
        .map_err(Error::into_datafusion)?;
        Ok(Arc::new(scan))
    }
}

impl DocTable {
    /// Document `id` as this table's point read shows it to the session now: `visible_row`.
    /// When the table's reads are audited, the row is recorded (a synced write on this thread)
    /// before it is returned.
    pub(crate) fn point_row(
        &self,
        id: &DocId,
        projection: &Projection,
    ) -> Result<Option<Row>, Error> {
        visible_row(&self.store, &self.state, self.table, id, projection)
    }
}

/// `id = '<literal>'`, the one filter scans push down.
fn pushed_id(expr: &Expr) -> Option<DocId> {
    match id_filter::planned(expr, |c| c.name == "id")? {
        IdValue::Literal(id) => Some(id),
        IdValue::Param(_) => None,
    }
}
