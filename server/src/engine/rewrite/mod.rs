//! Postgres syntax DataFusion does not plan, rewritten on the parsed AST before planning, each
//! rewrite an equivalence: `mindoo.*` table functions (`table_fns.rs`), subqueries over
//! always-empty catalogs (`empty_source.rs`), qualified names, operators, collations, `::reg*`
//! casts, `ARRAY(subquery)` and output shapes (`pg_syntax.rs`, with `scalar_subquery.rs`,
//! `correlation.rs`, `array_literal.rs`, `json_agg.rs` and `table_fn_args.rs`).
//!
//! Invariants:
//! - Every rewrite keeps Postgres' meaning; syntax whose meaning would change is left for the
//!   planner to refuse.
//! - Works on the AST only: no query text is inspected or built.

mod array_literal;
mod correlation;
mod empty_source;
mod json_agg;
pub(crate) mod pg_syntax;
mod scalar_subquery;
mod table_fn_args;
mod table_fns;

use datafusion::execution::SessionState;
use datafusion::sql::sqlparser::ast::Statement;

pub(crate) use pg_syntax::register;
pub(crate) use table_fns::{TableFns, registered_name};

use crate::catalog;
use crate::error::Result;

/// Rewrites `statement` for planning in `state`, whose table functions `fns` describes.
pub(crate) fn rewrite(
    statement: &mut Statement,
    state: &SessionState,
    fns: &dyn TableFns,
) -> Result<()> {
    table_fns::rename(statement, fns)?;
    let is_aggregate = |name: &str| {
        state.aggregate_functions().contains_key(name)
            || state.window_functions().contains_key(name)
            || json_agg::is_json_aggregate(name)
    };
    empty_source::prune(statement, &catalog::always_empty, &is_aggregate);
    pg_syntax::rewrite(statement, &is_aggregate)
}
