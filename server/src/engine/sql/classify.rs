//! What a statement is, decided once from the parsed AST: `classify` turns a `Statement` into a
//! `Classified` that carries the destructured node its handler takes. A prepared statement
//! keeps its `Classified`; nothing classifies it again at Describe or Execute.
//!
//! Invariants:
//! - Classification is one `match` on the parsed `Statement`, never on the query text.
//! - A statement MindooDB does not run is refused here with 0A000, naming only its leading
//!   keywords (never a literal).
//! - Transaction control (BEGIN, COMMIT, ROLLBACK, savepoints) is classified here like every
//!   other statement; its names are folded by `catalog::names`.

use datafusion::sql::sqlparser::ast::{
    AlterRoleOperation, AlterTable, CloseCursor, CopyLegacyOption, CopyOption, CopySource,
    CopyTarget, CreateRole, CreateTable, CreateView, Declare, DeclareType, Delete, DiscardObject,
    Expr, FetchDirection, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Grant, Ident,
    Insert, ObjectName, ObjectType, Query, Reset, Revoke, SelectItem, Set, SetExpr, Statement,
    Update, Value as SqlValue, ValueWithSpan,
};

use super::own_syntax::{OwnStatement, Parsed};
use super::params;
use crate::catalog::names;
use crate::error::{Error, Result};
use crate::output::Value;

/// A statement, classified, with the parts its handler needs.
#[derive(Debug, Clone)]
pub(crate) enum Classified {
    /// BEGIN, COMMIT, ROLLBACK and the savepoint statements.
    Txn(TxnCommand),
    /// A query DataFusion plans (SELECT, VALUES, set operations, `mindoo.*` table functions).
    Query(Box<Query>),
    /// `SELECT mindoo.f(...) [AS name]` of one of the key functions (`mindoo/keys.rs`).
    KeyCall(KeyCall),
    Insert(Box<Insert>),
    Update(Box<Update>),
    Delete(Box<Delete>),
    CreateTable(Box<CreateTable>),
    AlterTable(Box<AlterTable>),
    CreateView(Box<CreateView>),
    DropRelations(DropRelations),
    DropDatabase {
        names: Vec<ObjectName>,
        if_exists: bool,
    },
    DropRole {
        names: Vec<ObjectName>,
        if_exists: bool,
    },
    CreateDatabase {
        name: ObjectName,
        if_not_exists: bool,
    },
    CreateRole(Box<CreateRole>),
    AlterRole {
        name: Ident,
        operation: Box<AlterRoleOperation>,
    },
    Grant(Box<Grant>),
    /// REVOKE; with `option_only`, REVOKE GRANT OPTION FOR or ADMIN OPTION FOR.
    Revoke {
        revoke: Box<Revoke>,
        option_only: bool,
    },
    Set(Box<Set>),
    /// SHOW of a parameter, its name as written (words).
    Show(Vec<Ident>),
    Discard(DiscardObject),
    /// RESET.
    Reset(Reset),
    /// DEALLOCATE of one prepared statement, or of all (`None`).
    Deallocate(Option<String>),
    Listen(ListenCommand),
    Copy(Box<Copy>),
    /// `DECLARE name [NO SCROLL] CURSOR [WITHOUT HOLD] FOR query`: a forward-only cursor of the
    /// open block; the name is folded.
    DeclareCursor {
        name: String,
        query: Box<Query>,
    },
    /// `FETCH`: the `rows` of a cursor.
    Fetch {
        name: String,
        rows: CursorRows,
    },
    /// `MOVE`: moves a cursor past its `rows`.
    Move {
        name: String,
        rows: CursorRows,
    },
    /// `CLOSE name`, or `CLOSE ALL` (`None`).
    CloseCursor(Option<String>),
}

/// A transaction control statement; savepoint names are folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TxnCommand {
    Begin,
    Commit,
    Rollback,
    Savepoint(String),
    RollbackTo(String),
    Release(String),
}

/// A call of a key function.
#[derive(Debug, Clone)]
pub(crate) struct KeyCall {
    /// Which function.
    pub(crate) func: KeyFn,
    /// The arguments as written.
    pub(crate) args: Vec<FunctionArg>,
    /// `AS name`: the result column's name, as in Postgres.
    pub(crate) alias: Option<String>,
}

/// The `mindoo.*` functions called as `SELECT mindoo.f(...)` that manage a session's keys;
/// every other `mindoo.*` function is a table function, planned as a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFn {
    CreateKey,
    RotateKey,
    Unlock,
    Lock,
    Keys,
    Locked,
}

impl KeyFn {
    const ALL: [KeyFn; 6] = [
        KeyFn::CreateKey,
        KeyFn::RotateKey,
        KeyFn::Unlock,
        KeyFn::Lock,
        KeyFn::Keys,
        KeyFn::Locked,
    ];

