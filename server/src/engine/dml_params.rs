//! Parameter types of INSERT, UPDATE and DELETE for Describe, as Postgres infers them: from
//! the column a bare `$n` fills (`data` is jsonb), else from the expression around it, found
//! by planning an equivalent SELECT with DataFusion.
//!
//! Invariants:
//! - Only inference: a type it cannot find stays for the caller to default (text), and a
//!   statement that fails to plan here still fails or runs as before when executed.
//! - The probe SELECTs read nothing: they are planned, never executed.

use std::collections::HashMap;

use datafusion::arrow::datatypes::Field;
use datafusion::sql::sqlparser::ast::{
    AssignmentTarget, Expr, FromTable, SetExpr, Statement, Value as SqlValue,
};

use super::classify;
use super::query::pg_type_of;
use super::session::Session;
use crate::output::PgType;

/// Inferred types by parameter number (1-based).
pub(crate) async fn infer(session: &Session, statement: &Statement) -> HashMap<usize, PgType> {
    let mut direct = HashMap::new();
    let mut probes: Vec<String> = Vec::new();
    match statement {
        Statement::Insert(insert) => {
            let targets: Vec<String> = if insert.columns.is_empty() {
                vec!["id".into(), "data".into(), "key_id".into()]
            } else {
                insert
                    .columns
                    .iter()
                    .map(|c| c.to_string().to_lowercase())
                    .collect()
            };
            if let Some(source) = &insert.source {
                match source.body.as_ref() {
                    SetExpr::Values(values) => {
                        for row in &values.rows {
                            for (target, expr) in targets.iter().zip(row.content.iter()) {
                                if let Some(n) = placeholder(expr) {
                                    direct.insert(n, column_type(target));
                                }
                            }
                            let exprs: Vec<String> =
                                row.content.iter().map(ToString::to_string).collect();
                            probes.push(format!("SELECT {}", exprs.join(", ")));
                        }
                    }
                    _ => probes.push(source.to_string()),
                }
            }
        }
        Statement::Update(update) => {
            let mut exprs = vec!["1".to_owned()];
            for assignment in &update.assignments {
                if let AssignmentTarget::ColumnName(column) = &assignment.target {
                    let column = column.to_string().to_lowercase();
                    if let Some(n) = placeholder(&assignment.value) {
                        direct.insert(n, column_type(&column));
                    }
                    exprs.push(assignment.value.to_string());
                }
            }
            probes.push(format!(
                "SELECT {} FROM {}{}",
                exprs.join(", "),
                update.table,
                where_clause(update.selection.as_ref())
            ));
        }
        Statement::Delete(delete) => {
            let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) =
                &delete.from;
            if let [table] = tables.as_slice() {
                probes.push(format!(
                    "SELECT 1 FROM {table}{}",
                    where_clause(delete.selection.as_ref())
                ));
            }
        }
        _ => {}
    }
    let mut inferred = HashMap::new();
    for probe in probes {
        let Ok(mut statements) = classify::parse(&probe) else {
            continue;
        };
        let Some(statement) = statements.pop() else {
            continue;
        };
        let Ok(plan) = session.plan_query(statement).await else {
            continue;
        };
        let Ok(types) = plan.get_parameter_types() else {
            continue;
        };
        for (name, data_type) in types {
            let number = name.strip_prefix('$').and_then(|n| n.parse::<usize>().ok());
            if let (Some(number), Some(data_type)) = (number, data_type)
                && let Some(pg_type) = pg_type_of(&Field::new("", data_type, true))
            {
                inferred.entry(number).or_insert(pg_type);
            }
        }
    }
    inferred.extend(direct);
    inferred
}

/// The type a document column takes: `data` is jsonb, the others (`id`, `key_id`) text.
fn column_type(column: &str) -> PgType {
    if column == "data" {
        PgType::Jsonb
    } else {
        PgType::Text
    }
}

/// `$n` as written (in parentheses or not).
fn placeholder(expr: &Expr) -> Option<usize> {
    match expr {
        Expr::Value(value) => match &value.value {
            SqlValue::Placeholder(name) => name.strip_prefix('$')?.parse().ok(),
            _ => None,
        },
        Expr::Nested(inner) => placeholder(inner),
        _ => None,
    }
}

fn where_clause(selection: Option<&Expr>) -> String {
    selection.map_or_else(String::new, |s| format!(" WHERE {s}"))
}
