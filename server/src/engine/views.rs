//! Views: CREATE [OR REPLACE] VIEW and DROP VIEW, kept as SQL text in the catalog and planned
//! again, in the querying session, whenever a query names one (or `pg_catalog` lists its
//! columns); and the dependencies between views and the relations they read, which DROP
//! respects as Postgres does.
//!
//! Invariants:
//! - A view is stored only after its query planned in the creating session, so it names only
//!   relations that existed then.
//! - A view is planned in the session that queries it: it reads through that session's keys
//!   and pending writes, never its creator's.
//! - Nothing a view reads is dropped while the view exists, unless CASCADE drops the view too
//!   (2BP01 otherwise).
//! - No view reaches itself through other views: CREATE refuses it and planning refuses it
//!   (42P17), so a race between two sessions cannot send the planner into endless recursion.
//! - Views are read-only; writes name their tables.

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::datasource::ViewTable;
use datafusion::execution::SessionState;
use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::sqlparser::ast::{CreateView, ObjectName, Query, Statement, Visit, Visitor};
use mindoodb_storage::{Store, TenantId, ViewInfo};

use super::classify;
use super::ddl::command;
use super::dml::count_placeholders;
use super::query::from_datafusion;
use super::session::Session;
use crate::error::{Error, Result};
use crate::output::Output;

/// Views a view may nest through before planning gives up (Postgres has no limit, but a
/// chain this long is a mistake, and the planner recurses once per level).
const MAX_DEPTH: usize = 32;

/// Gives a copy of the owning session's DataFusion state, or `None` once the session is gone.
pub(crate) type Planner = Arc<dyn Fn() -> Option<SessionState> + Send + Sync>;

/// CREATE [OR REPLACE] VIEW.
pub(crate) async fn create(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::CreateView(create) = statement else {
        return Err(Error::Internal("not a CREATE VIEW".into()));
    };
    let CreateView {
        or_replace,
        materialized,
        temporary,
        name,
        columns,
        query,
        if_not_exists,
        ..
    } = create;
    if materialized || temporary {
        return Err(Error::FeatureNotSupported(
            "materialized and temporary views".into(),
        ));
    }
    let name = relation_name(&name)?;
    let store = session.engine.store().clone();
    let tenant = session.tenant.id;
    if store.table(tenant, &name).is_some() {
        return Err(if or_replace {
            Error::WrongObjectType(format!("\"{name}\" is not a view"))
        } else {
            Error::DuplicateTable(name)
        });
    }
    let existing = store.view(tenant, &name);
    if existing.is_some() && !or_replace {
        if if_not_exists {
            return Ok(command("CREATE VIEW"));
        }
        return Err(Error::DuplicateTable(name));
    }
    if count_placeholders(&Statement::Query(query.clone())) > 0 {
        return Err(Error::Syntax(
            "a view definition cannot have parameters ($n)".into(),
        ));
    }
    let sql = if columns.is_empty() {
        query.to_string()
    } else {
        let names: Vec<String> = columns.iter().map(|c| c.name.to_string()).collect();
        format!("SELECT * FROM ({query}) AS {name}({})", names.join(", "))
    };
    let plan = session.plan_query(parse_query(&sql)?).await?;
    let mut seen = BTreeSet::from([name.clone()]);
    check_acyclic(&store, tenant, &sql, &mut seen, 0).map_err(|err| match err {
        Error::RecursiveView(_) => Error::RecursiveView(name.clone()),
        other => other,
    })?;
    match existing {
        Some(old) => {
            // Postgres keeps a replaced view's columns: same names and types, new ones only
            // at the end, so that whatever reads the view keeps working.
            if let Ok(old_statement) = parse_query(&old.sql)
                && let Ok(old_plan) = session.plan_query(old_statement).await
            {
                compatible(&old_plan, &plan)?;
            }
            store.replace_view(tenant, &name, &sql)?;
        }
        None => {
            store
                .create_view(tenant, &name, &sql)
                .map_err(|e| match e {
                    mindoodb_storage::Error::AlreadyExists(_) => {
                        Error::DuplicateTable(name.clone())
                    }
                    other => other.into(),
                })?;
        }
    }
    Ok(command("CREATE VIEW"))
}

/// What a DROP statement drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Table,
    View,
}