    /// The name after `mindoo.`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            KeyFn::CreateKey => "create_key",
            KeyFn::RotateKey => "rotate_key",
            KeyFn::Unlock => "unlock",
            KeyFn::Lock => "lock",
            KeyFn::Keys => "keys",
            KeyFn::Locked => "locked",
        }
    }

    fn from_name(name: &str) -> Option<KeyFn> {
        KeyFn::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// DROP TABLE or DROP VIEW.
#[derive(Debug, Clone)]
pub(crate) struct DropRelations {
    pub(crate) kind: RelationKind,
    pub(crate) names: Vec<ObjectName>,
    pub(crate) if_exists: bool,
    pub(crate) cascade: bool,
}

/// A relation of the tenant's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelationKind {
    Table,
    View,
}

/// LISTEN / UNLISTEN; channel names are folded like any identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListenCommand {
    Listen(String),
    Unlisten(String),
    UnlistenAll,
}

/// A COPY statement's parts.
#[derive(Debug, Clone)]
pub(crate) struct Copy {
    pub(crate) source: CopySource,
    /// COPY ... TO rather than FROM.
    pub(crate) to: bool,
    pub(crate) target: CopyTarget,
    pub(crate) options: Vec<CopyOption>,
    pub(crate) legacy_options: Vec<CopyLegacyOption>,
}

/// Classifies a parsed statement.
pub(crate) fn classify(parsed: Parsed) -> Result<Classified> {
    match parsed {
        Parsed::Sql(statement) => classify_sql(*statement),
        Parsed::Own(OwnStatement::Move { name, direction }) => Ok(Classified::Move {
            name: names::fold(&name),
            rows: cursor_rows(&direction)?,
        }),
        Parsed::Own(OwnStatement::RevokeOption(revoke)) => Ok(Classified::Revoke {
            revoke: Box::new(revoke),
            option_only: true,
        }),
    }
}

fn classify_sql(statement: Statement) -> Result<Classified> {
    Ok(match statement {
        Statement::StartTransaction { .. } => Classified::Txn(TxnCommand::Begin),
        Statement::Commit { .. } => Classified::Txn(TxnCommand::Commit),
        Statement::Rollback {
            savepoint: None, ..
        } => Classified::Txn(TxnCommand::Rollback),
        Statement::Rollback {
            savepoint: Some(name),
            ..
        } => Classified::Txn(TxnCommand::RollbackTo(names::fold(&name))),
        Statement::Savepoint { name } => Classified::Txn(TxnCommand::Savepoint(names::fold(&name))),
        Statement::ReleaseSavepoint { name } => {
            Classified::Txn(TxnCommand::Release(names::fold(&name)))
        }
        Statement::Query(query) => match key_call(&query) {
            Some(call) => Classified::KeyCall(call),
            None => Classified::Query(query),
        },
        Statement::Insert(insert) => Classified::Insert(Box::new(insert)),
        Statement::Update(update) => Classified::Update(Box::new(update)),
        Statement::Delete(delete) => Classified::Delete(Box::new(delete)),
        Statement::CreateTable(create) => Classified::CreateTable(Box::new(create)),
        Statement::AlterTable(alter) => Classified::AlterTable(Box::new(alter)),
        Statement::CreateView(create) => Classified::CreateView(Box::new(create)),
        Statement::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            ..
        } => {
            let relations = |kind, names| {
                Classified::DropRelations(DropRelations {
                    kind,
                    names,
                    if_exists,
                    cascade,
                })
            };
            match object_type {
                ObjectType::Table => relations(RelationKind::Table, names),
                ObjectType::View => relations(RelationKind::View, names),
                ObjectType::Database => Classified::DropDatabase { names, if_exists },
                ObjectType::Role | ObjectType::User => Classified::DropRole { names, if_exists },
                other => return Err(Error::FeatureNotSupported(format!("DROP {other}"))),
            }
        }
        Statement::CreateDatabase {
            db_name,
            if_not_exists,
            ..
        } => Classified::CreateDatabase {
            name: db_name,
            if_not_exists,
        },
        Statement::CreateRole(create) => Classified::CreateRole(Box::new(create)),
        Statement::AlterRole { name, operation } => Classified::AlterRole {
            name,
            operation: Box::new(operation),
        },
        Statement::Grant(grant) => Classified::Grant(Box::new(grant)),
        Statement::Revoke(revoke) => Classified::Revoke {
            revoke: Box::new(revoke),
            option_only: false,
        },
        Statement::Set(set) => Classified::Set(Box::new(set)),
        Statement::ShowVariable { variable } => Classified::Show(variable),
        Statement::Discard { object_type } => Classified::Discard(object_type),
        Statement::Reset(statement) => Classified::Reset(statement.reset),
        Statement::Declare { mut stmts } if stmts.len() == 1 => declare_cursor(stmts.remove(0))?,
        Statement::Fetch {
            name,
            direction,
            into: None,
            ..
        } => Classified::Fetch {
            name: names::fold(&name),
            rows: cursor_rows(&direction)?,
        },
        Statement::Close { cursor } => Classified::CloseCursor(match cursor {
            CloseCursor::All => None,
            CloseCursor::Specific { name } => Some(names::fold(&name)),
        }),
        Statement::Deallocate { name, .. } => Classified::Deallocate(
            (name.quote_style.is_some() || !names::is(&name, "all")).then(|| names::fold(&name)),
        ),
        Statement::LISTEN { channel } => {
            Classified::Listen(ListenCommand::Listen(names::fold(&channel)))
        }
        Statement::UNLISTEN { channel }
            if channel.quote_style.is_none() && channel.value == "*" =>
        {
            Classified::Listen(ListenCommand::UnlistenAll)
        }
        Statement::UNLISTEN { channel } => {
            Classified::Listen(ListenCommand::Unlisten(names::fold(&channel)))
        }
        Statement::Copy {
            source,
            to,
            target,
            options,
            legacy_options,
            values,
        } => {
            // `parse` refuses text after COPY FROM STDIN, so no inline data reaches here.
            if !values.is_empty() {
                return Err(Error::FeatureNotSupported(
                    "COPY with inline data: send it as COPY data".into(),
                ));
            }
            Classified::Copy(Box::new(Copy {
                source,
                to,
                target,
                options,
                legacy_options,
            }))
        }
        other => return Err(Error::FeatureNotSupported(leading_words(&other))),
    })
}

