//! Splits SQL into statements and sends each kind to exactly one module.
//!
//! Invariants:
//! - Dispatch is one `match` on the parsed `Statement`, never on the query text.
//! - Anything not listed answers `FeatureNotSupported` (0A000) instead of being guessed at.

use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::sqlparser::ast::{Expr, Function, ObjectName, SelectItem, SetExpr, Statement};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};

use super::session::{Prepared, Session};
use super::views::{self, Relation};
use super::{copy, ddl, dml, functions, notify, query, udtf};
use crate::error::{Error, Result};
use crate::output::{Output, PgType, Value};

/// How deep expressions and subqueries may nest: sqlparser's default, which keeps parsing and
/// planning far from the stack's end however deep the text nests.
const RECURSION_LIMIT: usize = 50;

/// What a statement is, as far as dispatch cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    RollbackTo,
    Release,
    Query,
    MindooCall,
    Insert,
    Update,
    Delete,
    CreateTable,
    DropTable,
    CreateView,
    DropView,
    CreateDatabase,
    DropDatabase,
    CreateRole,
    AlterRole,
    DropRole,
    Grant,
    Revoke,
    Set,
    Show,
    Discard,
    Listen,
    Copy,
    Unsupported,
}

/// Parses `sql` with the PostgreSQL dialect; empty input gives no statements.
pub(crate) fn parse(sql: &str) -> Result<Vec<Statement>> {
    Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|e| match e {
            ParserError::RecursionLimitExceeded => Error::StatementTooComplex(RECURSION_LIMIT),
            other => Error::Syntax(other.to_string()),
        })
}

pub(crate) fn kind(statement: &Statement) -> Kind {
    use datafusion::sql::sqlparser::ast::ObjectType;
    match statement {
        Statement::StartTransaction { .. } => Kind::Begin,
        Statement::Commit { .. } => Kind::Commit,
        Statement::Rollback {
            savepoint: None, ..
        } => Kind::Rollback,
        Statement::Rollback {
            savepoint: Some(_), ..
        } => Kind::RollbackTo,
        Statement::Savepoint { .. } => Kind::Savepoint,
        Statement::ReleaseSavepoint { .. } => Kind::Release,
        Statement::Query(query) if mindoo_call(query).is_some() => Kind::MindooCall,
        Statement::Query(_) => Kind::Query,
        Statement::Insert(_) => Kind::Insert,
        Statement::Update(_) => Kind::Update,
        Statement::Delete(_) => Kind::Delete,
        Statement::CreateTable(_) => Kind::CreateTable,
        Statement::Drop {
            object_type: ObjectType::Table,
            ..
        } => Kind::DropTable,
        Statement::CreateView(_) => Kind::CreateView,
        Statement::Drop {
            object_type: ObjectType::View,
            ..
        } => Kind::DropView,
        Statement::Drop {
            object_type: ObjectType::Database,
            ..
        } => Kind::DropDatabase,
        Statement::Drop {
            object_type: ObjectType::Role | ObjectType::User,
            ..
        } => Kind::DropRole,
        Statement::CreateDatabase { .. } => Kind::CreateDatabase,
        Statement::CreateRole(_) => Kind::CreateRole,
        Statement::AlterRole { .. } => Kind::AlterRole,
        Statement::Grant(_) => Kind::Grant,
        Statement::Revoke(_) => Kind::Revoke,
        Statement::Set(_) => Kind::Set,
        Statement::ShowVariable { .. } => Kind::Show,
        Statement::Discard { .. } | Statement::Deallocate { .. } => Kind::Discard,
        Statement::LISTEN { .. } | Statement::UNLISTEN { .. } => Kind::Listen,
        Statement::Copy { .. } => Kind::Copy,
        _ => Kind::Unsupported,
    }
}

