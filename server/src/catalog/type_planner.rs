//! Postgres type names DataFusion does not know, as Arrow types: `oid`, `name`, `"char"`,
//! `xid`, `regproc`-like names, `int2vector`, `oidvector`, `aclitem`, `pg_node_tree`.
//!
//! Invariants:
//! - Types are tried on the inner planner (jsonb/json) first.
//! - Every name maps to the Arrow type the system tables use for it (`table.rs`), so casts
//!   and catalog columns compare without surprises.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result as DfResult;
use datafusion::logical_expr::planner::TypePlanner;
use datafusion::sql::sqlparser::ast;

use super::names;

/// Plans Postgres catalog type names, after `inner`.
#[derive(Debug)]
pub(crate) struct PgTypePlanner {
    inner: Arc<dyn TypePlanner>,
}

impl PgTypePlanner {
    pub(crate) fn new(inner: Arc<dyn TypePlanner>) -> PgTypePlanner {
        PgTypePlanner { inner }
    }
}

impl TypePlanner for PgTypePlanner {
    fn plan_type_field(&self, sql_type: &ast::DataType) -> DfResult<Option<FieldRef>> {
        if let Some(field) = self.inner.plan_type_field(sql_type)? {
            return Ok(Some(field));
        }
        let ast::DataType::Custom(name, modifiers) = sql_type else {
            return Ok(None);
        };
        let [part] = name.0.as_slice() else {
            return Ok(None);
        };
        let Some(ident) = part.as_ident() else {
            return Ok(None);
        };
        if !modifiers.is_empty() {
            return Ok(None);
        }
        let list =
            |element: DataType| DataType::List(Arc::new(Field::new_list_field(element, true)));
        let data_type = match names::fold(ident).as_str() {
            "oid" | "xid" | "cid" => DataType::UInt32,
            "name" | "char" | "aclitem" | "pg_node_tree" => DataType::Utf8,
            "int2vector" => list(DataType::Int16),
            "oidvector" => list(DataType::UInt32),
            _ => return Ok(None),
        };
        Ok(Some(Arc::new(Field::new("", data_type, true))))
    }
}
