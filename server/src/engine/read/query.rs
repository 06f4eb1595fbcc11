//! Queries through DataFusion: planning (after the Postgres rewrites of `rewrite/`), describing
//! parameters and result columns, and running — with the point-read fast path for a plan that
//! reads one document by id.
//!
//! Invariants:
//! - Parameters are never OID 0: unresolved ones are text.
//! - A plan that writes (`mindoo.apply`, `mindoo.sync`, `mindoo.move`) runs only outside a
//!   transaction block and never on a mirror.

use std::collections::HashMap;

use datafusion::arrow::array::{Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use datafusion::common::{DFSchemaRef, ParamValues, ScalarValue};
use datafusion::execution::SessionState;
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::Statement;
use futures::{StreamExt, TryStreamExt, stream};
use mindoodb_protocol::DocId;

use super::point_read::PointRead;
use super::shape::{self, column_names, columns_of};
use super::udtf::{self, Registered};
use crate::engine::rewrite;
use crate::engine::session::Session;
use crate::engine::session::txn::TxnStatus;
use crate::error::{Error, Result, from_datafusion};
use crate::output::{Batches, Column, Output, PgType, Value};

/// What Describe learns of a query.
pub(crate) struct Described {
    /// One type per `$n`, never unknown.
    pub(crate) param_types: Vec<PgType>,
    pub(crate) columns: Vec<Column>,
    pub(crate) plan: LogicalPlan,
    /// The plan's point read, matched once here instead of at every Execute.
    pub(crate) point_read: Option<PointRead>,
}

/// Plans a query in the session's context.
pub(crate) async fn plan(ctx: &SessionContext, statement: Statement) -> Result<LogicalPlan> {
    plan_in(&ctx.state(), statement).await
}

/// Plans a query in a session's DataFusion state (views plan in the querying session's).
pub(crate) async fn plan_in(state: &SessionState, mut statement: Statement) -> Result<LogicalPlan> {
    rewrite::rewrite(&mut statement, state, Registered::of(state).as_ref())?;
    let statement = datafusion::sql::parser::Statement::Statement(Box::new(statement));
    state
        .statement_to_plan(statement)
        .await
        .map_err(from_datafusion)
}

/// The result columns' types as the plan runs them: after the analyzer, whose rules turn a
/// cast of a jsonb value into a function of the cast's type (`j::text` is text, though the
/// cast as planned carries the jsonb mark of its input). A plan the analyzer cannot check
/// yet (unbound parameters of unknown type) keeps its planned schema.
fn result_schema(ctx: &SessionContext, plan: &LogicalPlan) -> DFSchemaRef {
    let state = ctx.state();
    state
        .analyzer()
        .execute_and_check(plan.clone(), state.config_options(), |_, _| {})
        .map_or_else(
            |_| plan.schema().clone(),
            |analyzed| analyzed.schema().clone(),
        )
}

/// Plans a query and types its parameters and result columns; `declared` are the types the
/// client gave at Parse.
pub(crate) async fn describe(
    session: &Session,
    statement: &Statement,
    declared: &[Option<PgType>],
) -> Result<Described> {
    let plan = plan(session.ctx(), statement.clone()).await?;
    let mut inferred: HashMap<String, Option<PgType>> = plan
        .get_parameter_types()
        .map_err(from_datafusion)?
        .into_iter()
        .map(|(id, t)| {
            (
                id,
                t.and_then(|t| PgType::of_field(&Field::new("", t, true))),
            )
        })
        .collect();
    // Table-function arguments are not plan expressions: their types come from signatures.
    for (id, field) in udtf::parameter_types(&plan) {
        inferred.insert(id, PgType::of_field(&field));
    }
    let n_params = inferred.len().max(declared.len());
    let param_types = (0..n_params)
        .map(|idx| {
            let declared = declared.get(idx).copied().flatten();
            let inferred = inferred.get(&format!("${}", idx + 1)).copied().flatten();
            declared.or(inferred).unwrap_or(PgType::Text)
        })
        .collect();
    let columns = columns_of(
        &result_schema(session.ctx(), &plan),
        column_names(statement, plan.schema()),
    );
    let point_read = PointRead::of(&plan);
    Ok(Described {
        param_types,
        columns,
        plan,
        point_read,
    })
}

/// Runs a query: `plan` when it was prepared (else it is planned now), with `params` bound.
pub(crate) async fn run(
    session: &mut Session,
    statement: Statement,
    plan: Option<LogicalPlan>,
    params: &[Value],
) -> Result<Output> {
    let plan = match plan {
        Some(plan) => plan,
        None => self::plan(session.ctx(), statement.clone()).await?,
    };
    let plan = bind(plan, params)?;
    let writes = udtf::writing_function(&plan);
    if let Some(name) = &writes {
        let name = format!("mindoo.{name}");
        session.writable(&name)?;
        if session.txn_status() != TxnStatus::Idle {
            return Err(Error::ActiveTransaction(name));
        }
    }
    let names = column_names(&statement, plan.schema());
    if let Some(read) = PointRead::of(&plan)
        && let Some(id) = read.id(params)
    {
        return point_read(session, &read, &id, columns_of(plan.schema(), names));
    }
    let schema = result_schema(session.ctx(), &plan);
    let frame = session
        .ctx()
        .execute_logical_plan(plan)
        .await
        .map_err(from_datafusion)?;
    let columns = columns_of(&schema, names);
    // Physical planning takes the statement's snapshot, keys and pending writes
    // (`DocTable::scan`), so the rows are the statement's whenever the client reads them.
    let stream = frame.execute_stream().await.map_err(from_datafusion)?;
    let shaped = columns.clone();
    let state = session.state().clone();
    let mut batches = stream
        .map(move |batch| shape::cast_batch(&shaped, batch.map_err(from_datafusion)?))
        .inspect_err(move |_| state.write().txn.fail());
    let batches = if writes.is_some() {
        // A writing function has done all it does before the statement answers.
        Batches::ready(batches.try_collect().await?)
    } else {
        // The first batch is awaited here: most results fit in it, and an error before any
        // row is the statement's own (timed, logged and failing the block like any other).
        let first = batches.next().await.transpose()?;
        Batches::streaming(stream::iter(first.map(Ok)).chain(batches))
    };
    Ok(Output::Rows {
        columns,
        batches,
        tag: "SELECT",
    })
}

/// The point read `read` of document `id`, as the statement's `columns`.
pub(crate) fn point_read(
    session: &Session,
    read: &PointRead,
    id: &DocId,
    columns: Vec<Column>,
) -> Result<Output> {
    session.engine().activity().count_point_read();
    let batches = shape::cast_columns(&columns, read.run(id)?)?;
    Ok(Output::Rows {
        columns,
        batches: Batches::ready(batches),
        tag: "SELECT",
    })
}

/// Runs a query and gives every cell as text (`None` for NULL): the rows INSERT ... SELECT
/// inserts, and the documents UPDATE and DELETE change.
pub(crate) async fn rows_as_text(
    session: &mut Session,
    statement: Statement,
) -> Result<Vec<Vec<Option<String>>>> {
    let plan = plan(session.ctx(), statement).await?;
    let frame = session
        .ctx()
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

/// `plan` with `params` bound: the table functions' arguments and the plan's placeholders.
fn bind(plan: LogicalPlan, params: &[Value]) -> Result<LogicalPlan> {
    if params.is_empty() {
        return Ok(plan);
    }
    let types = plan.get_parameter_types().map_err(from_datafusion)?;
    let values = params
        .iter()
        .enumerate()
        .map(|(idx, value)| {
            scalar(
                value,
                types.get(&format!("${}", idx + 1)).cloned().flatten(),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let plan = udtf::bind(plan, &values)?;
    plan.with_param_values(ParamValues::List(
        values.into_iter().map(Into::into).collect(),
    ))
    .map_err(from_datafusion)
}

/// A bound value as DataFusion wants it, cast to the type planning inferred when known.
fn scalar(value: &Value, want: Option<DataType>) -> Result<ScalarValue> {
    let raw = match value {
        Value::Null => ScalarValue::Null,
        Value::Bool(b) => ScalarValue::Boolean(Some(*b)),
        Value::Int(i) => ScalarValue::Int64(Some(*i)),
        Value::Float(f) => ScalarValue::Float64(Some(*f)),
        Value::Text(s) | Value::Jsonb(s) => ScalarValue::Utf8(Some(s.clone())),
        Value::Bytea(b) => ScalarValue::Binary(Some(b.clone())),
        Value::Timestamptz(us) => ScalarValue::TimestampMicrosecond(Some(*us), Some("UTC".into())),
    };
    let Some(want) = want else { return Ok(raw) };
    if raw.is_null() {
        return ScalarValue::try_from(&want).map_err(from_datafusion);
    }
    let want = match want {
        DataType::Timestamp(_, tz) => DataType::Timestamp(TimeUnit::Microsecond, tz),
        other => other,
    };
    raw.cast_to(&want)
        .map_err(|_| Error::InvalidParameter(format!("cannot use {} as {want}", raw.data_type())))
}
