//! One connection's session: who it is, its DataFusion context, settings, keys and
//! transaction, and the bookkeeping around each statement it runs (`engine/run.rs` runs them).
//!
//! Invariants:
//! - Outside BEGIN every statement commits by itself; inside, writes collect in the
//!   transaction (`txn.rs`) and reach the store in one `Transaction` at COMMIT, or never.
//! - After an error inside a block (in any protocol step: Parse, Bind, Describe, Execute), only
//!   ROLLBACK, ROLLBACK TO SAVEPOINT and COMMIT run; COMMIT then rolls back and ROLLBACK TO a
//!   savepoint resumes the block, as in Postgres.
//! - One DataFusion `SessionContext` per session: no SET or PREPARE state is shared.
//! - Every statement is listed in `mindoo.activity` while it runs and, when it takes longer
//!   than the engine's threshold, logged once; both only as redacted text.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use datafusion::prelude::SessionContext;
use mindoodb_storage::{RoleRecord, Store, Table, TenantInfo};

use super::Engine;
use super::activity::{ClientAddr, Registration};
use super::audit::StatementAudit;
use super::commit::commit_signed;
use super::copy_in::CopyInProgress;
use super::cursors::Cursors;
use super::keys::{self, KeySet};
use super::listen::Listening;
use super::state::{SharedState, StatementScope};
use super::txn::{PendingDoc, Signer, TxnStatus, Writes};
use crate::catalog::Settings;
use crate::engine::sql::classify::TxnCommand;
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::output::Output;

/// One connection's state.
pub(crate) struct Session {
    engine: Arc<Engine>,
    role: RoleRecord,
    tenant: TenantInfo,
    /// True for TLS, loopback and Unix sockets: the transports keys may travel over.
    secure: bool,
    state: SharedState,
    settings: Settings,
    ctx: SessionContext,
    /// Channels of LISTEN.
    listening: Listening,
    /// Its row in `mindoo.activity`, removed when the session drops.
    activity: Registration,
    /// The COPY FROM STDIN in progress, waiting for its data.
    copy_in: Option<Box<dyn CopyInProgress>>,
    /// Cursors of the open block.
    cursors: Cursors,
    /// Notices and warnings of the running statement, sent before its reply.
    notices: Vec<Notice>,
}

/// What a session is made of; `engine/login.rs` builds the context around the state.
pub(crate) struct Parts {
    pub(crate) engine: Arc<Engine>,
    pub(crate) role: RoleRecord,
    pub(crate) tenant: TenantInfo,
    pub(crate) secure: bool,
    pub(crate) peer: Option<ClientAddr>,
    pub(crate) state: SharedState,
    pub(crate) settings: Settings,
    pub(crate) ctx: SessionContext,
}

/// A statement under way: its activity row and clock, and its hold on the snapshot.
pub(crate) struct Running {
    query: Arc<str>,
    started: Instant,
    _scope: StatementScope,
}

impl Session {
    pub(crate) fn new(parts: Parts) -> Session {
        let Parts {
            engine,
            role,
            tenant,
            secure,
            peer,
            state,
            settings,
            ctx,
        } = parts;
        let activity = engine
            .activity()
            .register(&role.name, &tenant.name, tenant.id, peer);
        Session {
            engine,
            role,
            tenant,
            secure,
            state,
            settings,
            ctx,
            listening: Listening::default(),
            activity,
            copy_in: None,
            cursors: Cursors::default(),
            notices: Vec::new(),
        }
    }

    pub(crate) fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub(crate) fn store(&self) -> &Store {
        self.engine.store()
    }

    /// The session's role.
    pub(crate) fn role(&self) -> &RoleRecord {
        &self.role
    }

    /// The tenant (database) the session is connected to.
    pub(crate) fn tenant(&self) -> &TenantInfo {
        &self.tenant
    }

    /// True for transports keys may travel over.
    pub(crate) fn secure(&self) -> bool {
        self.secure
    }

    /// Its DataFusion context.
    pub(crate) fn ctx(&self) -> &SessionContext {
        &self.ctx
    }

