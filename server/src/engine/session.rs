//! One connection's session: its DataFusion context, keys, settings and transaction.
//!
//! Invariants:
//! - Outside BEGIN every statement commits by itself; inside, writes collect in `Pending` and
//!   reach the store in one `Transaction` at COMMIT, or never.
//! - After an error inside a block (in any protocol step: Parse, Bind, Describe, Execute), only
//!   ROLLBACK, ROLLBACK TO SAVEPOINT and COMMIT run (`TxnStatus::Failed`); COMMIT then rolls
//!   back and ROLLBACK TO a savepoint resumes the block, as in Postgres.
//! - One DataFusion `SessionContext` per session: no SET or PREPARE state is shared.
//! - Every statement is listed in `mindoo.activity` while it runs and, when it takes longer
//!   than the engine's threshold, logged once; both only as redacted text (`redact.rs`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use datafusion::catalog::MemoryCatalogProvider;
use datafusion::execution::SessionStateBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::sql::sqlparser::ast::{Ident, Statement};
use mindoodb_protocol::DocId;
use mindoodb_storage::{RoleRecord, Table, TenantInfo, Transaction, ViewInfo, Write};

use super::activity::Registration;
use super::classify::{self, Kind};
use super::copy::{self, CopyIn};
use super::feeds::FeedCtx;
use super::json::{self, JsonTypePlanner};
use super::keyring::{self, KeySet};
use super::notify::{self, Listening};
use super::point_read::PointRead;
use super::provider::{DocSchema, ReadState, SharedState};
use super::redact::redact;
use super::settings::Settings;
use super::txn::PendingDoc;
use super::views::{self, Planner};
use super::{Engine, dialect, query, udtf};
use crate::catalog::{self, CatalogSource, PgTypePlanner};
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType, Value};

/// Where a session's transaction stands (ReadyForQuery's I / T / E).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxnStatus {
    /// Autocommit.
    Idle,
    /// Inside BEGIN ... COMMIT.
    InBlock,
    /// Inside a block after an error: only ROLLBACK helps.
    Failed,
}

/// A parsed, described statement of the extended protocol.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// One type per `$n`, never unknown.
    pub param_types: Vec<PgType>,
    /// Result columns; empty when the statement returns no rows.
    pub columns: Vec<Column>,
    pub(crate) statement: Statement,
    pub(crate) plan: Option<LogicalPlan>,
    /// The statement as `mindoo.activity` and the slow-statement log show it, redacted once.
    query: Arc<str>,
    /// The plan's point read, matched once here instead of at every Execute.
    point_read: Option<PointRead>,
}

impl Prepared {
    pub(crate) fn new(
        param_types: Vec<PgType>,
        columns: Vec<Column>,
        statement: Statement,
        plan: Option<LogicalPlan>,
        point_read: Option<PointRead>,
    ) -> Prepared {
        Prepared {
            param_types,
            columns,
            query: redact(&statement).into(),
            statement,
            plan,
            point_read,
        }
    }
}

/// What `Session::run` runs.
enum Work<'p> {
    /// A statement, with its plan when it was prepared.
    Statement(Box<Statement>, Option<LogicalPlan>),
    /// A prepared point read of document `id`, shaped as `columns`.
    PointRead(&'p PointRead, DocId, &'p [Column]),
}

/// One connection's state.
pub(crate) struct Session {
    pub(crate) engine: Arc<Engine>,
    pub(crate) role: RoleRecord,
    pub(crate) tenant: TenantInfo,
    pub(crate) secure: bool,
    pub(crate) state: SharedState,
    pub(crate) settings: Settings,
    pub(crate) ctx: SessionContext,
    /// Channels of LISTEN.
    pub(crate) listening: Listening,
    txn: TxnStatus,
    /// Its row in `mindoo.activity`, removed when the session drops.
    activity: Registration,
    /// The COPY FROM STDIN in progress, waiting for its data.
    copy_in: Option<CopyIn>,
}