/// Runs one statement that is not a transaction boundary.
pub(crate) async fn dispatch(
    session: &mut Session,
    kind: Kind,
    mut statement: Statement,
    plan: Option<LogicalPlan>,
    params: &[Value],
) -> Result<Output> {
    if !params.is_empty() && kind != Kind::Query {
        dml::bind(&mut statement, params)?;
    }
    match kind {
        Kind::Query => query::run(session, statement, plan, params).await,
        Kind::MindooCall => functions::call(session, &statement).await,
        Kind::Insert => dml::insert(session, statement).await,
        Kind::Update => dml::update(session, statement).await,
        Kind::Delete => dml::delete(session, statement).await,
        Kind::CreateView => views::create(session, statement).await,
        Kind::DropView => views::drop(session, Relation::View, statement),
        Kind::DropTable => views::drop(session, Relation::Table, statement),
        Kind::CreateTable
        | Kind::CreateDatabase
        | Kind::DropDatabase
        | Kind::CreateRole
        | Kind::AlterRole
        | Kind::DropRole
        | Kind::Grant
        | Kind::Revoke => ddl::run(session, kind, statement),
        Kind::Set => ddl::set(session, statement),
        Kind::Show => ddl::show(session, statement),
        Kind::Discard => {
            let discard = matches!(statement, Statement::Discard { .. });
            if discard {
                // DISCARD ALL includes UNLISTEN *.
                session.listening.clear();
            }
            Ok(Output::Command {
                tag: if discard { "DISCARD ALL" } else { "DEALLOCATE" },
                rows: None,
            })
        }
        Kind::Listen => notify::run(session, &statement),
        Kind::Copy => copy::begin(session, &statement),
        Kind::Begin
        | Kind::Commit
        | Kind::Rollback
        | Kind::Savepoint
        | Kind::RollbackTo
        | Kind::Release => Err(Error::Internal(
            "transaction statement reached dispatch".into(),
        )),
        Kind::Unsupported => Err(Error::FeatureNotSupported(first_words(&statement))),
    }
}

/// Describes a statement for the extended protocol: parameter and result types.
pub(crate) async fn describe(
    session: &mut Session,
    statement: Statement,
    declared: &[Option<PgType>],
) -> Result<Prepared> {
    let kind = kind(&statement);
    if kind == Kind::Query {
        return query::describe(session, statement, declared).await;
    }
    let n_params = dml::count_placeholders(&statement);
    let param_types = (0..n_params)
        .map(|idx| declared.get(idx).copied().flatten().unwrap_or(PgType::Text))
        .collect();
    let columns = match kind {
        Kind::MindooCall => functions::columns(&statement),
        Kind::Insert | Kind::Update | Kind::Delete => dml::returning_columns(&statement),
        Kind::Show => ddl::show_columns(&statement),
        _ => Vec::new(),
    };
    Ok(Prepared {
        param_types,
        columns,
        statement,
        plan: None,
    })
}

/// `SELECT mindoo.f(...)` without FROM: a call of one of our key functions (the table
/// functions of `udtf.rs` are queries).
pub(crate) fn mindoo_call(
    query: &datafusion::sql::sqlparser::ast::Query,
) -> Option<(&ObjectName, &Function)> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    if !select.from.is_empty() || select.projection.len() != 1 {
        return None;
    }
    let expr = match &select.projection[0] {
        SelectItem::UnnamedExpr(expr) | SelectItem::ExprWithAlias { expr, .. } => expr,
        _ => return None,
    };
    let Expr::Function(function) = expr else {
        return None;
    };
    let parts = &function.name.0;
    let is_ours = parts.len() == 2
        && parts[0]
            .as_ident()
            .is_some_and(|i| i.value.eq_ignore_ascii_case("mindoo"))
        && !parts[1]
            .as_ident()
            .is_some_and(|i| udtf::is_table_function(&i.value));
    is_ours.then_some((&function.name, function))
}

/// The statement's leading keywords, for "not supported" messages that never echo literals.
fn first_words(statement: &Statement) -> String {
    statement
        .to_string()
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
