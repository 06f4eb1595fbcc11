//! Views as queries read them: a stored view's SQL planned again, in the querying session,
//! whenever a query names it (or `pg_catalog` lists its columns); the relations a view's text
//! reads; and the cycle check both planning and CREATE VIEW make.
//!
//! Invariants:
//! - A view is planned in the session that queries it: it reads through that session's keys
//!   and pending writes, never its creator's.
//! - No view reaches itself through other views: planning refuses it (42P17), so a race
//!   between two sessions cannot send the planner into endless recursion.

use std::collections::BTreeSet;
use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::datasource::ViewTable;
use datafusion::execution::SessionState;
use mindoodb_storage::{Store, TenantId, ViewInfo};

use super::query::plan_in;
use crate::engine::sql::parse::parse_view;
use crate::engine::sql::relations::references;
use crate::error::{Error, Result};

/// Views a view may nest through before planning gives up (Postgres has no limit, but a
/// chain this long is a mistake, and the planner recurses once per level).
const MAX_DEPTH: usize = 32;

/// Gives a copy of the owning session's DataFusion state, or `None` once the session is gone.
pub(crate) type Planner = Arc<dyn Fn() -> Option<SessionState> + Send + Sync>;

/// The table provider of a view, planned with the querying session's state.
pub(crate) async fn provider(
    planner: &Planner,
    store: &Store,
    tenant: TenantId,
    name: &str,
    sql: &str,
) -> Result<Arc<dyn TableProvider>> {
    let mut seen = BTreeSet::from([name.to_owned()]);
    check_acyclic(store, tenant, sql, &mut seen, 0)?;
    let state = planner().ok_or_else(|| Error::Internal("the session ended".into()))?;
    let plan = plan_in(&state, parse_view(sql)?).await?;
    Ok(Arc::new(ViewTable::new(plan, Some(sql.to_owned()))))
}

/// The columns of a view, for the catalog, whose system tables and functions are synchronous.
/// Planning a view only looks relations up in memory (the store's catalog, the system
/// schemas) and never waits on I/O or on the runtime, so it is driven to completion here.
pub(crate) fn schema(
    planner: &Planner,
    store: &Store,
    tenant: TenantId,
    view: &ViewInfo,
) -> Result<SchemaRef> {
    let provider =
        futures::executor::block_on(provider(planner, store, tenant, &view.name, &view.sql))?;
    Ok(provider.schema())
}

/// Fails with `RecursiveView` when `sql`, through stored views, reads a view in `seen`.
pub(crate) fn check_acyclic(
    store: &Store,
    tenant: TenantId,
    sql: &str,
    seen: &mut BTreeSet<String>,
    depth: usize,
) -> Result<()> {
    for name in references(sql)? {
        if seen.contains(&name) || depth >= MAX_DEPTH {
            return Err(Error::RecursiveView(name));
        }
        if let Some(view) = store.view(tenant, &name) {
            seen.insert(name.clone());
            check_acyclic(store, tenant, &view.sql, seen, depth + 1)?;
            seen.remove(&name);
        }
    }
    Ok(())
}