    /// Its parameters.
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Keys, transaction and statement snapshot, as its tables read them.
    pub(crate) fn state(&self) -> &SharedState {
        &self.state
    }

    /// The channels it listens on.
    pub(crate) fn listening(&self) -> &Listening {
        &self.listening
    }

    pub(crate) fn listening_mut(&mut self) -> &mut Listening {
        &mut self.listening
    }

    /// The open block's cursors.
    pub(crate) fn cursors(&self) -> &Cursors {
        &self.cursors
    }

    pub(crate) fn cursors_mut(&mut self) -> &mut Cursors {
        &mut self.cursors
    }

    /// Where the transaction stands.
    pub(crate) fn txn_status(&self) -> TxnStatus {
        self.state.read().txn.status()
    }

    /// Raises a notice or warning of the running statement.
    pub(crate) fn notice(&mut self, notice: Notice) {
        self.notices.push(notice);
    }

    /// The notices the statement raised so far, for the wire to send before its reply.
    pub(crate) fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// A statement starts: listed as active, timed, and its snapshot slot cleared (and the
    /// notices of an interrupted one dropped).
    pub(crate) fn start(&mut self, query: Arc<str>) -> Running {
        self.notices.clear();
        self.activity.start(query.clone());
        let audit = StatementAudit::new(
            self.engine.store().clone(),
            self.engine.node().clone(),
            self.role.name.clone(),
            self.current_role(),
            query.clone(),
        );
        Running {
            query,
            started: Instant::now(),
            _scope: StatementScope::enter(&self.state, audit),
        }
    }

    /// The statement ended with `res`: logged when slow, and its activity row updated.
    pub(crate) fn end<T>(&mut self, running: Running, res: &Result<T>) {
        let elapsed = running.started.elapsed();
        let slow = elapsed >= self.engine.slow_statement();
        if slow {
            tracing::warn!(
                pid = self.activity.pid(),
                role = %self.role.name,
                database = %self.tenant.name,
                duration_ms = elapsed.as_millis() as u64,
                ok = res.is_ok(),
                statement = %running.query,
                "slow statement"
            );
        }
        let state = match (self.txn_status(), res.is_err()) {
            (TxnStatus::Idle, _) => "idle",
            (TxnStatus::InBlock, false) => "idle in transaction",
            (TxnStatus::InBlock | TxnStatus::Failed, _) => "idle in transaction (aborted)",
        };
        self.activity.end(state, res.is_err(), slow);
    }

    /// Refuses anything but the statements that end a failed block, while the block is failed.
    pub(crate) fn check_failed_block(&self, ends_failed_block: bool) -> Result<()> {
        if self.txn_status() == TxnStatus::Failed && !ends_failed_block {
            return Err(Error::InFailedTransaction);
        }
        Ok(())
    }

    /// Runs a transaction control statement.
    pub(crate) async fn txn_command(&mut self, command: TxnCommand) -> Result<Output> {
        let command_tag = |tag| Output::Command { tag, rows: None };
        if matches!(command, TxnCommand::Commit | TxnCommand::Rollback) {
            self.cursors.clear();
        }
        let mut notice = None;
        // The state lock is released before a COMMIT waits for the store.
        let (output, to_commit) = {
            let txn = &mut self.state.write().txn;
            match command {
                TxnCommand::Begin => {
                    if txn.status() != TxnStatus::Idle {
                        notice = Some(Notice::AlreadyInTransaction);
                    }
                    txn.begin();
                    (Ok(Output::TxnStart), None)
                }
                TxnCommand::Rollback => {
                    if txn.end().0 == TxnStatus::Idle {
                        notice = Some(Notice::NoTransaction);
                    }
                    (Ok(Output::TxnEnd { tag: "ROLLBACK" }), None)
                }
                TxnCommand::Commit => match txn.end() {
                    (TxnStatus::Failed, _) => (Ok(Output::TxnEnd { tag: "ROLLBACK" }), None),
                    (status, writes) => {
                        if status == TxnStatus::Idle {
                            notice = Some(Notice::NoTransaction);
                        }
                        (Ok(Output::TxnEnd { tag: "COMMIT" }), Some(writes))
                    }
                },
                TxnCommand::Savepoint(name) => {
                    (txn.savepoint(name).map(|()| command_tag("SAVEPOINT")), None)
                }
                TxnCommand::RollbackTo(name) => (
                    txn.rollback_to(&name).map(|()| command_tag("ROLLBACK")),
                    None,
                ),
                TxnCommand::Release(name) => {
                    (txn.release(&name).map(|()| command_tag("RELEASE")), None)
                }
            }
        };
        self.notices.extend(notice);
        if let Some(writes) = to_commit.flatten() {
            self.commit_now(writes).await?;
        }
        output
    }