impl Session {
    pub(crate) fn new(
        engine: Arc<Engine>,
        role: RoleRecord,
        tenant: TenantInfo,
        secure: bool,
        peer: Option<SocketAddr>,
    ) -> Result<Session> {
        let state: SharedState = Arc::new(RwLock::new(ReadState::default()));
        let config = SessionConfig::new()
            .with_default_catalog_and_schema("mindoo", "public")
            .with_information_schema(false)
            .set_str("datafusion.sql_parser.dialect", "PostgreSQL")
            .set_bool("datafusion.sql_parser.enable_ident_normalization", true);
        let df_state = SessionStateBuilder::new()
            .with_config(config)
            .with_default_features()
            .with_type_planner(Arc::new(PgTypePlanner::new(Arc::new(JsonTypePlanner))))
            .build();
        let mut ctx = SessionContext::new_with_state(df_state);
        let settings = Settings::new(&role.name, &tenant.name);
        settings.set(
            "is_superuser",
            if role.superuser { "on" } else { "off" }.into(),
        );
        // Weak: the schema lives inside the context it plans views with.
        let weak = ctx.state_weak_ref();
        let planner: Planner = Arc::new(move || weak.upgrade().map(|state| state.read().clone()));
        let view_schema = {
            let (planner, store, tenant) = (planner.clone(), engine.store.clone(), tenant.id);
            Arc::new(move |view: &ViewInfo| views::schema(&planner, &store, tenant, view))
        };
        let catalog = MemoryCatalogProvider::new();
        let held_state = state.clone();
        catalog::register(
            &mut ctx,
            &catalog,
            Arc::new(DocSchema {
                store: engine.store.clone(),
                tenant: tenant.id,
                state: state.clone(),
                planner,
            }),
            CatalogSource {
                store: engine.store.clone(),
                tenant: tenant.clone(),
                role: role.clone(),
                settings: settings.clone(),
                held_keys: Arc::new(move || {
                    let state = held_state.read().unwrap_or_else(PoisonError::into_inner);
                    state.keys.held().map(|k| k.to_string()).collect()
                }),
                view_schema,
            },
        )?;
        ctx.register_catalog("mindoo", Arc::new(catalog));
        json::register(&mut ctx)?;
        dialect::register(&mut ctx)?;
        udtf::register(
            &ctx,
            &FeedCtx::new(&engine, &role, tenant.id, state.clone()),
        );
        let activity = engine
            .activity()
            .register(&role.name, &tenant.name, tenant.id, peer);
        Ok(Session {
            engine,
            role,
            tenant,
            secure,
            state,
            settings,
            ctx,
            listening: Listening::default(),
            txn: TxnStatus::Idle,
            activity,
            copy_in: None,
        })
    }

    /// Simple protocol: runs each statement in turn and stops after the first error, whose
    /// result is the last element.
    pub(crate) async fn simple(&mut self, sql: &str) -> Vec<Result<Output>> {
        let statements = match classify::parse(sql) {
            Ok(statements) => statements,
            Err(err) => return vec![Err(self.fail(err))],
        };
        let mut outputs = Vec::with_capacity(statements.len());
        for statement in statements {
            let query = redact(&statement).into();
            let work = Work::Statement(Box::new(statement), None);
            let res = self.run(query, work, &[]).await;
            let failed = res.is_err();
            outputs.push(res.map_err(|e| self.fail(e)));
            if failed {
                break;
            }
        }
        outputs
    }

    /// Extended protocol: parses and describes one statement. A failure inside a block
    /// aborts the block, as any failed statement does.
    pub(crate) async fn prepare(
        &mut self,
        sql: &str,
        param_types: &[Option<PgType>],
    ) -> Result<Prepared> {
        let res = self.prepare_one(sql, param_types).await;
        res.map_err(|e| self.fail(e))
    }

    async fn prepare_one(&mut self, sql: &str, param_types: &[Option<PgType>]) -> Result<Prepared> {
        let mut statements = classify::parse(sql)?;
        let statement = match (statements.pop(), statements.is_empty()) {
            (Some(statement), true) => statement,
            (None, _) => return Err(Error::Syntax("empty statement".into())),
            (Some(_), false) => {
                return Err(Error::Syntax(
                    "cannot insert multiple commands into a prepared statement".into(),
                ));
            }
        };
        if self.txn == TxnStatus::Failed && !ends_failed_block(classify::kind(&statement)) {
            return Err(Error::InFailedTransaction);
        }
        classify::describe(self, statement, param_types).await
    }

    /// Extended protocol: runs a prepared statement with bound parameters.
    pub(crate) async fn execute(
        &mut self,
        prepared: &Prepared,
        params: Vec<Value>,
    ) -> Result<Output> {
        let work = match &prepared.point_read {
            Some(read) if let Some(id) = read.id(&params) => {
                Work::PointRead(read, id, &prepared.columns)
            }
            _ => Work::Statement(Box::new(prepared.statement.clone()), prepared.plan.clone()),
        };
        let res = self.run(prepared.query.clone(), work, &params).await;
        res.map_err(|e| self.fail(e))
    }

    /// Remembers a COPY FROM STDIN until its data has arrived.
    pub(crate) fn await_copy(&mut self, copy_in: CopyIn) {
        self.copy_in = Some(copy_in);
    }

