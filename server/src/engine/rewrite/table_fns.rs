//! `mindoo.f(...)` made plannable: DataFusion looks table functions up by the first part of
//! their name only, so `mindoo.f(...)` in FROM becomes the registered `mindoo_f(...)`, and a
//! bare `SELECT mindoo.f(...)` becomes `SELECT * FROM mindoo_f(...)`.
//!
//! Invariants:
//! - Only names the session registered are renamed; `mindoo.f` for any other `f` in those
//!   places is 42883, so an unknown function never plans as something else.
//! - Functions without parameters read as relations too (`FROM mindoo.activity`, like
//!   `pg_stat_activity`).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr as SqlExpr, FunctionArguments, Ident, ObjectName, ObjectNamePart, Query, SelectItem,
    SetExpr, Statement, TableFactor, TableFunctionArgs as SqlTableArgs, VisitMut, VisitorMut,
    WildcardAdditionalOptions,
};

use crate::catalog::names;
use crate::engine::sql::ast;
use crate::error::{Error, Result};

/// What the session knows of a table function: how many parameters it takes, by name.
pub(crate) trait TableFns {
    /// The number of parameters of `mindoo.<name>`, when it is a table function.
    fn params(&self, name: &str) -> Option<usize>;
}

/// The name a table function is registered under in DataFusion.
pub(crate) fn registered_name(name: &str) -> String {
    format!("mindoo_{name}")
}

/// Renames the `mindoo.*` table functions of `statement` to their registered names.
pub(crate) fn rename(statement: &mut Statement, fns: &dyn TableFns) -> Result<()> {
    if let Statement::Query(query) = statement {
        from_select_list(query, fns)?;
    }
    let mut renamer = Renamer { fns };
    match statement.visit(&mut renamer) {
        ControlFlow::Break(err) => Err(err),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// `mindoo.f` as the folded `f`, when the name is in schema `mindoo`.
fn mindoo_name(name: &ObjectName) -> Option<String> {
    let [schema, function] = name.0.as_slice() else {
        return None;
    };
    let (schema, function) = (schema.as_ident()?, function.as_ident()?);
    names::is(schema, "mindoo").then(|| names::fold(function))
}

fn unknown(name: &str, n_args: usize) -> Error {
    Error::UndefinedFunction(format!("mindoo.{name} with {n_args} argument(s)"))
}

/// Turns `SELECT mindoo.f(args)` (no FROM, one item) into `SELECT * FROM mindoo.f(args)`.
fn from_select_list(query: &mut Query, fns: &dyn TableFns) -> Result<()> {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return Ok(());
    };
    if !select.from.is_empty() || select.projection.len() != 1 {
        return Ok(());
    }
    let (SelectItem::UnnamedExpr(SqlExpr::Function(function))
    | SelectItem::ExprWithAlias {
        expr: SqlExpr::Function(function),
        ..
    }) = &select.projection[0]
    else {
        return Ok(());
    };
    let Some(name) = mindoo_name(&function.name) else {
        return Ok(());
    };
    let args = match &function.args {
        FunctionArguments::List(list) => list.args.clone(),
        FunctionArguments::None | FunctionArguments::Subquery(_) => Vec::new(),
    };
    if fns.params(&name).is_none() {
        return Err(unknown(&name, args.len()));
    }
    select.from = vec![ast::table(function.name.clone(), Some(args))];
    select.projection = vec![SelectItem::Wildcard(WildcardAdditionalOptions::default())];
    Ok(())
}

/// Renames `mindoo.f(...)` relations to the registered `mindoo_f(...)`.
struct Renamer<'f> {
    fns: &'f dyn TableFns,
}

impl VisitorMut for Renamer<'_> {
    type Break = Error;

    fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<Error> {
        let TableFactor::Table { name, args, .. } = factor else {
            return ControlFlow::Continue(());
        };
        let Some(function) = mindoo_name(name) else {
            return ControlFlow::Continue(());
        };
        let Some(n_params) = self.fns.params(&function) else {
            return match args {
                Some(args) => ControlFlow::Break(unknown(&function, args.args.len())),
                // `mindoo.x` without arguments names a relation outside schema public.
                None => ControlFlow::Continue(()),
            };
        };
        if args.is_none() && n_params == 0 {
            *args = Some(SqlTableArgs {
                args: Vec::new(),
                settings: None,
            });
        }
        if args.is_some() {
            *name = ObjectName(vec![ObjectNamePart::Identifier(Ident::new(
                registered_name(&function),
            ))]);
        }
        ControlFlow::Continue(())
    }
}