impl Classified {
    /// True for COMMIT, ROLLBACK and ROLLBACK TO: the statements a failed block still runs.
    pub(crate) fn ends_failed_block(&self) -> bool {
        matches!(
            self,
            Classified::Txn(TxnCommand::Commit | TxnCommand::Rollback | TxnCommand::RollbackTo(_))
        )
    }

    /// What a read-only mirror refuses, named for the error; `None` when it may run. Roles,
    /// grants and views are each node's own, never replicated: a mirror manages them.
    pub(crate) fn writes(&self) -> Option<&'static str> {
        Some(match self {
            Classified::Insert(_) => "INSERT",
            Classified::Update(_) => "UPDATE",
            Classified::Delete(_) => "DELETE",
            Classified::CreateTable(_) => "CREATE TABLE",
            Classified::AlterTable(_) => "ALTER TABLE",
            Classified::DropRelations(DropRelations {
                kind: RelationKind::Table,
                ..
            }) => "DROP TABLE",
            Classified::DropDatabase { .. } => "DROP DATABASE",
            Classified::CreateDatabase { .. } => "CREATE DATABASE",
            Classified::Copy(_) => "COPY",
            Classified::Txn(_)
            | Classified::Query(_)
            | Classified::KeyCall(_)
            | Classified::CreateView(_)
            | Classified::DropRelations(_)
            | Classified::DropRole { .. }
            | Classified::CreateRole(_)
            | Classified::AlterRole { .. }
            | Classified::Grant(_)
            | Classified::Revoke { .. }
            | Classified::Set(_)
            | Classified::Show(_)
            | Classified::Discard(_)
            | Classified::Reset(_)
            | Classified::DeclareCursor { .. }
            | Classified::Fetch { .. }
            | Classified::Move { .. }
            | Classified::CloseCursor(_)
            | Classified::Deallocate(_)
            | Classified::Listen(_) => return None,
        })
    }

    /// Binds `values` to the `$n` of a statement our own code runs (queries bind in their
    /// plans instead; a view's definition may have none).
    pub(crate) fn bind(&mut self, values: &[Value]) -> Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        match self {
            Classified::KeyCall(call) => params::bind(&mut call.args, values),
            Classified::Insert(node) => params::bind(node.as_mut(), values),
            Classified::Update(node) => params::bind(node.as_mut(), values),
            Classified::Delete(node) => params::bind(node.as_mut(), values),
            Classified::Set(node) => params::bind(node.as_mut(), values),
            Classified::CreateTable(node) => params::bind(node.as_mut(), values),
            Classified::AlterTable(node) => params::bind(node.as_mut(), values),
            Classified::CreateRole(node) => params::bind(node.as_mut(), values),
            Classified::AlterRole { operation, .. } => params::bind(&mut **operation, values),
            Classified::Copy(node) => params::bind(&mut node.source, values),
            Classified::DeclareCursor { query, .. } => params::bind(query.as_mut(), values),
            Classified::Query(_)
            | Classified::CreateView(_)
            | Classified::Txn(_)
            | Classified::DropRelations(_)
            | Classified::DropDatabase { .. }
            | Classified::DropRole { .. }
            | Classified::CreateDatabase { .. }
            | Classified::Grant(_)
            | Classified::Revoke { .. }
            | Classified::Show(_)
            | Classified::Discard(_)
            | Classified::Reset(_)
            | Classified::Deallocate(_)
            | Classified::Listen(_)
            | Classified::Fetch { .. }
            | Classified::Move { .. }
            | Classified::CloseCursor(_) => Ok(()),
        }
    }
}

