//! The `mindoo.*` table functions (`table_fn.rs` descriptors) as DataFusion relations:
//! providers whose arguments may be `$n` parameters, parameter types for Describe, binding at
//! Execute, and a scan that streams batches from a blocking thread.
//!
//! DataFusion evaluates table-function arguments while planning, before parameters are bound,
//! and looks the function up by the first part of its name only. So `rewrite/table_fns.rs`
//! renames `mindoo.f(...)` to the registered `mindoo_f(...)`, the provider keeps its argument
//! expressions, `parameter_types` reads their types from the function's signature, and `bind`
//! replaces the planned providers with bound ones before execution.
//!
//! Invariants:
//! - A prepared plan is planned once; binding rewrites only the function scans in it.
//! - A scan never runs with an unbound parameter: it fails with 22023 instead.
//! - Arguments are read at scan time, so EXPLAIN and Describe never read or write data.
//!
//! See: docs/SQL.md#change-feeds-history-and-verification

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::compute::SortOptions;
use datafusion::arrow::datatypes::{FieldRef, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{
    Session as DfSession, TableFunctionArgs, TableFunctionImpl, TableProvider,
};
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Result as DfResult, ScalarValue};
use datafusion::datasource::{provider_as_source, source_as_provider};
use datafusion::execution::{SendableRecordBatchStream, SessionState, TaskContext};
use datafusion::logical_expr::{Expr, LogicalPlan, TableScan, TableSource, TableType};
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_expr::{LexOrdering, PhysicalSortExpr};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::{PartitionStream, StreamingTableExec};
use datafusion::prelude::SessionContext;
use futures::StreamExt;

use super::table_fn::{Args, FnCtx, Out, Reads, TableFn};
use crate::engine::rewrite::{TableFns, registered_name};
use crate::error::{Error, Result, from_datafusion};
use crate::output::PgType;

