//! The full-text search type names in SQL: `tsvector`, `tsquery` and `regconfig` (optionally
//! `pg_catalog.`-qualified) plan as Utf8 fields marked with the type, so a cast to one is a
//! cast to the marked field, which `rewrite.rs` turns into the type's input function.
//!
//! Invariants:
//! - Names this planner does not know go to the planner it wraps, unchanged.

use std::sync::Arc;

use datafusion::arrow::datatypes::FieldRef;
use datafusion::common::Result as DfResult;
use datafusion::logical_expr::planner::TypePlanner;
use datafusion::sql::sqlparser::ast;

use crate::catalog::names;
use crate::output::PgType;

/// Plans the full-text search types, and every other type by `inner`.
#[derive(Debug)]
pub(crate) struct TsTypePlanner {
    inner: Arc<dyn TypePlanner>,
}

impl TsTypePlanner {
    pub(crate) fn new(inner: Arc<dyn TypePlanner>) -> TsTypePlanner {
        TsTypePlanner { inner }
    }
}

impl TypePlanner for TsTypePlanner {
    fn plan_type_field(&self, sql_type: &ast::DataType) -> DfResult<Option<FieldRef>> {
        // sqlparser knows the two search types by name; `regconfig` comes as a custom name.
        match sql_type {
            ast::DataType::TsVector => return Ok(Some(Arc::new(PgType::TsVector.field("", true)))),
            ast::DataType::TsQuery => return Ok(Some(Arc::new(PgType::TsQuery.field("", true)))),
            _ => {}
        }
        if let ast::DataType::Custom(name, modifiers) = sql_type
            && modifiers.is_empty()
            && let Ok(parts) = names::parts(name)
        {
            let bare = match parts.as_slice() {
                [bare] => Some(bare),
                [schema, bare] if schema == "pg_catalog" => Some(bare),
                _ => None,
            };
            let pg_type = match bare.map(String::as_str) {
                Some("tsvector") => Some(PgType::TsVector),
                Some("tsquery") => Some(PgType::TsQuery),
                Some("regconfig") => Some(PgType::RegConfig),
                _ => None,
            };
            if let Some(pg_type) = pg_type {
                return Ok(Some(Arc::new(pg_type.field("", true))));
            }
        }
        self.inner.plan_type_field(sql_type)
    }
}