/// `DECLARE ... CURSOR`: forward-only cursors of the open block; SCROLL would keep every row
/// fetched, and WITH HOLD would keep the whole result past the commit.
fn declare_cursor(declare: Declare) -> Result<Classified> {
    let Declare {
        names: cursor_names,
        declare_type: Some(DeclareType::Cursor),
        scroll,
        hold,
        for_query: Some(query),
        ..
    } = declare
    else {
        return Err(Error::FeatureNotSupported("DECLARE of a variable".into()));
    };
    if scroll == Some(true) {
        return Err(Error::FeatureNotSupported(
            "DECLARE ... SCROLL CURSOR".into(),
        ));
    }
    if hold == Some(true) {
        return Err(Error::FeatureNotSupported(
            "DECLARE ... CURSOR WITH HOLD".into(),
        ));
    }
    match cursor_names.as_slice() {
        [name] => Ok(Classified::DeclareCursor {
            name: names::fold(name),
            query,
        }),
        _ => Err(Error::FeatureNotSupported(
            "DECLARE of several names".into(),
        )),
    }
}

/// Which rows of a cursor a FETCH or MOVE reads, as PostgreSQL's `PortalRunFetch` reads them
/// forward. A cursor is NO SCROLL, so every other direction is 55000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CursorRows {
    /// The next `n` rows; 0 is the current row, which only a scrollable cursor re-reads.
    Count(u64),
    /// Every row left.
    All,
    /// `RELATIVE n` (n ≥ 1): passes `n - 1` rows and reads the next.
    Relative(u64),
}

fn cursor_rows(direction: &FetchDirection) -> Result<CursorRows> {
    // A negative count (backward) does not parse as u64.
    let count = |limit: &ValueWithSpan| match &limit.value {
        SqlValue::Number(n, _) => n.parse::<u64>().map_err(|_| Error::CursorForwardOnly),
        _ => Err(Error::CursorForwardOnly),
    };
    Ok(match direction {
        FetchDirection::Next | FetchDirection::Forward { limit: None } => CursorRows::Count(1),
        FetchDirection::All | FetchDirection::ForwardAll => CursorRows::All,
        FetchDirection::Count { limit } | FetchDirection::Forward { limit: Some(limit) } => {
            CursorRows::Count(count(limit)?)
        }
        FetchDirection::Relative { limit } => match count(limit)? {
            0 => CursorRows::Count(0),
            n => CursorRows::Relative(n),
        },
        _ => return Err(Error::CursorForwardOnly),
    })
}

/// `SELECT mindoo.f(...)` without FROM, where `f` is a key function.
fn key_call(query: &Query) -> Option<KeyCall> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    if !select.from.is_empty() || query.with.is_some() {
        return None;
    }
    let (expr, alias) = match select.projection.as_slice() {
        [SelectItem::UnnamedExpr(expr)] => (expr, None),
        [SelectItem::ExprWithAlias { expr, alias }] => (expr, Some(names::fold(alias))),
        _ => return None,
    };
    let Expr::Function(Function { name, args, .. }) = expr else {
        return None;
    };
    let [schema, function] = name.0.as_slice() else {
        return None;
    };
    let (schema, function) = (schema.as_ident()?, function.as_ident()?);
    if !names::is(schema, "mindoo") {
        return None;
    }
    let func = KeyFn::from_name(&names::fold(function))?;
    let args = match args {
        FunctionArguments::List(list) => list.args.clone(),
        FunctionArguments::None => Vec::new(),
        FunctionArguments::Subquery(_) => return None,
    };
    Some(KeyCall { func, args, alias })
}

/// The statement's leading keywords, for "not supported" messages that never echo literals.
pub(crate) fn leading_words(statement: &Statement) -> String {
    statement
        .to_string()
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A literal or expression argument of a key call.
pub(crate) fn unnamed_arg(arg: &FunctionArg) -> Option<&Expr> {
    match arg {
        FunctionArg::Unnamed(FunctionArgExpr::Expr(expr)) => Some(expr),
        _ => None,
    }
}
