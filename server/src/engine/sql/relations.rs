//! The relations a statement touches and the privileges it needs on each, read from its
//! syntax alone, as PostgreSQL's permission check sees a query: SELECT on everything it reads,
//! and on a write's target the write's own privilege, plus SELECT when the write reads the
//! target's columns (a WHERE, RETURNING, or an assignment that reads a column).
//!
//! Invariants:
//! - CTE names are not relations; names outside the tenant's schema (`mindoo.changes`,
//!   `pg_catalog.pg_class`) are not either: `names::relation` refuses them.
//! - A name that is neither a table nor a view is listed all the same; whoever checks skips it,
//!   and planning then reports it missing, as PostgreSQL does.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CopySource, Expr, FromTable, ObjectName, OnConflictAction, OnInsert, Query, TableFactor,
    TableObject, TableWithJoins, Visit, Visitor,
};

use super::classify::Classified;
use super::parse::parse_view;
use crate::catalog::acl::{DELETE, INSERT, SELECT, UPDATE};
use crate::catalog::names;
use crate::error::Result;

/// Relation name → the privilege bits a statement needs on it.
pub(crate) type Needs = BTreeMap<String, u32>;

/// What `classified` needs, by relation; empty for statements that touch no relation's rows
/// (DDL and grants check their own rules).
pub(crate) fn needs(classified: &Classified) -> Needs {
    let (mentions, target) = match classified {
        Classified::Query(query) => (read(query.as_ref()), None),
        Classified::DeclareCursor { query, .. } => (read(query.as_ref()), None),
        Classified::Insert(insert) => {
            let mut own = INSERT;
            if insert.returning.is_some() {
                own |= SELECT;
            }
            if let Some(OnInsert::OnConflict(conflict)) = &insert.on {
                // As in PostgreSQL: naming the arbiter reads its column, and DO UPDATE updates.
                if conflict.conflict_target.is_some() {
                    own |= SELECT;
                }
                if let OnConflictAction::DoUpdate(_) = conflict.action {
                    own |= UPDATE;
                }
            }
            let name = match &insert.table {
                TableObject::TableName(name) => Some(name),
                TableObject::TableFunction(_) | TableObject::TableQuery(_) => None,
            };
            (read(insert.as_ref()), name.map(|name| (name, own)))
        }
        Classified::Update(update) => {
            let reads = update.selection.is_some()
                || update.returning.is_some()
                || update
                    .assignments
                    .iter()
                    .any(|assignment| reads_columns(&assignment.value));
            let own = UPDATE | if reads { SELECT } else { 0 };
            (
                read(update.as_ref()),
                table_name(&update.table).map(|name| (name, own)),
            )
        }
        Classified::Delete(delete) => {
            let tables = match &delete.from {
                FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables) => tables,
            };
            let reads = delete.selection.is_some() || delete.returning.is_some();
            let own = DELETE | if reads { SELECT } else { 0 };
            let name = tables.first().and_then(table_name);
            (read(delete.as_ref()), name.map(|name| (name, own)))
        }
        Classified::Copy(copy) => match &copy.source {
            CopySource::Table { table_name, .. } => {
                let own = if copy.to { SELECT } else { INSERT };
                (BTreeMap::new(), Some((table_name, own)))
            }
            CopySource::Query(query) => (read(query.as_ref()), None),
        },
        _ => (BTreeMap::new(), None),
    };
    let mut needs: Needs = mentions.keys().map(|name| (name.clone(), SELECT)).collect();
    if let Some((name, own)) = target
        && let Ok(name) = names::relation(name)
    {
        // The target is one mention; another one reads it (`... WHERE id IN (SELECT id FROM t)`).
        let read_too = mentions.get(&name).is_some_and(|count| *count > 1);
        needs.insert(name, own | if read_too { SELECT } else { 0 });
    }
    needs
}

/// The relations `sql` (a stored view's text) reads.
pub(crate) fn references(sql: &str) -> Result<BTreeSet<String>> {
    let statement = parse_view(sql)?;
    Ok(read(&statement).into_keys().collect())
}

/// The relations `node` names, without its CTE names, each with how often it is named.
fn read(node: &impl Visit) -> BTreeMap<String, usize> {
    #[derive(Default)]
    struct Relations {
        read: BTreeMap<String, usize>,
        ctes: BTreeSet<String>,
    }
    impl Visitor for Relations {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            for cte in query.with.iter().flat_map(|with| &with.cte_tables) {
                self.ctes.insert(names::fold(&cte.alias.name));
            }
            ControlFlow::Continue(())
        }
        fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
            if let Ok(name) = names::relation(relation) {
                *self.read.entry(name).or_default() += 1;
            }
            ControlFlow::Continue(())
        }
    }
    let mut relations = Relations::default();
    let _ = node.visit(&mut relations);
    let mut read = relations.read;
    read.retain(|name, _| !relations.ctes.contains(name));
    read
}

fn table_name(table: &TableWithJoins) -> Option<&ObjectName> {
    match &table.relation {
        TableFactor::Table { name, .. } => Some(name),
        _ => None,
    }
}

/// True when `expr` reads a column (an unqualified or qualified name).
fn reads_columns(expr: &Expr) -> bool {
    struct Columns;
    impl Visitor for Columns {
        type Break = ();
        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
            match expr {
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            }
        }
    }
    expr.visit(&mut Columns).is_break()
}
