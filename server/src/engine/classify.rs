//! Splits SQL into statements and sends each kind to exactly one module.
//!
//! Invariants:
//! - Dispatch is one `match` on the parsed `Statement`, never on the query text.
//! - Anything not listed answers `FeatureNotSupported` (0A000) instead of being guessed at.

use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::sqlparser::ast::{
    DiscardObject, Expr, Function, ObjectName, SelectItem, SetExpr, Statement,
};
use datafusion::sql::sqlparser::parser::ParserError;

use super::pg_dialect::{self, PREFIXES_PER_TOKEN, ParseFailure};
use super::session::{Prepared, Session};
use super::views::{self, Relation};
use super::{copy, ddl, dml, dml_params, functions, notify, query, shards, udtf};
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
    AlterTable,
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

impl Kind {
    /// True for statements that change documents or tables: what a mirror refuses.
    fn writes(self) -> bool {
        match self {
            Kind::Insert
            | Kind::Update
            | Kind::Delete
            | Kind::CreateTable
            | Kind::DropTable
            | Kind::CreateDatabase
            | Kind::DropDatabase
            | Kind::AlterTable
            | Kind::Copy => true,
            // Roles, grants and views are each node's own, never replicated: a mirror
            // manages them.
            Kind::CreateView
            | Kind::DropView
            | Kind::CreateRole
            | Kind::AlterRole
            | Kind::DropRole
            | Kind::Grant
            | Kind::Revoke
            | Kind::Begin
            | Kind::Commit
            | Kind::Rollback
            | Kind::Savepoint
            | Kind::RollbackTo
            | Kind::Release
            | Kind::Query
            | Kind::MindooCall
            | Kind::Set
            | Kind::Show
            | Kind::Discard
            | Kind::Listen
            | Kind::Unsupported => false,
        }
    }
}

/// Parses `sql` with the PostgreSQL dialect; empty input gives no statements. Text after a
/// `COPY ... FROM STDIN` is refused rather than lost (`copy::has_text_after`). Parsing stops with
/// 54001 when it nests too deep or backtracks too much (`pg_dialect` says why both matter).
pub(crate) fn parse(sql: &str) -> Result<Vec<Statement>> {
    let statements = pg_dialect::parse(sql, RECURSION_LIMIT).map_err(|failure| match failure {
        ParseFailure::OverBudget => Error::StatementTooComplex(format!(
            "parsing it takes more than {PREFIXES_PER_TOKEN} attempts per token"
        )),
        ParseFailure::Parser(ParserError::RecursionLimitExceeded) => {
            Error::StatementTooComplex(format!("it nests deeper than {RECURSION_LIMIT} levels"))
        }
        ParseFailure::Parser(other) => Error::Syntax(other.to_string()),
    })?;
    for statement in &statements {
        if copy::has_text_after(sql, statement)? {
            return Err(Error::FeatureNotSupported(
                "COPY FROM STDIN must end its query string; its data follows as COPY data".into(),
            ));
        }
    }
    Ok(statements)
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
        Statement::AlterTable(_) => Kind::AlterTable,
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
    if kind.writes() {
        session.writable(&first_words(&statement))?;
    }
    match kind {
        Kind::Query => query::run(session, statement, plan, params).await,
        Kind::MindooCall => {
            let output = functions::call(session, &statement).await?;
            Ok(with_alias(output, &statement))
        }
        Kind::Insert => dml::insert(session, statement).await,
        Kind::Update => dml::update(session, statement).await,
        Kind::Delete => dml::delete(session, statement).await,
        Kind::CreateView => views::create(session, statement).await,
        Kind::AlterTable => shards::alter_table(session, statement),
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
        Kind::Copy => copy::run(session, statement).await,
        Kind::Show => ddl::show(session, statement),
        Kind::Discard => Ok(match statement {
            Statement::Deallocate { name, .. }
                if name.quote_style.is_none() && name.value.eq_ignore_ascii_case("all") =>
            {
                Output::Deallocate { name: None }
            }
            Statement::Deallocate { name, .. } => Output::Deallocate {
                name: Some(name.value),
            },
            Statement::Discard { object_type } => Output::Command {
                tag: match object_type {
                    DiscardObject::ALL => {
                        // DISCARD ALL includes UNLISTEN *.
                        session.listening.clear();
                        "DISCARD ALL"
                    }
                    DiscardObject::PLANS => "DISCARD PLANS",
                    DiscardObject::SEQUENCES => "DISCARD SEQUENCES",
                    DiscardObject::TEMP => "DISCARD TEMP",
                },
                rows: None,
            },
            _ => return Err(Error::Internal("statement kind and shape disagree".into())),
        }),
        Kind::Listen => notify::run(session, &statement),
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
    let inferred = match kind {
        Kind::Insert | Kind::Update | Kind::Delete => dml_params::infer(session, &statement).await,
        _ => Default::default(),
    };
    let param_types = (0..n_params)
        .map(|idx| {
            declared
                .get(idx)
                .copied()
                .flatten()
                .or_else(|| inferred.get(&(idx + 1)).copied())
                .unwrap_or(PgType::Text)
        })
        .collect();
    let columns = match kind {
        Kind::MindooCall => {
            let mut columns = functions::columns(&statement);
            if let ([column], Some(alias)) = (columns.as_mut_slice(), call_alias(&statement)) {
                column.name = alias;
            }
            columns
        }
        Kind::Insert | Kind::Update | Kind::Delete => dml::returning_columns(&statement),
        Kind::Show => ddl::show_columns(&statement),
        _ => Vec::new(),
    };
    Ok(Prepared::new(param_types, columns, statement, None, None))
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

/// `SELECT mindoo.f(...) AS name`: the alias names the one result column, as in Postgres.
fn with_alias(output: Output, statement: &Statement) -> Output {
    match (output, call_alias(statement)) {
        (
            Output::Rows {
                mut columns,
                batches,
                tag,
            },
            Some(alias),
        ) if columns.len() == 1 => {
            columns[0].name = alias;
            Output::Rows {
                columns,
                batches,
                tag,
            }
        }
        (output, _) => output,
    }
}

fn call_alias(statement: &Statement) -> Option<String> {
    let Statement::Query(query) = statement else {
        return None;
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    match select.projection.as_slice() {
        [SelectItem::ExprWithAlias { alias, .. }] => Some(alias.value.clone()),
        _ => None,
    }
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
