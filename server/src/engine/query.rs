//! SELECT through DataFusion: planning with parameters, running, and shaping results the way
//! Postgres clients expect (column names, Postgres types).
//!
//! Invariants:
//! - Output columns have exactly `PgType::arrow_type()` (see output.rs); anything else is cast
//!   here or refused.
//! - Parameters are never OID 0: unresolved ones are text.

use std::collections::HashMap;

use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::{DFSchema, ParamValues, ScalarValue};
use datafusion::error::DataFusionError;
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{Expr, SelectItem, SetExpr, Statement};
use mindoodb_protocol::DocId;

use super::json::is_jsonb;
use super::point_read::PointRead;
use super::session::{Prepared, Session, TxnStatus};
use super::{dialect, empty_source, udtf};
use crate::catalog;
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType, Value};

pub(crate) async fn plan(ctx: &SessionContext, mut statement: Statement) -> Result<LogicalPlan> {
    udtf::rewrite(&mut statement);
    let state = ctx.state();
    let is_aggregate = |name: &str| {
        state.aggregate_functions().contains_key(name)
            || state.window_functions().contains_key(name)
    };
    empty_source::prune(&mut statement, &catalog::always_empty, &is_aggregate);
    dialect::rewrite(&mut statement, &is_aggregate)?;
    let statement = datafusion::sql::parser::Statement::Statement(Box::new(statement));
    state
        .statement_to_plan(statement)
        .await
        .map_err(from_datafusion)
}

pub(crate) async fn describe(
    session: &mut Session,
    statement: Statement,
    declared: &[Option<PgType>],
) -> Result<Prepared> {
    let plan = session.plan_query(statement.clone()).await?;
    let mut inferred: HashMap<String, Option<PgType>> = plan
        .get_parameter_types()
        .map_err(from_datafusion)?
        .into_iter()
        .map(|(id, t)| (id, t.and_then(|t| pg_type_of(&Field::new("", t, true)))))
        .collect();
    // Table-function arguments are not plan expressions: their types come from signatures.
    for (id, field) in udtf::parameter_types(&plan) {
        inferred.insert(id, pg_type_of(&field));
    }
    let n_params = inferred.len().max(declared.len());
    let param_types = (0..n_params)
        .map(|idx| {
            let declared = declared.get(idx).copied().flatten();
            let inferred = inferred.get(&format!("${}", idx + 1)).copied().flatten();
            declared.or(inferred).unwrap_or(PgType::Text)
        })
        .collect();
    let columns = columns_of(plan.schema(), column_names(&statement, plan.schema()));
    let point_read = PointRead::of(&plan);
    Ok(Prepared::new(
        param_types,
        columns,
        statement,
        Some(plan),
        point_read,
    ))
}