    /// Queues `docs` in the open transaction, or commits them at once outside one.
    pub(crate) async fn write(&mut self, table: Table, docs: Vec<PendingDoc>) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let signer = self.signer();
        let autocommit = self.state.write().txn.queue(signer, table, docs);
        match autocommit {
            Some(txn) => self.commit_now(txn).await,
            None => Ok(()),
        }
    }

    async fn commit_now(&self, writes: Writes) -> Result<()> {
        let res = commit_signed(
            self.engine.store(),
            self.engine.notifier(),
            self.tenant.id,
            writes,
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
            keys::parse_tokens(self.engine.store(), self.tenant.id, tokens, !mode.read_only)?;
        self.state.write().keys = keys;
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

    /// `name.version` of every key the session holds (never the keys).
    pub(crate) fn keys_held(&self) -> Vec<String> {
        self.state
            .read()
            .keys
            .held()
            .map(|k| k.to_string())
            .collect()
    }

    pub(crate) fn with_keys<T>(&self, f: impl FnOnce(&mut KeySet) -> T) -> T {
        f(&mut self.state.write().keys)
    }

    /// Who signs the session's writes: the open transaction's signer once it wrote, else the
    /// session's own identity, else the node's on behalf of the role (whose name then goes
    /// into the signed header).
    pub(crate) fn signer(&self) -> Signer {
        let state = self.state.read();
        if let Some(signer) = state.txn.signer() {
            return signer.clone();
        }
        match state.keys.identity() {
            Some(identity) => (identity.clone(), None),
            None => (self.engine.node().clone(), Some(self.role.name.clone())),
        }
    }

    /// A failed statement inside a block poisons the block.
    pub(crate) fn fail(&mut self, err: Error) -> Error {
        self.abort_block();
        err
    }

    /// Marks an open block failed, for errors the wire layer meets outside the session (a
    /// Bind or Describe naming an unknown statement or portal, undecodable parameters).
    pub(crate) fn abort_block(&mut self) {
        self.state.write().txn.fail();
    }

    /// Session parameters as SHOW/current_setting report them.
    pub(crate) fn setting(&self, name: &str) -> Option<String> {
        self.settings.get(name, &self.keys_held())
    }

    /// All session parameters, for `SHOW ALL`.
    pub(crate) fn all_settings(&self) -> HashMap<String, String> {
        self.settings.all(&self.keys_held())
    }

    /// Remembers a COPY FROM STDIN until its data has arrived.
    pub(crate) fn await_copy(&mut self, copy_in: Box<dyn CopyInProgress>) {
        self.copy_in = Some(copy_in);
    }

    /// One CopyData message of the COPY FROM STDIN in progress; ignored when none is.
    pub(crate) fn copy_data(&mut self, data: &[u8]) {
        if let Some(copy_in) = &mut self.copy_in {
            copy_in.push(data);
        }
    }

    /// CopyDone: writes what the COPY FROM STDIN received; the tag is `COPY n`.
    pub(crate) async fn copy_done(&mut self) -> Result<Output> {
        let res = match self.copy_in.take() {
            Some(copy_in) => copy_in.finish(self).await.map(|n_rows| Output::Command {
                tag: "COPY",
                rows: Some(n_rows),
            }),
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
}
