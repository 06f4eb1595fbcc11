//! CREATE [OR REPLACE] VIEW, and DROP TABLE / DROP VIEW with the dependencies between views
//! and the relations they read, which DROP respects as Postgres does. Views are kept as SQL
//! text and planned when queried (`read/views.rs`).
//!
//! Invariants:
//! - A view is stored only after its query planned in the creating session, so it names only
//!   relations that existed then, and only if it does not reach itself (42P17).
//! - Nothing a view reads is dropped while the view exists, unless CASCADE drops the view too
//!   (2BP01 otherwise).
//! - Views are read-only; writes name their tables.

use std::collections::BTreeSet;

use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::sqlparser::ast::CreateView;
use mindoodb_storage::{Store, TenantId};

use super::command;
use crate::catalog::names;
use crate::engine::read::query::plan;
use crate::engine::read::views::check_acyclic;
use crate::engine::session::Session;
use crate::engine::sql::classify::{DropRelations, RelationKind};
use crate::engine::sql::params;
use crate::engine::sql::parse::parse_view;
use crate::engine::sql::relations::references;
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::output::Output;

/// CREATE [OR REPLACE] VIEW.
pub(crate) async fn create(session: &mut Session, create: CreateView) -> Result<Output> {
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
    let name = names::relation(&name)?;
    let store = session.store().clone();
    let tenant = session.tenant().id;
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
    match &existing {
        Some(_) => session.require_owner(&name)?,
        None => session.require_create()?,
    }
    if params::count(query.as_ref()) > 0 {
        return Err(Error::Syntax(
            "a view definition cannot have parameters ($n)".into(),
        ));
    }
    let sql = if columns.is_empty() {
        query.to_string()
    } else {
        let columns: Vec<String> = columns.iter().map(|c| c.name.to_string()).collect();
        let alias = datafusion::sql::sqlparser::ast::Ident::with_quote('"', &name);
        format!("SELECT * FROM ({query}) AS {alias}({})", columns.join(", "))
    };
    let new_plan = plan(session.ctx(), parse_view(&sql)?).await?;
    let mut seen = BTreeSet::from([name.clone()]);
    check_acyclic(&store, tenant, &sql, &mut seen, 0).map_err(|err| match err {
        Error::RecursiveView(_) => Error::RecursiveView(name.clone()),
        other => other,
    })?;
    match existing {
        Some(old) => {
            // Postgres keeps a replaced view's columns: same names and types, new ones only
            // at the end, so that whatever reads the view keeps working.
            if let Ok(old_statement) = parse_view(&old.sql)
                && let Ok(old_plan) = plan(session.ctx(), old_statement).await
            {
                compatible(&old_plan, &new_plan)?;
            }
            store.replace_view(tenant, &name, &sql, session.new_relation_access()?)?;
        }
        None => {
            store
                .create_view(tenant, &name, &sql, session.new_relation_access()?)
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

/// DROP TABLE or DROP VIEW [IF EXISTS] names [CASCADE]: the relations, and with CASCADE the
/// views that read them, in one catalog write.
pub(crate) fn drop(session: &mut Session, drop: DropRelations) -> Result<Output> {
    let DropRelations {
        kind,
        names: dropped,
        if_exists,
        cascade,
    } = drop;
    let store = session.store();
    let tenant = session.tenant().id;
    let (what, other, tag) = match kind {
        RelationKind::Table => ("table", "view", "DROP TABLE"),
        RelationKind::View => ("view", "table", "DROP VIEW"),
    };
    let mut targets = BTreeSet::new();
    let mut skipped = Vec::new();
    for name in &dropped {
        let name = names::relation(name)?;
        let is_table = store.table(tenant, &name).is_some();
        let is_view = store.view(tenant, &name).is_some();
        match (kind, is_table, is_view) {
            (RelationKind::Table, true, _) | (RelationKind::View, _, true) => {
                targets.insert(name);
            }
            (_, true, _) | (_, _, true) => {
                return Err(Error::WrongObjectType(format!(
                    "\"{name}\" is not a {what}; use DROP {} to remove a {other}",
                    other.to_uppercase()
                )));
            }
            _ if if_exists => skipped.push(Notice::Skipped { kind: what, name }),
            _ => return Err(Error::UndefinedTable(name)),
        }
    }
    for notice in skipped {
        session.notice(notice);
    }
    if targets.is_empty() {
        return Ok(command(tag));
    }
    let store = session.store();
    for name in &targets {
        session.require_owner(name)?;
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
    let tables = match kind {
        RelationKind::Table => targets,
        RelationKind::View => {
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
    if !dependents.is_empty() {
        let dropped = dependents.into_iter().map(|view| format!("view {view}"));
        session.notice(Notice::DropCascades(dropped.collect()));
    }
    Ok(command(tag))
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
