//! Result shapes as Postgres clients expect them: column names (aliases, column and function
//! names, `?column?`) and Postgres types, with every column cast to its type's canonical
//! Arrow type.
//!
//! Invariants:
//! - Output columns have exactly `PgType::arrow_type()` (see output.rs); anything else is cast
//!   here or refused.

use std::sync::Arc;

use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::DFSchema;
use datafusion::sql::sqlparser::ast::{AccessExpr, Expr, SelectItem, SetExpr, Statement};

use crate::catalog::names;
use crate::error::{Error, Result};
use crate::output::{Column, PgType};

/// The result columns of a plan with output `schema`, named `names`.
pub(crate) fn columns_of(schema: &DFSchema, names: Vec<String>) -> Vec<Column> {
    schema
        .fields()
        .iter()
        .zip(names)
        .map(|(field, name)| Column {
            name,
            pg_type: PgType::of_field(field).unwrap_or(PgType::Text),
        })
        .collect()
}

/// `batches` with every column cast to its column's canonical Arrow type.
pub(crate) fn cast_columns(
    columns: &[Column],
    batches: Vec<RecordBatch>,
) -> Result<Vec<RecordBatch>> {
    batches
        .into_iter()
        .map(|batch| cast_batch(columns, batch))
        .collect()
}

/// `batch` with every column cast to its column's canonical Arrow type.
pub(crate) fn cast_batch(columns: &[Column], batch: RecordBatch) -> Result<RecordBatch> {
    if batch
        .columns()
        .iter()
        .zip(columns)
        .all(|(array, column)| *array.data_type() == column.pg_type.arrow_type())
    {
        return Ok(batch);
    }
    let arrow_schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(&c.name, c.pg_type.arrow_type(), true))
            .collect::<Vec<_>>(),
    ));
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
                    Error::FeatureNotSupported(format!("result column {}: {e}", column.name))
                })
            }
        })
        .collect::<Result<Vec<_>>>()?;
    RecordBatch::try_new(arrow_schema, arrays).map_err(|e| Error::Internal(e.to_string()))
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
            SelectItem::ExprWithAlias { alias, .. } => Some(names::fold(alias)),
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
        Expr::Identifier(ident) => names::fold(ident),
        Expr::CompoundIdentifier(parts) => {
            parts.last().map_or_else(|| "?column?".into(), names::fold)
        }
        Expr::Function(function) => function
            .name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .map_or_else(|| "?column?".into(), names::fold),
        // PostgreSQL's FigureColname: a cast keeps a name its operand has on its own (a
        // column, a function), else it is named after its type, the outermost cast's.
        Expr::Cast {
            expr, data_type, ..
        } => own_name(expr).unwrap_or_else(|| pg_type_name(&data_type.to_string())),
        Expr::TypedString(typed) => pg_type_name(&typed.data_type.to_string()),
        Expr::Nested(inner) | Expr::Collate { expr: inner, .. } => expr_name(inner),
        // Named after the last field it reads, else after what it subscripts (`a[1]` is `a`).
        Expr::CompoundFieldAccess { root, access_chain } => access_chain
            .iter()
            .rev()
            .find_map(|access| match access {
                AccessExpr::Dot(Expr::Identifier(field)) => Some(names::fold(field)),
                _ => None,
            })
            .unwrap_or_else(|| expr_name(root)),
        // A scalar subquery is named after its one column.
        Expr::Subquery(query) => match query.body.as_ref() {
            SetExpr::Select(select) => match select.projection.as_slice() {
                [SelectItem::UnnamedExpr(inner)] => expr_name(inner),
                [SelectItem::ExprWithAlias { alias, .. }] => names::fold(alias),
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

/// The name an operand of a cast has on its own, `None` for a constant or another cast
/// of one (which PostgreSQL names after the type).
fn own_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Cast { expr, .. } => own_name(expr),
        Expr::Value(_) | Expr::TypedString(_) => None,
        Expr::Nested(inner) => own_name(inner),
        other => Some(expr_name(other)).filter(|name| name != "?column?"),
    }
}

fn pg_type_name(sql_type: &str) -> String {
    let lower = sql_type.to_lowercase();
    match lower.strip_prefix("pg_catalog.").unwrap_or(&lower) {
        "int" | "integer" | "int4" => "int4".into(),
        "bigint" | "int8" => "int8".into(),
        "smallint" | "int2" => "int2".into(),
        "text" => "text".into(),
        "varchar" | "character varying" => "varchar".into(),
        "boolean" => "bool".into(),
        "double precision" => "float8".into(),
        "real" => "float4".into(),
        other => other.to_owned(),
    }
}