/// DROP TABLE or DROP VIEW [IF EXISTS] names [CASCADE]: the relations, and with CASCADE the
/// views that read them, in one catalog write.
pub(crate) fn drop(session: &Session, relation: Relation, statement: Statement) -> Result<Output> {
    let Statement::Drop {
        names,
        if_exists,
        cascade,
        ..
    } = statement
    else {
        return Err(Error::Internal("not a DROP".into()));
    };
    let store = session.engine.store();
    let tenant = session.tenant.id;
    let (what, other, tag) = match relation {
        Relation::Table => ("table", "view", "DROP TABLE"),
        Relation::View => ("view", "table", "DROP VIEW"),
    };
    let mut targets = BTreeSet::new();
    for name in &names {
        let name = relation_name(name)?;
        let is_table = store.table(tenant, &name).is_some();
        let is_view = store.view(tenant, &name).is_some();
        match (relation, is_table, is_view) {
            (Relation::Table, true, _) | (Relation::View, _, true) => {
                targets.insert(name);
            }
            (_, true, _) | (_, _, true) => {
                return Err(Error::WrongObjectType(format!(
                    "\"{name}\" is not a {what}; use DROP {} to remove a {other}",
                    other.to_uppercase()
                )));
            }
            _ if if_exists => {}
            _ => return Err(Error::UndefinedTable(name)),
        }
    }
    if targets.is_empty() {
        return Ok(command(tag));
    }
    let dependents = dependents(store, tenant, &targets)?;
    if !dependents.is_empty() && !cascade {
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        let dependents: Vec<&str> = dependents.iter().map(String::as_str).collect();
        return Err(Error::DependentObjects(format!(
            "cannot drop {what} {} because other objects depend on it: view {}; use DROP ... CASCADE to drop the dependent objects too",
            targets.join(", "),
            dependents.join(", view ")
        )));
    }
    let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
    let mut views: Vec<&str> = dependents.iter().map(String::as_str).collect();
    let tables = match relation {
        Relation::Table => targets,
        Relation::View => {
            views.extend(targets);
            Vec::new()
        }
    };
    store
        .drop_relations(tenant, &tables, &views)
        .map_err(|e| match e {
            // Another session dropped one meanwhile.
            mindoodb_storage::Error::NoSuchTable(name)
            | mindoodb_storage::Error::NoSuchView(name) => Error::UndefinedTable(name),
            other => other.into(),
        })?;
    Ok(command(tag))
}

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
    let statement = datafusion::sql::parser::Statement::Statement(Box::new(parse_query(sql)?));
    let plan = state
        .statement_to_plan(statement)
        .await
        .map_err(from_datafusion)?;
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

/// The name of a relation in the tenant's one schema (`t`, `public.t`, `mindoo.public.t`).
pub(crate) fn relation_name(name: &ObjectName) -> Result<String> {
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|part| {
            part.as_ident()
                .map(|i| i.value.to_lowercase())
                .ok_or_else(|| Error::Syntax(format!("bad name {name}")))
        })
        .collect::<Result<_>>()?;
    match parts.as_slice() {
        [table] => Ok(table.clone()),
        [schema, table] if schema == "public" => Ok(table.clone()),
        [catalog, schema, table] if catalog == "mindoo" && schema == "public" => Ok(table.clone()),
        _ => Err(Error::FeatureNotSupported(format!(
            "relation {name} outside schema public"
        ))),
    }
}

/// Every view that reads, directly or through other views, one of `targets`; without the
/// targets themselves.
fn dependents(
    store: &Store,
    tenant: TenantId,
    targets: &BTreeSet<String>,
) -> Result<BTreeSet<String>> {
    let views: Vec<(String, BTreeSet<String>)> = store
        .views(tenant)
        .into_iter()
        .map(|view| Ok((view.name, references(&view.sql)?)))
        .collect::<Result<_>>()?;
    let mut found = BTreeSet::new();
    loop {
        let before = found.len();
        for (name, refs) in &views {
            if !targets.contains(name)
                && !found.contains(name)
                && refs
                    .iter()
                    .any(|r| targets.contains(r) || found.contains(r))
            {
                found.insert(name.clone());
            }
        }
        if found.len() == before {
            return Ok(found);
        }
    }
}

/// Fails with `RecursiveView` when `sql`, through stored views, reads a view in `seen`.
fn check_acyclic(
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

/// The relations of the tenant's schema that `sql` reads, without its CTE names.
fn references(sql: &str) -> Result<BTreeSet<String>> {
    #[derive(Default)]
    struct Relations {
        read: BTreeSet<String>,
        ctes: BTreeSet<String>,
    }
    impl Visitor for Relations {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            for cte in query.with.iter().flat_map(|with| &with.cte_tables) {
                self.ctes.insert(cte.alias.name.value.to_lowercase());
            }
            ControlFlow::Continue(())
        }
        fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
            // Names outside the schema (`mindoo.changes(...)`) are functions, not relations.
            if let Ok(name) = relation_name(relation) {
                self.read.insert(name);
            }
            ControlFlow::Continue(())
        }
    }
    let statement = parse_query(sql)?;
    let mut relations = Relations::default();
    let _ = statement.visit(&mut relations);
    Ok(relations
        .read
        .difference(&relations.ctes)
        .cloned()
        .collect())
}

/// A stored view text as a statement.
fn parse_query(sql: &str) -> Result<Statement> {
    let mut statements = classify::parse(sql)?;
    match (statements.pop(), statements.is_empty()) {
        (Some(statement @ Statement::Query(_)), true) => Ok(statement),
        _ => Err(Error::Internal(format!(
            "a view definition is not one query: {sql}"
        ))),
    }
}

/// A replacement keeps the old view's columns, in order, with their names and types.
fn compatible(old: &LogicalPlan, new: &LogicalPlan) -> Result<()> {
    let old_fields = old.schema().fields();
    let new_fields = new.schema().fields();
    if new_fields.len() < old_fields.len() {
        return Err(Error::InvalidTableDefinition(
            "cannot drop columns from view".into(),
        ));
    }
    for (old, new) in old_fields.iter().zip(new_fields.iter()) {
        if old.name() != new.name() {
            return Err(Error::InvalidTableDefinition(format!(
                "cannot change name of view column \"{}\" to \"{}\"",
                old.name(),
                new.name()
            )));
        }
        if old.data_type() != new.data_type() {
            return Err(Error::InvalidTableDefinition(format!(
                "cannot change data type of view column \"{}\" from {} to {}",
                old.name(),
                old.data_type(),
                new.data_type()
            )));
        }
    }
    Ok(())
}
