//! PostgreSQL 15's date/time functions in DataFusion, delegating to `mindoodb-pgfn`'s
//! `datetime` and `format` modules: `to_char` (`to_char.rs`).
//!
//! Invariants:
//! - A function registered here replaces DataFusion's of the same name, so the answer is
//!   PostgreSQL's.

mod to_char;

use datafusion::common::Result as DfResult;
use datafusion::prelude::SessionContext;

/// Registers the functions on a session.
pub(crate) fn register(ctx: &mut SessionContext) -> DfResult<()> {
    ctx.register_udf(to_char::ToChar::udf());
    Ok(())
}