    /// One CopyData message of the COPY FROM STDIN in progress; ignored when none is. Bad
    /// data is remembered and reported at CopyDone, as Postgres does.
    pub(crate) fn copy_data(&mut self, data: &[u8]) {
        if let Some(copy_in) = &mut self.copy_in {
            copy_in.push(data);
        }
    }

    /// CopyDone: writes what the COPY FROM STDIN received; the tag is `COPY n`.
    pub(crate) async fn copy_done(&mut self) -> Result<Output> {
        let res = match self.copy_in.take() {
            Some(copy_in) => copy::finish(self, copy_in).await,
            None => Err(Error::Internal(
                "CopyDone without a COPY in progress".into(),
            )),
        };
        res.map_err(|e| self.fail(e))
    }

    /// CopyFail: forgets the COPY, which wrote nothing, and fails the transaction block, as
    /// any failed statement does.
    pub(crate) fn copy_fail(&mut self, message: &str) -> Error {
        self.copy_in = None;
        self.fail(Error::CopyFailed(message.to_owned()))
    }

    /// Where the transaction stands.
    pub(crate) fn txn_status(&self) -> TxnStatus {
        self.txn
    }

    /// Runs one statement, listed in `mindoo.activity` and timed for the slow-statement log.
    async fn run(&mut self, query: Arc<str>, work: Work<'_>, params: &[Value]) -> Result<Output> {
        self.activity.start(query.clone());
        let started = Instant::now();
        let res = self.run_statement(work, params).await;
        let elapsed = started.elapsed();
        let slow = elapsed >= self.engine.slow_statement();
        if slow {
            tracing::warn!(
                pid = self.activity.pid(),
                role = %self.role.name,
                database = %self.tenant.name,
                duration_ms = elapsed.as_millis() as u64,
                ok = res.is_ok(),
                statement = %query,
                "slow statement"
            );
        }
        let state = match (self.txn, res.is_err()) {
            (TxnStatus::Idle, _) => "idle",
            (TxnStatus::InBlock, false) => "idle in transaction",
            (TxnStatus::InBlock | TxnStatus::Failed, _) => "idle in transaction (aborted)",
        };
        self.activity.end(state, res.is_err(), slow);
        res
    }

    async fn run_statement(&mut self, work: Work<'_>, params: &[Value]) -> Result<Output> {
        let kind = match &work {
            Work::Statement(statement, _) => classify::kind(statement),
            Work::PointRead(..) => Kind::Query,
        };
        if self.txn == TxnStatus::Failed && !ends_failed_block(kind) {
            return Err(Error::InFailedTransaction);
        }
        let (statement, plan) = match work {
            Work::Statement(statement, plan) => (*statement, plan),
            Work::PointRead(read, id, columns) => {
                // A statement cancelled mid-way never reached the clearing after it.
                self.write_state().statement = None;
                return query::point_read(self, read, &id, columns.to_vec());
            }
        };
        match (kind, statement) {
            (Kind::Begin, _) => {
                if self.txn == TxnStatus::Idle {
                    self.txn = TxnStatus::InBlock;
                }
                Ok(Output::TxnStart)
            }
            (Kind::Commit, _) => self.commit().await,
            (Kind::Rollback, _) => {
                self.write_state().pending.take();
                self.txn = TxnStatus::Idle;
                Ok(Output::TxnEnd { tag: "ROLLBACK" })
            }
            (Kind::Savepoint, Statement::Savepoint { name }) => {
                self.in_block("SAVEPOINT")?;
                self.write_state().pending.savepoint(savepoint_name(&name));
                Ok(Output::Command {
                    tag: "SAVEPOINT",
                    rows: None,
                })
            }
            (
                Kind::RollbackTo,
                Statement::Rollback {
                    savepoint: Some(name),
                    ..
                },
            ) => {
                self.in_block("ROLLBACK TO SAVEPOINT")?;
                self.write_state()
                    .pending
                    .rollback_to(&savepoint_name(&name))?;
                self.txn = TxnStatus::InBlock;
                Ok(Output::Command {
                    tag: "ROLLBACK",
                    rows: None,
                })
            }
            (Kind::Release, Statement::ReleaseSavepoint { name }) => {
                self.in_block("RELEASE SAVEPOINT")?;
                self.write_state().pending.release(&savepoint_name(&name))?;
                Ok(Output::Command {
                    tag: "RELEASE",
                    rows: None,
                })
            }
            (kind, statement) => {
                // A statement cancelled mid-way never reached the clearing below.
                self.write_state().statement = None;
                let res = classify::dispatch(self, kind, statement, plan, params).await;
                self.write_state().statement = None;
                res
            }
        }
    }

