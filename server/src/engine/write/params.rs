//! Parameter types of INSERT, UPDATE and DELETE for Describe, as Postgres infers them: from
//! the column a bare `$n` fills (`data` is jsonb), else from the expression around it, found
//! by planning an equivalent SELECT (built as an AST by `select.rs`) with DataFusion.
//!
//! Invariants:
//! - Only inference: a type it cannot find stays for the caller to default (text), and a
//!   statement that fails to plan here still fails or runs as before when executed.
//! - The probe SELECTs read nothing: they are planned, never executed.

use std::collections::HashMap;

use datafusion::sql::sqlparser::ast::{
    AssignmentTarget, Delete, Expr, FromTable, Insert, SetExpr, Statement, TableWithJoins, Update,
    Value as SqlValue,
};

use super::insert::targets;
use crate::catalog::doc_columns::DOC_COLUMNS;
use crate::catalog::names;
use crate::engine::read::query;
use crate::engine::session::Session;
use crate::engine::sql::ast::select;
use crate::engine::sql::params::placeholder;
use crate::output::PgType;

/// A DML statement whose parameters Describe types.
pub(crate) enum Dml<'a> {
    Insert(&'a Insert),
    Update(&'a Update),
    Delete(&'a Delete),
}

/// Inferred types by parameter number (1-based).
pub(crate) async fn infer(session: &Session, statement: Dml<'_>) -> HashMap<usize, PgType> {
    let mut direct = HashMap::new();
    let mut probes: Vec<Statement> = Vec::new();
    let one = || Expr::value(SqlValue::Number("1".into(), false));
    match statement {
        Dml::Insert(insert) => {
            let columns: crate::error::Result<Vec<String>> =
                insert.columns.iter().map(names::single).collect();
            let targets = columns
                .and_then(|columns| targets(columns, "inserted"))
                .unwrap_or_default();
            if let Some(source) = &insert.source {
                match source.body.as_ref() {
                    SetExpr::Values(values) => {
                        for row in &values.rows {
                            for (target, expr) in targets.iter().zip(row.content.iter()) {
                                if let Some(n) = placeholder(expr) {
                                    direct.insert(n, DOC_COLUMNS[*target].pg_type);
                                }
                            }
                            probes.push(select(row.content.clone(), None, None));
                        }
                    }
                    _ => probes.push(Statement::Query(source.clone())),
                }
            }
        }
        Dml::Update(update) => {
            let mut exprs = vec![one()];
            for assignment in &update.assignments {
                if let AssignmentTarget::ColumnName(column) = &assignment.target {
                    let pg_type = names::single(column).ok().and_then(|column| {
                        DOC_COLUMNS
                            .iter()
                            .find(|c| c.name == column)
                            .map(|c| c.pg_type)
                    });
                    if let (Some(n), Some(pg_type)) = (placeholder(&assignment.value), pg_type) {
                        direct.insert(n, pg_type);
                    }
                    exprs.push(assignment.value.clone());
                }
            }
            probes.push(select(
                exprs,
                Some(update.table.clone()),
                update.selection.clone(),
            ));
        }
        Dml::Delete(delete) => {
            let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) =
                &delete.from;
            if let [table] = tables.as_slice() {
                let table: TableWithJoins = table.clone();
                probes.push(select(vec![one()], Some(table), delete.selection.clone()));
            }
        }
    }
    let mut inferred = HashMap::new();
    for probe in probes {
        let Ok(plan) = query::plan(session.ctx(), probe).await else {
            continue;
        };
        let Ok(types) = plan.get_parameter_types() else {
            continue;
        };
        for (name, data_type) in types {
            let number = name.strip_prefix('$').and_then(|n| n.parse::<usize>().ok());
            if let (Some(number), Some(data_type)) = (number, data_type)
                && let Some(pg_type) = PgType::of_field(&datafusion::arrow::datatypes::Field::new(
                    "", data_type, true,
                ))
            {
                inferred.entry(number).or_insert(pg_type);
            }
        }
    }
    inferred.extend(direct);
    inferred
}
