//! RETURNING of INSERT, UPDATE and DELETE: which document columns it names, and the rows the
//! written revisions give it.
//!
//! Invariants:
//! - RETURNING names document columns (with aliases) or `*`; anything else is 0A000.
//! - Its columns are typed as the table's (`catalog::doc_columns`).

use datafusion::sql::sqlparser::ast::{Expr, SelectItem};

use crate::catalog::doc_columns::{DOC_COLUMNS, doc_column};
use crate::catalog::names;
use crate::engine::read::row::{Projection, Row};
use crate::engine::read::shape;
use crate::error::{Error, Result};
use crate::output::{Batches, Column, Output};

/// RETURNING as the list of document columns it names.
pub(crate) struct Returning {
    columns: Vec<Column>,
    indices: Vec<usize>,
}

impl Returning {
    /// The plan of a statement's `RETURNING items`, if it has that clause.
    pub(crate) fn of(items: Option<&[SelectItem]>) -> Result<Option<Returning>> {
        items.map(Returning::new).transpose()
    }

    fn new(items: &[SelectItem]) -> Result<Returning> {
        let mut plan = Returning {
            columns: Vec::new(),
            indices: Vec::new(),
        };
        for item in items {
            let (ident, alias) = match item {
                SelectItem::Wildcard(_) => {
                    for (idx, column) in DOC_COLUMNS.iter().enumerate() {
                        plan.push(idx, column.name.to_owned());
                    }
                    continue;
                }
                SelectItem::UnnamedExpr(Expr::Identifier(ident)) => (ident, None),
                SelectItem::ExprWithAlias {
                    expr: Expr::Identifier(ident),
                    alias,
                } => (ident, Some(names::fold(alias))),
                other => {
                    return Err(Error::FeatureNotSupported(format!(
                        "RETURNING {other}: name columns or use *"
                    )));
                }
            };
            let name = names::fold(ident);
            let (idx, _) = doc_column(&name).ok_or_else(|| Error::UndefinedColumn(name.clone()))?;
            plan.push(idx, alias.unwrap_or(name));
        }
        Ok(plan)
    }

    fn push(&mut self, idx: usize, name: String) {
        self.columns.push(Column {
            name,
            pg_type: DOC_COLUMNS[idx].pg_type,
        });
        self.indices.push(idx);
    }
}

/// The columns `RETURNING items` gives, for Describe; none when it names something else.
pub(crate) fn columns(items: Option<&[SelectItem]>) -> Vec<Column> {
    items
        .and_then(|items| Returning::new(items).ok())
        .map(|plan| plan.columns)
        .unwrap_or_default()
}

/// The output of a write of `n` documents: its tag with the count, or RETURNING's rows.
pub(crate) fn finish(
    tag: &'static str,
    n: usize,
    returning: Option<Returning>,
    rows: Vec<Row>,
) -> Result<Output> {
    let Some(returning) = returning else {
        return Ok(Output::Command { tag, rows: Some(n) });
    };
    let batch = Projection::all().batch(&rows)?;
    let projected = batch
        .project(&returning.indices)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let batches = shape::cast_columns(&returning.columns, vec![projected])?;
    Ok(Output::Rows {
        columns: returning.columns,
        batches: Batches::ready(batches),
        tag,
    })
}