pub(crate) async fn run(
    session: &mut Session,
    statement: Statement,
    plan: Option<LogicalPlan>,
    params: &[Value],
) -> Result<Output> {
    let plan = match plan {
        Some(plan) => plan,
        None => session.plan_query(statement.clone()).await?,
    };
    let plan = if params.is_empty() {
        plan
    } else {
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
        .map_err(from_datafusion)?
    };
    if let Some(name) = udtf::writing_function(&plan) {
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
    let frame = session
        .ctx
        .execute_logical_plan(plan)
        .await
        .map_err(from_datafusion)?;
    let schema = frame.schema().clone();
    let batches = frame.collect().await.map_err(from_datafusion)?;
    let (columns, batches) = shape(&schema, names, batches)?;
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
    session.engine.activity().count_point_read();
    let batches = cast_columns(&columns, read.run(id)?)?;
    Ok(Output::Rows {
        columns,
        batches,
        tag: "SELECT",
    })
}

/// Casts every column to its Postgres type's canonical Arrow type.
pub(crate) fn shape(
    schema: &DFSchema,
    names: Vec<String>,
    batches: Vec<RecordBatch>,
) -> Result<(Vec<Column>, Vec<RecordBatch>)> {
    let columns = columns_of(schema, names);
    let batches = cast_columns(&columns, batches)?;
    Ok((columns, batches))
}

/// The result columns of a plan with output `schema`, named `names`.
fn columns_of(schema: &DFSchema, names: Vec<String>) -> Vec<Column> {
    schema
        .fields()
        .iter()
        .zip(names)
        .map(|(field, name)| Column {
            name,
            pg_type: pg_type_of(field).unwrap_or(PgType::Text),
        })
        .collect()
}

/// `batches` with every column cast to its column's canonical Arrow type.
fn cast_columns(columns: &[Column], batches: Vec<RecordBatch>) -> Result<Vec<RecordBatch>> {
    let arrow_schema = std::sync::Arc::new(datafusion::arrow::datatypes::Schema::new(
        columns
            .iter()
            .map(|c| Field::new(&c.name, c.pg_type.arrow_type(), true))
            .collect::<Vec<_>>(),
    ));
    batches
        .into_iter()
        .map(|batch| {
            let arrays = batch
                .columns()
                .iter()
                .zip(columns)
                .map(|(array, column)| {
                    let target = column.pg_type.arrow_type();
                    if array.data_type() == &target {
                        Ok(array.clone())
                    } else {
                        cast(array, &target).map_err(|e| {
                            Error::FeatureNotSupported(format!(
                                "result column {}: {e}",
                                column.name
                            ))
                        })
                    }
                })
                .collect::<Result<Vec<_>>>()?;
            RecordBatch::try_new(arrow_schema.clone(), arrays)
                .map_err(|e| Error::Internal(e.to_string()))
        })
        .collect()
}

/// The Postgres type a result field travels as.
pub(crate) fn pg_type_of(field: &Field) -> Option<PgType> {
    Some(match field.data_type() {
        DataType::Boolean => PgType::Bool,
        DataType::Int8 | DataType::Int16 | DataType::UInt8 => PgType::Int2,
        DataType::Int32 | DataType::UInt16 => PgType::Int4,
        DataType::UInt32 => PgType::Oid,
        DataType::Int64 | DataType::UInt64 => PgType::Int8,
        DataType::Float16 | DataType::Float32 => PgType::Float4,
        DataType::Float64 => PgType::Float8,
        DataType::Decimal32(..)
        | DataType::Decimal64(..)
        | DataType::Decimal128(..)
        | DataType::Decimal256(..) => PgType::Numeric,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View if is_jsonb(field) => {
            PgType::Jsonb
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => PgType::Text,
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => PgType::Bytea,
        DataType::Timestamp(..) => PgType::Timestamptz,
        DataType::Date32 | DataType::Date64 => PgType::Date,
        DataType::List(element)
        | DataType::LargeList(element)
        | DataType::FixedSizeList(element, _) => match pg_type_of(element)? {
            PgType::Bool => PgType::BoolArray,
            PgType::Int2 => PgType::Int2Array,
            PgType::Int4 => PgType::Int4Array,
            PgType::Int8 => PgType::Int8Array,
            PgType::Float4 | PgType::Float8 => PgType::Float8Array,
            PgType::Oid => PgType::OidArray,
            _ => PgType::TextArray,
        },
        _ => return None,
    })
}

/// Column names as Postgres gives them: aliases, column names, function names, else `?column?`.
pub(crate) fn column_names(statement: &Statement, schema: &DFSchema) -> Vec<String> {
    let fallback: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let Statement::Query(query) = statement else {
        return fallback;
    };
    // A set operation takes its names from its first branch, as in Postgres.
    let mut body = query.body.as_ref();
    let select = loop {
        match body {
            SetExpr::Select(select) => break select,
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(inner) => body = inner.body.as_ref(),
            _ => return fallback,
        }
    };
    let named: Option<Vec<String>> = select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(expr) => Some(expr_name(expr)),
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
            _ => None,
        })
        .collect();
    match named {
        Some(names) if names.len() == fallback.len() => names,
        _ => fallback,
    }
}

pub(crate) fn expr_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(ident) => ident.value.clone(),
        Expr::CompoundIdentifier(parts) => parts
            .last()
            .map_or_else(|| "?column?".into(), |p| p.value.clone()),
        Expr::Function(function) => function
            .name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map_or_else(|| "?column?".into(), |i| i.value.to_lowercase()),
        Expr::Cast {
            expr, data_type, ..
        } => match expr.as_ref() {
            Expr::Value(_) => pg_type_name(&data_type.to_string()),
            inner => match expr_name(inner).as_str() {
                "?column?" => pg_type_name(&data_type.to_string()),
                name => name.to_owned(),
            },
        },
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => expr_name(inner),
        // A scalar subquery is named after its one column.
        Expr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.as_slice() {
                [SelectItem::UnnamedExpr(inner)] => expr_name(inner),
                [SelectItem::ExprWithAlias { alias, .. }] => alias.value.clone(),
                _ => "?column?".into(),
            },
            _ => "?column?".into(),
        },
        Expr::Case { .. } => "case".into(),
        Expr::Exists { .. } => "exists".into(),
        Expr::Array(_) => "array".into(),
        _ => "?column?".into(),
    }
}

fn pg_type_name(sql_type: &str) -> String {
    let lower = sql_type.to_lowercase();
    match lower.strip_prefix("pg_catalog.").unwrap_or(&lower) {
        "int" | "integer" | "int4" => "int4".into(),
        "bigint" | "int8" => "int8".into(),
        "smallint" | "int2" => "int2".into(),
        "text" | "varchar" => "text".into(),
        other => other.to_owned(),
    }
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

/// Unwraps our own errors that travelled through DataFusion (from table scans).
pub(crate) fn from_datafusion(err: DataFusionError) -> Error {
    match err {
        DataFusionError::External(inner) => match inner.downcast::<Error>() {
            Ok(ours) => *ours,
            Err(other) => Error::Query(DataFusionError::External(other)),
        },
        DataFusionError::Context(_, inner) => from_datafusion(*inner),
        DataFusionError::Shared(shared) => match std::sync::Arc::try_unwrap(shared) {
            Ok(inner) => from_datafusion(inner),
            Err(shared) => Error::Query(DataFusionError::Shared(shared)),
        },
        other => Error::Query(other),
    }
}