/// The table functions a session registered, by name, with their parameter counts: what the
/// rewrite before planning looks names up in (a session config extension).
pub(crate) struct Registered(BTreeMap<&'static str, usize>);

impl Registered {
    pub(crate) fn new(functions: &[&'static TableFn]) -> Registered {
        Registered(
            functions
                .iter()
                .map(|func| (func.name, func.params.len()))
                .collect(),
        )
    }

    /// The functions registered in `state`; none when it has no such extension.
    pub(crate) fn of(state: &SessionState) -> Arc<Registered> {
        state
            .config()
            .get_extension::<Registered>()
            .unwrap_or_else(|| Arc::new(Registered(BTreeMap::new())))
    }
}

impl TableFns for Registered {
    fn params(&self, name: &str) -> Option<usize> {
        self.0.get(name).copied()
    }
}

/// Registers `functions` on a session, each under `rewrite::registered_name`.
pub(crate) fn register(ctx: &SessionContext, functions: &[&'static TableFn], fn_ctx: &Arc<FnCtx>) {
    for &func in functions {
        ctx.register_udtf(
            &registered_name(func.name),
            Arc::new(Factory {
                func,
                ctx: fn_ctx.clone(),
            }),
        );
    }
}

/// The types the table functions give their `$n` arguments, for Describe.
pub(crate) fn parameter_types(plan: &LogicalPlan) -> HashMap<String, FieldRef> {
    let mut types = HashMap::new();
    let _ = plan.apply_with_subqueries(|node| {
        if let LogicalPlan::TableScan(scan) = node
            && let Some(table) = fn_table(&scan.source)
        {
            for (arg, param) in table.args.iter().zip(table.func.params) {
                if let Some((id, field)) = placeholder_field(arg, param.pg_type) {
                    types.insert(id, field);
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    });
    types
}

/// Replaces the `$n` arguments of every table function in `plan` with `values`.
pub(crate) fn bind(plan: LogicalPlan, values: &[ScalarValue]) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| match node {
        LogicalPlan::TableScan(scan) => match fn_table(&scan.source) {
            Some(table) if table.args.iter().any(has_placeholder) => {
                let bound = table.bind(values).map_err(Error::into_datafusion)?;
                Ok(Transformed::yes(LogicalPlan::TableScan(TableScan {
                    source: provider_as_source(Arc::new(bound)),
                    ..scan
                })))
            }
            _ => Ok(Transformed::no(LogicalPlan::TableScan(scan))),
        },
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
    .map_err(from_datafusion)
}

/// The name of a table function in `plan` that writes (`mindoo.apply`, `mindoo.move`), if any.
pub(crate) fn writing_function(plan: &LogicalPlan) -> Option<&'static str> {
    let mut found = None;
    let _ = plan.apply_with_subqueries(|node| {
        if let LogicalPlan::TableScan(scan) = node
            && let Some(table) = fn_table(&scan.source)
            && table.func.writes
        {
            found = Some(table.func.name);
            return Ok(TreeNodeRecursion::Stop);
        }
        Ok(TreeNodeRecursion::Continue)
    });
    found
}

fn fn_table(source: &Arc<dyn TableSource>) -> Option<Arc<FnTable>> {
    let provider = source_as_provider(source).ok()?;
    let any: Arc<dyn Any + Send + Sync> = provider;
    any.downcast::<FnTable>().ok()
}

fn has_placeholder(expr: &Expr) -> bool {
    expr.exists(|e| Ok(matches!(e, Expr::Placeholder(_))))
        .unwrap_or(true)
}

/// `$n`, `$n::type`: the parameter and the type it gets.
fn placeholder_field(arg: &Expr, declared: PgType) -> Option<(String, FieldRef)> {
    let field = |pg_type: PgType| -> FieldRef { Arc::new(pg_type.field("", true)) };
    match arg {
        Expr::Placeholder(p) => Some((
            p.id.clone(),
            p.field.clone().unwrap_or_else(|| field(declared)),
        )),
        Expr::Cast(cast) => match cast.expr.as_ref() {
            Expr::Placeholder(p) => Some((p.id.clone(), cast.field.clone())),
            _ => None,
        },
        Expr::TryCast(cast) => match cast.expr.as_ref() {
            Expr::Placeholder(p) => Some((p.id.clone(), cast.field.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// Makes a provider per call; arguments are checked for count here, for value at scan.
struct Factory {
    func: &'static TableFn,
    ctx: Arc<FnCtx>,
}

impl fmt::Debug for Factory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mindoo.{}", self.func.name)
    }
}

impl TableFunctionImpl for Factory {
    fn call_with_args(&self, args: TableFunctionArgs) -> DfResult<Arc<dyn TableProvider>> {
        let exprs = args.exprs();
        let params = self.func.params;
        let required = params.iter().filter(|p| !p.optional).count();
        if exprs.len() < required || exprs.len() > params.len() {
            return Err(Error::UndefinedFunction(format!(
                "mindoo.{} with {} argument(s)",
                self.func.name,
                exprs.len()
            ))
            .into_datafusion());
        }
        Ok(Arc::new(FnTable {
            func: self.func,
            args: exprs.to_vec(),
            ctx: self.ctx.clone(),
        }))
    }
}

/// One call of a table function: its (possibly unbound) argument expressions.
struct FnTable {
    func: &'static TableFn,
    args: Vec<Expr>,
    ctx: Arc<FnCtx>,
}

impl fmt::Debug for FnTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mindoo.{}({:?})", self.func.name, self.args)
    }
}

impl FnTable {
    fn bind(&self, values: &[ScalarValue]) -> Result<FnTable> {
        let args = self
            .args
            .iter()
            .map(|arg| {
                arg.clone()
                    .transform(|expr| match expr {
                        Expr::Placeholder(p) => match parameter(&p.id, values) {
                            Some(value) => Ok(Transformed::yes(Expr::Literal(value.clone(), None))),
                            None => Err(unbound(&p.id).into_datafusion()),
                        },
                        other => Ok(Transformed::no(other)),
                    })
                    .map(|t| t.data)
                    .map_err(from_datafusion)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(FnTable {
            func: self.func,
            args,
            ctx: self.ctx.clone(),
        })
    }

    fn values(&self) -> Result<Args> {
        let values = self
            .args
            .iter()
            .enumerate()
            .map(|(idx, expr)| constant(self.func, idx, expr))
            .collect::<Result<Vec<_>>>()?;
        Args::new(self.func, &values)
    }
}

#[async_trait]
impl TableProvider for FnTable {
    fn schema(&self) -> SchemaRef {
        self.func.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(
        &self,
        _state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let args = self.values().map_err(Error::into_datafusion)?;
        let schema = self.func.schema();
        let projected = match projection {
            Some(indices) => Arc::new(schema.project(indices)?),
            None => schema.clone(),
        };
        let partition = Arc::new(FnStream {
            func: self.func,
            ctx: self.ctx.clone(),
            args: Arc::new(args),
            limit,
            schema: schema.clone(),
        });
        Ok(Arc::new(StreamingTableExec::try_new(
            schema,
            vec![partition],
            projection,
            ordering(self.func, &projected),
            false,
            limit,
        )?))
    }
}

/// The scan's one partition: runs the function on a blocking thread, batch by batch.
struct FnStream {
    func: &'static TableFn,
    ctx: Arc<FnCtx>,
    args: Arc<Args>,
    limit: Option<usize>,
    schema: SchemaRef,
}

impl fmt::Debug for FnStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mindoo.{} scan", self.func.name)
    }
}

impl PartitionStream for FnStream {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _task: Arc<TaskContext>) -> SendableRecordBatchStream {
        // Two batches in flight: the producer stays a page ahead, and stops at the next page
        // once the consumer is gone (LIMIT reached, query cancelled).
        let (tx, rx) = tokio::sync::mpsc::channel::<DfResult<RecordBatch>>(2);
        let (func, ctx, args, limit) = (self.func, self.ctx.clone(), self.args.clone(), self.limit);
        // Taken now, within the statement: a cursor's rows are fetched by later ones.
        let reads = Reads::new(ctx.store.clone(), ctx.state.read().statement_audit());
        let start = async move {
            let producer = tokio::task::spawn_blocking(move || {
                let mut emit = |batch| tx.blocking_send(Ok(batch)).is_ok();
                let mut out = Out::new(func.schema(), &mut emit, reads);
                let res = (func.run)(&ctx, &args, limit, &mut out).and_then(|()| out.flush());
                if let Err(err) = res {
                    let _ = tx.blocking_send(Err(err.into_datafusion()));
                }
            });
            futures::stream::unfold((rx, Some(producer)), |(mut rx, producer)| async move {
                if let Some(item) = rx.recv().await {
                    return Some((item, (rx, producer)));
                }
                // The channel closed: a producer that panicked must not look like the end.
                match producer?.await {
                    Ok(()) => None,
                    Err(err) => Some((
                        Err(Error::Internal(format!("table function task: {err}"))
                            .into_datafusion()),
                        (rx, None),
                    )),
                }
            })
        };
        Box::pin(RecordBatchStreamAdapter::new(
            self.schema.clone(),
            futures::stream::once(start).flatten(),
        ))
    }
}

/// The function's row order, when every sort column survived the projection.
fn ordering(func: &TableFn, projected: &Schema) -> Option<LexOrdering> {
    let ascending = SortOptions {
        descending: false,
        nulls_first: false,
    };
    let exprs = func
        .sorted_by
        .iter()
        .map(|name| {
            let idx = projected.index_of(name).ok()?;
            Some(PhysicalSortExpr::new(
                Arc::new(Column::new(name, idx)),
                ascending,
            ))
        })
        .collect::<Option<Vec<_>>>()?;
    LexOrdering::new(exprs)
}

/// Folds a bound argument (a literal, perhaps under casts) to its value.
fn constant(func: &TableFn, idx: usize, expr: &Expr) -> Result<ScalarValue> {
    match expr {
        Expr::Literal(value, _) => Ok(value.clone()),
        Expr::Alias(alias) => constant(func, idx, &alias.expr),
        Expr::Cast(cast) => cast_to(constant(func, idx, &cast.expr)?, cast.field.data_type()),
        Expr::TryCast(cast) => cast_to(constant(func, idx, &cast.expr)?, cast.field.data_type()),
        Expr::Placeholder(p) => Err(unbound(&p.id)),
        _ => Err(Error::FeatureNotSupported(format!(
            "argument {} of mindoo.{} must be a constant or a parameter",
            idx + 1,
            func.name
        ))),
    }
}

fn cast_to(value: ScalarValue, to: &datafusion::arrow::datatypes::DataType) -> Result<ScalarValue> {
    value
        .cast_to(to)
        .map_err(|_| Error::InvalidParameter(format!("cannot use {} as {to}", value.data_type())))
}

fn parameter<'v>(id: &str, values: &'v [ScalarValue]) -> Option<&'v ScalarValue> {
    let n: usize = id.strip_prefix('$')?.parse().ok()?;
    values.get(n.checked_sub(1)?)
}

fn unbound(id: &str) -> Error {
    Error::InvalidParameter(format!("no value bound for {id}"))
}
