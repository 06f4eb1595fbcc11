//! How a statement runs: **start here**. The wire layer calls `Session::simple` (simple
//! protocol), `Session::prepare` (Parse) and `Session::execute` (Execute); each statement is
//! parsed (`sql/parse.rs`), classified once (`sql/classify.rs`) and dispatched by one `match`
//! to the module that runs its kind.
//!
//! Invariants:
//! - A statement is classified once: a prepared statement keeps its `Classified`, and Execute
//!   binds parameters into a copy of it (or into its plan) without classifying again.
//! - Inside a failed block only COMMIT, ROLLBACK and ROLLBACK TO run; any error inside a block
//!   (at Parse, Describe or Execute) fails the block.
//! - A read-only mirror refuses every statement that writes (25006) before it runs.
//! - Every statement passes the current role's privilege check (`session/privileges.rs`)
//!   before it runs, the prepared point read included.

use std::sync::Arc;

use datafusion::logical_expr::LogicalPlan;
use datafusion::sql::sqlparser::ast::Statement;
use mindoodb_protocol::DocId;

use super::ddl::{databases, grants, roles, tables, views};
use super::mindoo::keys;
use super::prepared::Prepared;
use super::read::cursor;
use super::read::point_read::PointRead;
use super::read::query;
use super::session::Session;
use super::session::set_show;
use super::sql::classify::{Classified, classify};
use super::sql::own_syntax::Parsed;
use super::sql::params as sql_params;
use super::sql::parse::{parse, parse_one};
use super::sql::redact::redact;
use super::write::params::{self as write_params, Dml};
use super::write::{copy, insert, modify, returning};
use crate::error::Result;
use crate::output::{Column, Output, PgType, Value};

/// What `run` runs.
enum Work<'p> {
    /// A statement of the simple protocol, classified when it runs.
    Parsed(Box<Parsed>),
    /// A prepared statement, with its plan when it is a query.
    Prepared(Box<Classified>, Option<LogicalPlan>),
    /// A prepared point read of document `id`, shaped as `columns`, with the statement it
    /// answers (for its privilege check).
    PointRead(&'p PointRead, DocId, &'p [Column], &'p Classified),
}

impl Session {
    /// Simple protocol: runs each statement in turn and stops after the first error, whose
    /// result is the last element. (The wire layer runs them one by one with `run_simple`, so
    /// a statement's rows reach the client before the next statement starts.)
    pub(crate) async fn simple(&mut self, sql: &str) -> Vec<Result<Output>> {
        let statements = match self.parse_simple(sql) {
            Ok(statements) => statements,
            Err(err) => return vec![Err(err)],
        };
        let mut outputs = Vec::with_capacity(statements.len());
        for statement in statements {
            let res = self.run_simple(statement).await;
            let failed = res.is_err();
            outputs.push(res);
            if failed {
                break;
            }
        }
        outputs
    }

    /// Simple protocol: the statements of one Query message.
    pub(crate) fn parse_simple(&mut self, sql: &str) -> Result<Vec<Parsed>> {
        parse(sql).map_err(|e| self.fail(e))
    }

    /// Simple protocol: runs one statement of a Query message.
    pub(crate) async fn run_simple(&mut self, statement: Parsed) -> Result<Output> {
        let query = redact(&statement).into();
        let res = self
            .run(query, Work::Parsed(Box::new(statement)), &[])
            .await;
        res.map_err(|e| self.fail(e))
    }

    /// Extended protocol: parses, classifies and describes one statement.
    pub(crate) async fn prepare(
        &mut self,
        sql: &str,
        declared: &[Option<PgType>],
    ) -> Result<Prepared> {
        let res = self.prepare_one(sql, declared).await;
        res.map_err(|e| self.fail(e))
    }

    /// Extended protocol: runs a prepared statement with bound parameters.
    pub(crate) async fn execute(
        &mut self,
        prepared: &Prepared,
        params: Vec<Value>,
    ) -> Result<Output> {
        let work = match &prepared.point_read {
            Some(read) if let Some(id) = read.id(&params) => {
                Work::PointRead(read, id, &prepared.columns, &prepared.classified)
            }
            _ => Work::Prepared(Box::new(prepared.classified.clone()), prepared.plan.clone()),
        };
        let res = self.run(prepared.query.clone(), work, &params).await;
        res.map_err(|e| self.fail(e))
    }

    async fn prepare_one(&mut self, sql: &str, declared: &[Option<PgType>]) -> Result<Prepared> {
        let statement = parse_one(sql)?;
        let query: Arc<str> = redact(&statement).into();
        let n_params = match &statement {
            Parsed::Sql(statement) => sql_params::count(statement),
            Parsed::Own(_) => 0,
        };
        let classified = self.admit(statement)?;
        describe(self, classified, n_params, declared, query).await
    }

    /// Classifies a parsed statement, unless the block is failed and it does not end it.
    fn admit(&self, statement: Parsed) -> Result<Classified> {
        let classified = classify(statement);
        let ends_block = classified.as_ref().is_ok_and(Classified::ends_failed_block);
        self.check_failed_block(ends_block)?;
        classified
    }

