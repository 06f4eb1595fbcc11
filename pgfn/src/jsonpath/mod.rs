//! PostgreSQL 15's SQL/JSON path language: the `jsonpath` type (input, output) and the
//! functions and operators that evaluate it over jsonb (`jsonb_path_exists`, `_match`,
//! `_query`, `_query_array`, `_query_first`, `@?`, `@@`).
//!
//! Invariants:
//! - The operator forms pass no vars and `silent = true`; the function forms take vars (an
//!   object, `{}` by default) and `silent` (false by default), as PostgreSQL's.
//! - `.datetime()` parses and prints, but evaluating it is `feature_not_supported`.

mod ast;
mod display;
mod exec;
mod like_regex;
mod methods;
mod parse;
mod predicate;
mod scan;
#[cfg(test)]
mod tests;
mod value;

use std::fmt;

use crate::jsonb::Jsonb;
use crate::{Condition, Error, Result};
use exec::{Base, Cx, Status};
pub use parse::{MAX_ITEMS, MAX_NESTING};
use value::Val;

/// A parsed `jsonpath` value.
#[derive(Clone, Debug)]
pub struct JsonPath {
    lax: bool,
    expr: ast::Item,
}

impl JsonPath {
    /// Parses `text` as `'text'::jsonpath`.
    pub fn parse(text: &str) -> Result<JsonPath> {
        match parse::parse(text)? {
            Some((lax, expr)) => Ok(JsonPath { lax, expr }),
            None => Err(Error::new(
                Condition::InvalidTextRepresentation,
                format!("invalid input syntax for type jsonpath: \"{text}\""),
            )),
        }
    }
}

impl fmt::Display for JsonPath {
    /// PostgreSQL's `jsonpath_out`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        if !self.lax {
            out.push_str("strict ");
        }
        display::print(&mut out, &self.expr, false, true);
        f.write_str(&out)
    }
}

/// How a path function is called: `vars` is `None` for the operators (`@?`, `@@`).
#[derive(Clone, Copy, Debug)]
pub struct PathArgs<'a> {
    /// The `vars` argument (must be an object).
    pub vars: Option<&'a Jsonb>,
    /// The `silent` argument: suppress the errors PostgreSQL lets it suppress.
    pub silent: bool,
}

impl PathArgs<'_> {
    /// The operators' arguments: no vars, silent.
    pub const OPERATOR: PathArgs<'static> = PathArgs {
        vars: None,
        silent: true,
    };
}

/// PostgreSQL's `executeJsonPath`.
fn execute<'a>(
    path: &JsonPath,
    target: &'a Jsonb,
    args: PathArgs<'a>,
    found: Option<&mut Vec<Val<'a>>>,
) -> Result<Status> {
    if let Some(vars) = args.vars
        && !matches!(vars, Jsonb::Object(_))
    {
        return Err(Error::new(
            Condition::InvalidParameterValue,
            "\"vars\" argument is not an object",
        )
        .with_detail(
            "Jsonpath parameters should be encoded as key-value pairs of \"vars\" object.",
        ));
    }
    let mut cx = Cx {
        vars: args.vars,
        root: target,
        current: Val::Doc(target),
        base: Base::None,
        last_generated_id: if args.vars.is_some() { 2 } else { 1 },
        innermost_array_size: -1,
        lax: path.lax,
        ignore_structural_errors: path.lax,
        throw_errors: !args.silent,
    };
    cx.run(&path.expr, found)
}

/// `jsonb_path_exists(target, path, vars, silent)` and `target @? path`: `None` is NULL.
pub fn path_exists(target: &Jsonb, path: &JsonPath, args: PathArgs<'_>) -> Result<Option<bool>> {
    Ok(match execute(path, target, args, None)? {
        Status::Ok => Some(true),
        Status::NotFound => Some(false),
        Status::Failed => None,
    })
}

/// `jsonb_path_match(target, path, vars, silent)` and `target @@ path`: `None` is NULL.
pub fn path_match(target: &Jsonb, path: &JsonPath, args: PathArgs<'_>) -> Result<Option<bool>> {
    let mut found = Vec::new();
    execute(path, target, args, Some(&mut found))?;
    if let [single] = found.as_slice() {
        match single.get() {
            Jsonb::Bool(b) => return Ok(Some(*b)),
            Jsonb::Null => return Ok(None),
            _ => {}
        }
    }
    if !args.silent {
        return Err(Error::new(
            Condition::SingletonSqlJsonItemRequired,
            "single boolean result is expected",
        ));
    }
    Ok(None)
}

/// `jsonb_path_query(target, path, vars, silent)`: the items, in order.
pub fn path_query(target: &Jsonb, path: &JsonPath, args: PathArgs<'_>) -> Result<Vec<Jsonb>> {
    let mut found = Vec::new();
    execute(path, target, args, Some(&mut found))?;
    Ok(found.iter().map(|v| v.get().clone()).collect())
}

/// `jsonb_path_query_array(target, path, vars, silent)`.
pub fn path_query_array(target: &Jsonb, path: &JsonPath, args: PathArgs<'_>) -> Result<Jsonb> {
    Ok(Jsonb::Array(path_query(target, path, args)?))
}

/// `jsonb_path_query_first(target, path, vars, silent)`: `None` is NULL.
pub fn path_query_first(
    target: &Jsonb,
    path: &JsonPath,
    args: PathArgs<'_>,
) -> Result<Option<Jsonb>> {
    let mut found = Vec::new();
    execute(path, target, args, Some(&mut found))?;
    Ok(found.first().map(|v| v.get().clone()))
}
