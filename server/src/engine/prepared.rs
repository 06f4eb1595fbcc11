//! A statement of the extended protocol, parsed, classified and described once at Parse:
//! Describe reads its types and Execute runs it without classifying it again.
//!
//! Invariants:
//! - `param_types` has one type per `$n`, never unknown; `columns` is empty for statements
//!   that return no rows.
//! - The redacted text (`mindoo.activity`, the slow-statement log) is made once, here.

use std::sync::Arc;

use datafusion::logical_expr::LogicalPlan;

use super::read::point_read::PointRead;
use super::sql::classify::Classified;
use crate::output::{Column, PgType};

/// A parsed, classified, described statement.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// One type per `$n`, never unknown.
    pub param_types: Vec<PgType>,
    /// Result columns; empty when the statement returns no rows.
    pub columns: Vec<Column>,
    pub(super) classified: Classified,
    /// A query's plan, made at Parse.
    pub(super) plan: Option<LogicalPlan>,
    /// The statement as `mindoo.activity` and the slow-statement log show it.
    pub(super) query: Arc<str>,
    /// The plan's point read, matched once here instead of at every Execute.
    pub(super) point_read: Option<PointRead>,
}
