//! The point-read fast path: a SELECT whose plan is plain columns of one document table
//! filtered by `id = '<text>'` or `id = $n` reads that one document on the calling thread,
//! instead of going through DataFusion's optimizer, physical planning and a scan thread with
//! its own snapshot thread. A prepared statement is matched once, when it is described, and
//! each Execute only binds the id.
//!
//! Invariants:
//! - Only one plan shape takes this path: a Projection of columns (aliases allowed) over a
//!   Filter `id = <literal or $n>` over a TableScan of a `DocTable` (through any table alias)
//!   that carries no filters and no fetch. Views, catalog tables, table functions,
//!   expressions, any other predicate, a NULL or non-text value and an id that is not a valid
//!   `DocId` all run through DataFusion.
//! - A `$n` id binds only a text parameter into a text placeholder, which is exactly what the
//!   general path would turn into the literal it matches; anything else takes the general path.
//! - The row is the one the general path's point read gives (`DocTable::point_row`: the same
//!   keys, pending writes, deleted documents and errors), and the caller shapes it with the
//!   same `query::cast_columns`, so names, types and values are identical.
//! - The read runs on the calling task's thread, on its own storage snapshot: one point get
//!   of one document, as short as the catalog lookups planning already does there. On a table
//!   whose reads are audited it also waits for the audit record's synced write there.

use std::any::Any;
use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::Column;
use datafusion::datasource::source_as_provider;
use datafusion::logical_expr::{Expr, LogicalPlan, TableScan};
use mindoodb_protocol::DocId;

use super::id_filter::{self, IdValue};
use super::row::Projection;
use super::schema::DocTable;
use crate::catalog::doc_columns::idx;
use crate::error::Result;
use crate::output::Value;

/// A matched point read.
#[derive(Debug)]
pub(crate) struct PointRead {
    table: Arc<DocTable>,
    id: IdValue,
    projection: Projection,
}

impl PointRead {
    /// The plan's point read, if `plan` (with its parameters bound or not) has the one shape
    /// this path takes.
    pub(crate) fn of(plan: &LogicalPlan) -> Option<PointRead> {
        let LogicalPlan::Projection(projection) = plan else {
            return None;
        };
        let LogicalPlan::Filter(filter) = projection.input.as_ref() else {
            return None;
        };
        let scan = table_scan(filter.input.as_ref())?;
        let provider = source_as_provider(&scan.source).ok()?;
        let any: Arc<dyn Any + Send + Sync> = provider;
        let table = any.downcast::<DocTable>().ok()?;
        let schema = filter.input.schema();
        let column = |c: &Column| -> Option<usize> {
            let idx = schema.index_of_column(c).ok()?;
            match &scan.projection {
                Some(indices) => indices.get(idx).copied(),
                None => Some(idx),
            }
        };
        let id = id_filter::planned(&filter.predicate, |c| column(c) == Some(idx::ID))?;
        let indices = projection
            .expr
            .iter()
            .map(|expr| match unaliased(expr) {
                Expr::Column(c) => column(c),
                _ => None,
            })
            .collect::<Option<Vec<usize>>>()?;
        let projection = Projection::new(Some(&indices)).ok()?;
        Some(PointRead {
            table,
            id,
            projection,
        })
    }

    /// The id to read with `params` bound; None when they do not make one (a NULL or
    /// non-text parameter, an invalid id), and the general path must run instead.
    pub(crate) fn id(&self, params: &[Value]) -> Option<DocId> {
        match &self.id {
            IdValue::Literal(id) => Some(id.clone()),
            IdValue::Param(idx) => match params.get(*idx)? {
                Value::Text(text) => DocId::new(text.clone()).ok(),
                _ => None,
            },
        }
    }

    /// Reads the document `id`: no batch when there is no row, else one batch of one row.
    pub(crate) fn run(&self, id: &DocId) -> Result<Vec<RecordBatch>> {
        match self.table.point_row(id, &self.projection)? {
            Some(row) => Ok(vec![self.projection.batch(&[row])?]),
            None => Ok(Vec::new()),
        }
    }
}

/// The expression under any `AS` aliases.
fn unaliased(expr: &Expr) -> &Expr {
    match expr {
        Expr::Alias(alias) => unaliased(&alias.expr),
        other => other,
    }
}

/// The table scan under a filter, looking through table aliases (`FROM t AS x`).
fn table_scan(plan: &LogicalPlan) -> Option<&TableScan> {
    match plan {
        LogicalPlan::TableScan(scan) if scan.filters.is_empty() && scan.fetch.is_none() => {
            Some(scan)
        }
        LogicalPlan::SubqueryAlias(alias) => table_scan(alias.input.as_ref()),
        _ => None,
    }
}