    /// Savepoints exist only inside a block (a failed one included).
    fn in_block(&self, what: &'static str) -> Result<()> {
        match self.txn {
            TxnStatus::Idle => Err(Error::NoActiveTransaction(what)),
            TxnStatus::InBlock | TxnStatus::Failed => Ok(()),
        }
    }

    async fn commit(&mut self) -> Result<Output> {
        let txn = self.write_state().pending.take();
        let was = std::mem::replace(&mut self.txn, TxnStatus::Idle);
        if was == TxnStatus::Failed {
            return Ok(Output::TxnEnd { tag: "ROLLBACK" });
        }
        if !txn.writes.is_empty() {
            self.commit_now(txn).await?;
        }
        Ok(Output::TxnEnd { tag: "COMMIT" })
    }

    /// Queues `doc` in the open transaction, or commits it at once outside one.
    pub(crate) async fn write(&mut self, table: Table, docs: Vec<PendingDoc>) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        if self.txn == TxnStatus::InBlock {
            let mut state = self.write_state();
            for doc in docs {
                state.pending.push(table, doc);
            }
            return Ok(());
        }
        let txn = Transaction {
            writes: docs
                .into_iter()
                .map(|doc| Write::Local {
                    table,
                    entry: doc.entry,
                })
                .collect(),
        };
        self.commit_now(txn).await
    }

    async fn commit_now(&self, txn: Transaction) -> Result<()> {
        let res = notify::commit(
            self.engine.store(),
            self.engine.notifier(),
            self.tenant.id,
            txn,
        )
        .await;
        match res {
            Ok(_) => Ok(()),
            Err(mindoodb_storage::Error::Conflict { doc_id }) => {
                Err(Error::SerializationFailure(doc_id.to_string()))
            }
            Err(mindoodb_storage::Error::DuplicateDocument(doc_id)) => {
                Err(Error::UniqueViolation(doc_id.to_string()))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Replaces the session's keys with those in `tokens`.
    pub(crate) fn set_keys(&mut self, tokens: &str) -> Result<()> {
        if !self.secure {
            return Err(Error::InsecureTransport);
        }
        let mode = self.engine.mode();
        if mode.read_only && !mode.accept_keys {
            return Err(Error::NotAllowed(
                "this mirror does not accept keys (start it with --mirror-accept-keys)".into(),
            ));
        }
        let keys =
            keyring::parse_tokens(&self.engine.store, self.tenant.id, tokens, !mode.read_only)?;
        self.write_state().keys = keys;
        Ok(())
    }

    /// Refuses `what` on a read-only mirror (25006).
    pub(crate) fn writable(&self, what: &str) -> Result<()> {
        if self.engine.mode().read_only {
            Err(Error::ReadOnly(what.to_owned()))
        } else {
            Ok(())
        }
    }

    pub(crate) fn read_state(&self) -> std::sync::RwLockReadGuard<'_, ReadState> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn write_state(&self) -> std::sync::RwLockWriteGuard<'_, ReadState> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn keys_held(&self) -> Vec<String> {
        self.read_state()
            .keys
            .held()
            .map(|k| k.to_string())
            .collect()
    }

    pub(crate) fn with_keys<T>(&self, f: impl FnOnce(&mut KeySet) -> T) -> T {
        f(&mut self.write_state().keys)
    }

    /// A failed statement inside a block poisons the block.
    fn fail(&mut self, err: Error) -> Error {
        self.abort_block();
        err
    }

    /// Marks an open block failed, for errors the wire layer meets outside the session (a
    /// Bind or Describe naming an unknown statement or portal, undecodable parameters).
    pub(crate) fn abort_block(&mut self) {
        if self.txn == TxnStatus::InBlock {
            self.txn = TxnStatus::Failed;
        }
    }

    /// Session parameters as SHOW/current_setting report them.
    pub(crate) fn setting(&self, name: &str) -> Option<String> {
        self.settings.get(name, &self.keys_held())
    }

    /// All session parameters, for `SHOW ALL`.
    pub(crate) fn all_settings(&self) -> HashMap<String, String> {
        self.settings.all(&self.keys_held())
    }

    pub(crate) async fn plan_query(&self, statement: Statement) -> Result<LogicalPlan> {
        query::plan(&self.ctx, statement).await
    }
}

/// The statements a failed block still runs.
fn ends_failed_block(kind: Kind) -> bool {
    matches!(kind, Kind::Commit | Kind::Rollback | Kind::RollbackTo)
}

/// Savepoint names fold to lowercase unless quoted, like every Postgres identifier.
fn savepoint_name(name: &Ident) -> String {
    match name.quote_style {
        Some(_) => name.value.clone(),
        None => name.value.to_lowercase(),
    }
}
