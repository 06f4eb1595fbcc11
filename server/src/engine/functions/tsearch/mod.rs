//! PostgreSQL 15's full-text search in DataFusion, delegating to `mindoodb-pgfn`'s `tsearch`:
//! the types `tsvector`, `tsquery` and `regconfig` (`types.rs`), input casts and `length`
//! of a tsvector (`rewrite.rs`), the operators planned from SQL (`operators.rs`), the
//! functions (`kind.rs` lists them, `eval.rs` computes a row, `udf.rs` runs a column), and
//! documents walked into text for them (`json_walk.rs`).
//!
//! Invariants:
//! - A tsvector, tsquery or regconfig value is Utf8 holding PostgreSQL's output text, in a
//!   field marked with its type; every function parses its arguments from that text, so a
//!   value always reads back as the one written.
//! - Functions without a configuration argument use the session's
//!   `default_text_search_config`, as PostgreSQL does.

mod eval;
mod json_walk;
mod kind;
mod operators;
mod rewrite;
mod types;
mod udf;

use std::sync::Arc;

use datafusion::common::Result as DfResult;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::SessionContext;

pub(crate) use types::TsTypePlanner;

use crate::catalog::Settings;

/// Registers the functions, the operator planner and the rewrite on a session; `settings`
/// are the session's, for its default configuration.
pub(crate) fn register(ctx: &mut SessionContext, settings: &Settings) -> DfResult<()> {
    let functions = udf::Functions::new(settings.clone());
    for kind in kind::Kind::CALLABLE {
        ctx.register_udf(functions.udf(kind))?;
    }
    ctx.register_expr_planner(Arc::new(operators::TsOperators::new(functions.clone())))?;
    ctx.add_analyzer_rule(Arc::new(rewrite::TsRewrite::new(functions)));
    Ok(())
}