    /// Runs one statement, listed in `mindoo.activity` and timed for the slow-statement log.
    async fn run(&mut self, query: Arc<str>, work: Work<'_>, params: &[Value]) -> Result<Output> {
        let running = self.start(query);
        let res = match work {
            Work::PointRead(read, id, columns, classified) => {
                match self
                    .check_failed_block(false)
                    .and_then(|()| self.check_statement(classified))
                {
                    Ok(()) => query::point_read(self, read, &id, columns.to_vec()),
                    Err(err) => Err(err),
                }
            }
            Work::Parsed(statement) => match self.admit(*statement) {
                Ok(classified) => dispatch(self, classified, None, params).await,
                Err(err) => Err(err),
            },
            Work::Prepared(classified, plan) => {
                match self.check_failed_block(classified.ends_failed_block()) {
                    Ok(()) => dispatch(self, *classified, plan, params).await,
                    Err(err) => Err(err),
                }
            }
        };
        self.end(running, &res);
        res
    }
}

/// Runs one classified statement: the one `match` from statement kind to module.
async fn dispatch(
    session: &mut Session,
    mut classified: Classified,
    plan: Option<LogicalPlan>,
    params: &[Value],
) -> Result<Output> {
    if let Some(what) = classified.writes() {
        session.writable(what)?;
    }
    session.check_statement(&classified)?;
    classified.bind(params)?;
    match classified {
        Classified::Txn(command) => session.txn_command(command).await,
        Classified::Query(node) => query::run(session, Statement::Query(node), plan, params).await,
        Classified::KeyCall(call) => keys::call(session, call).await,
        Classified::Insert(node) => insert::insert(session, *node).await,
        Classified::Update(node) => modify::update(session, *node).await,
        Classified::Delete(node) => modify::delete(session, *node).await,
        Classified::CreateTable(node) => tables::create(session, &node),
        Classified::AlterTable(node) => tables::alter(session, &node),
        Classified::CreateView(node) => views::create(session, *node).await,
        Classified::DropRelations(drop) => views::drop(session, drop),
        Classified::CreateDatabase {
            name,
            if_not_exists,
        } => databases::create(session, &name, if_not_exists),
        Classified::DropDatabase { names, if_exists } => {
            databases::drop(session, &names, if_exists)
        }
        Classified::CreateRole(node) => roles::create(session, &node),
        Classified::AlterRole { name, operation } => roles::alter(session, &name, *operation),
        Classified::DropRole { names, if_exists } => roles::drop(session, &names, if_exists),
        Classified::Grant(grant) => grants::grant(session, &grant),
        Classified::Revoke {
            revoke,
            option_only,
        } => grants::revoke(session, &revoke, option_only),
        Classified::Set(set) => set_show::set(session, *set),
        Classified::Show(variable) => set_show::show(session, &variable),
        Classified::Discard(object) => Ok(set_show::discard(session, object)),
        Classified::Reset(reset) => set_show::reset(session, &reset),
        Classified::Deallocate(name) => Ok(Output::Deallocate { name }),
        Classified::Listen(command) => Ok(session.listening_mut().run(command)),
        Classified::Copy(node) => copy::run(session, *node).await,
        Classified::DeclareCursor { name, query } => cursor::declare(session, name, *query).await,
        Classified::Fetch { name, rows } => cursor::fetch(session, &name, rows).await,
        Classified::Move { name, rows } => cursor::move_by(session, &name, rows).await,
        Classified::CloseCursor(name) => cursor::close(session, name.as_deref()),
    }
}

/// Describes a statement for the extended protocol: parameter and result types.
async fn describe(
    session: &mut Session,
    classified: Classified,
    n_params: usize,
    declared: &[Option<PgType>],
    query: Arc<str>,
) -> Result<Prepared> {
    if let Classified::Query(node) = &classified {
        let described = query::describe(session, &Statement::Query(node.clone()), declared).await?;
        return Ok(Prepared {
            param_types: described.param_types,
            columns: described.columns,
            classified,
            plan: Some(described.plan),
            query,
            point_read: described.point_read,
        });
    }
    let dml = match &classified {
        Classified::Insert(node) => Some(Dml::Insert(node)),
        Classified::Update(node) => Some(Dml::Update(node)),
        Classified::Delete(node) => Some(Dml::Delete(node)),
        _ => None,
    };
    let inferred = match dml {
        Some(dml) => write_params::infer(session, dml).await,
        None => Default::default(),
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
    let columns = match &classified {
        Classified::KeyCall(call) => keys::columns(call),
        Classified::Insert(node) => returning::columns(node.returning.as_deref()),
        Classified::Update(node) => returning::columns(node.returning.as_deref()),
        Classified::Delete(node) => returning::columns(node.returning.as_deref()),
        Classified::Show(variable) => set_show::show_columns(variable),
        Classified::Fetch { name, .. } => session.cursors().columns(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(Prepared {
        param_types,
        columns,
        classified,
        plan: None,
        query,
        point_read: None,
    })
}
