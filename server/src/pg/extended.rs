//! Extended Query protocol: Parse prepares through the session, Describe reports the
//! prepared types, Bind decodes parameters, Execute runs and encodes.
//!
//! Invariants:
//! - A statement is prepared once, at Parse, by `Session::prepare`; Describe S reports its
//!   `param_types` (never OID 0) and `columns` (none = NoData).
//! - Result formats are the portal's, per column, as the client asked at Bind.
//! - A portal's statement runs once; its rows stream to the client, up to each Execute's row
//!   limit, and a suspended portal keeps its stream (never its rows) until the next Execute.
//! - An error leaves the connection usable: pgwire discards messages until Sync.
//! - An error in any step (Parse, Bind, Describe, Execute) inside a transaction block aborts the
//!   block, as in Postgres; after every step the client's transaction status (ReadyForQuery at
//!   Sync) is the session's.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use pgwire::api::copy::send_copy_in_response;
use pgwire::api::portal::{Format, Portal, PortalExecutionState};
use pgwire::api::query::ExtendedQueryHandler;
use pgwire::api::results::{
    DescribePortalResponse, DescribeStatementResponse, FieldInfo, Response, Tag,
};
use pgwire::api::stmt::{QueryParser, StoredStatement};
use pgwire::api::store::{Entry, PortalStore};
use pgwire::api::{ClientInfo, ClientPortalStore, DEFAULT_NAME, PgWireConnectionState, Type};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::data::{NoData, ParameterDescription};
use pgwire::messages::extendedquery::{
    Bind, BindComplete, Describe, Execute, TARGET_TYPE_BYTE_PORTAL, TARGET_TYPE_BYTE_STATEMENT,
};
use pgwire::messages::response::EmptyQueryResponse;
use tokio::sync::Mutex;

use crate::engine::{Prepared, Session};
use crate::notice::Notice;
use crate::output::{Output, PgType};
use crate::pg::error::{internal, protocol_violation, to_pg_error};
use crate::pg::interrupt::Interrupt;
use crate::pg::simple::forget_deallocated;
use crate::pg::startup::session_of;
use crate::pg::status::{self, settle};
use crate::pg::{copy, decode, encode, notice, send};

/// Runs Parse/Bind/Describe/Execute.
#[derive(Debug)]
pub(crate) struct ExtendedQueries {
    parser: Arc<Parser>,
}

/// Prepares statements through the connection's session.
#[derive(Debug)]
pub(crate) struct Parser;

impl ExtendedQueries {
    /// The handler.
    pub(crate) fn new() -> ExtendedQueries {
        ExtendedQueries {
            parser: Arc::new(Parser),
        }
    }
}

#[async_trait]
impl QueryParser for Parser {
    type Statement = Arc<Prepared>;

    async fn parse_sql<C>(
        &self,
        client: &C,
        sql: &str,
        types: &[Option<Type>],
    ) -> PgWireResult<Option<Self::Statement>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        // Declared OIDs we do not know (and 0, "unspecified") leave the type to the engine.
        let declared: Vec<Option<PgType>> = types
            .iter()
            .map(|t| t.as_ref().and_then(|t| PgType::from_oid(t.oid())))
            .collect();
        let session = session_of(client)?;
        let mut session = session.lock().await;
        match session.prepare(sql, &declared).await {
            Ok(prepared) => Ok(Some(Arc::new(prepared))),
            Err(err) => Err(to_pg_error(&err)),
        }
    }

    fn get_parameter_types(&self, stmt: &Self::Statement) -> PgWireResult<Vec<Type>> {
        stmt.param_types
            .iter()
            .map(|t| encode::wire_type(*t))
            .collect()
    }

    fn get_result_schema(
        &self,
        stmt: &Self::Statement,
        column_format: Option<&Format>,
    ) -> PgWireResult<Vec<FieldInfo>> {
        encode::fields(&stmt.columns, column_format.unwrap_or(&Format::UnifiedText))
    }
}

#[async_trait]
impl ExtendedQueryHandler for ExtendedQueries {
    type Statement = Arc<Prepared>;
    type QueryParser = Parser;

    fn query_parser(&self) -> Arc<Self::QueryParser> {
        self.parser.clone()
    }

    async fn on_bind<C>(&self, client: &mut C, message: Bind) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // pgwire's own Bind, whose errors must also reach the session.
        let res = bind(client, &message).await;
        settle(client, res).await
    }

    async fn on_describe<C>(&self, client: &mut C, message: Describe) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let res = self.describe(client, message).await;
        settle(client, res).await
    }

    async fn on_execute<C>(&self, client: &mut C, message: Execute) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        status::start(client).await?;
        let res = execute(client, message).await;
        if !matches!(client.state(), PgWireConnectionState::CopyInProgress(_)) {
            client.set_state(PgWireConnectionState::ReadyForQuery);
        }
        settle(client, res).await
    }

    async fn do_describe_statement<C>(
        &self,
        _client: &mut C,
        target: &StoredStatement<Self::Statement>,
    ) -> PgWireResult<DescribeStatementResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // The types the client declared at Parse, as Postgres echoes them (pgjdbc refuses a
        // varchar parameter described as text); the engine's types for the rest. Decoding
        // at Bind reads the declared type for binary values, so both agree.
        let prepared = &target.statement;
        let ours = self.parser.get_parameter_types(prepared)?;
        let types = ours
            .into_iter()
            .enumerate()
            .map(
                |(idx, engine_type)| match target.parameter_types.get(idx).cloned().flatten() {
                    Some(declared) if declared.oid() != 0 => declared,
                    _ => engine_type,
                },
            )
            .collect();
        Ok(DescribeStatementResponse::new(
            types,
            self.parser.get_result_schema(prepared, None)?,
        ))
    }

    async fn do_describe_portal<C>(
        &self,
        _client: &mut C,
        portal: &Portal<Self::Statement>,
    ) -> PgWireResult<DescribePortalResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let prepared = &portal.statement.statement;
        Ok(DescribePortalResponse::new(self.parser.get_result_schema(
            prepared,
            Some(&portal.result_column_format),
        )?))
    }

    async fn do_query<C>(
        &self,
        _client: &mut C,
        _portal: &Portal<Self::Statement>,
        _max_rows: usize,
    ) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // pgwire calls this only from its own `on_execute`, which ours replaces: it keeps a
        // suspended portal's rows in memory and cannot interrupt a stream.
        Err(internal("Execute runs through on_execute".into()))
    }
}

impl ExtendedQueries {
    /// pgwire's Describe, except for a statement that has parameters but no result columns:
    /// pgwire answers it with an empty RowDescription; Postgres sends NoData, and pgjdbc
    /// counts batch updates as 0 rows after an empty RowDescription.
    async fn describe<C>(&self, client: &mut C, message: Describe) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Arc<Prepared>>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // A SQL cursor is a portal too, as in Postgres: psycopg describes its named cursors.
        if message.target_type == TARGET_TYPE_BYTE_PORTAL {
            let name = message.name.as_deref().unwrap_or(DEFAULT_NAME);
            if client.portal_store().get_portal(name).is_none() {
                let session = session_of(client)?;
                let columns = session.lock().await.cursors().columns(name);
                if let Some(columns) = columns {
                    let fields = encode::fields(&columns, &Format::UnifiedText)?;
                    let message = if fields.is_empty() {
                        PgWireBackendMessage::NoData(NoData::new())
                    } else {
                        encode::row_description(&fields)
                    };
                    client.send(message).await?;
                    return Ok(());
                }
            }
        }
        if message.target_type == TARGET_TYPE_BYTE_STATEMENT {
            let name = message.name.as_deref().unwrap_or(DEFAULT_NAME);
            if let Some(Entry::Value(stmt)) = client.portal_store().get_statement(name)
                && stmt.statement.columns.is_empty()
            {
                let response = self.do_describe_statement(client, &stmt).await?;
                let oids = response.parameters.iter().map(Type::oid).collect();
                client
                    .send(PgWireBackendMessage::ParameterDescription(
                        ParameterDescription::new(oids),
                    ))
                    .await?;
                client
                    .send(PgWireBackendMessage::NoData(NoData::new()))
                    .await?;
                return Ok(());
            }
        }
        self._on_describe(client, message).await
    }
}

/// Execute: runs the portal's statement the first time, then sends up to `max_rows` of its rows
/// (all when 0) as they are produced; a portal with rows left is suspended with its stream, so
/// the next Execute resumes it without running the statement again.
async fn execute<C>(client: &mut C, message: Execute) -> PgWireResult<()>
where
    C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
    C::PortalStore: PortalStore<Statement = Arc<Prepared>>,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
        return Err(PgWireError::NotReadyForQuery);
    }
    client.set_state(PgWireConnectionState::QueryInProgress);
    let name = message.name.as_deref().unwrap_or(DEFAULT_NAME);
    let portal = match client.portal_store().get_portal(name) {
        Some(Entry::Value(portal)) => portal,
        Some(Entry::Empty) => {
            client
                .feed(PgWireBackendMessage::EmptyQueryResponse(
                    EmptyQueryResponse::new(),
                ))
                .await?;
            return Ok(());
        }
        None => return Err(PgWireError::PortalNotFound(name.to_owned())),
    };
    let max_rows = usize::try_from(message.max_rows).unwrap_or(0);
    let session = session_of(client)?;
    let mut interrupt = Interrupt::start(client, &session).await;
    let state = portal.state();
    let mut state = state.lock().await;
    if matches!(*state, PortalExecutionState::Initial) {
        let (ran, notices) = interrupt.guard(run(&session, &portal)).await?;
        notice::send(client, notices).await?;
        let output = ran?;
        forget_deallocated(client, &output);
        let response = match output {
            Output::CopyOut {
                columns,
                batches,
                format,
            } => {
                *state = PortalExecutionState::Finished;
                return copy::send_out(client, &columns, batches, &format, &mut interrupt).await;
            }
            output => encode::response(output, &portal.result_column_format)?,
        };
        match response {
            Response::Query(rows) => *state = PortalExecutionState::Suspended(rows),
            Response::Execution(tag) | Response::TransactionStart(tag) => {
                *state = PortalExecutionState::Finished;
                return feed(client, PgWireBackendMessage::CommandComplete(tag.into())).await;
            }
            Response::TransactionEnd(tag) => {
                *state = PortalExecutionState::Finished;
                // The unnamed portal ends with the transaction.
                client.portal_store().rm_portal(DEFAULT_NAME);
                return feed(client, PgWireBackendMessage::CommandComplete(tag.into())).await;
            }
            Response::CopyIn(copy_in) => {
                *state = PortalExecutionState::Finished;
                client.set_state(PgWireConnectionState::CopyInProgress(true));
                return send_copy_in_response(client, copy_in).await;
            }
            _ => return Err(internal("a statement answered no Execute reply".into())),
        }
    }
    match &mut *state {
        PortalExecutionState::Suspended(rows) => {
            let more = send::rows(client, rows, max_rows, &mut interrupt).await;
            if !matches!(more, Ok(true)) {
                *state = PortalExecutionState::Finished;
            }
            more.map(|_| ())
        }
        // A portal run to its end answers again with no rows, as in Postgres.
        _ => {
            let tag = Tag::new("SELECT").with_rows(0);
            feed(client, PgWireBackendMessage::CommandComplete(tag.into())).await
        }
    }
}

/// Runs a portal's statement with its parameters; its output, and the notices it raised.
async fn run(
    session: &Mutex<Session>,
    portal: &Portal<Arc<Prepared>>,
) -> (PgWireResult<Output>, Vec<Notice>) {
    let prepared = &portal.statement.statement;
    let params = match decode::params(
        &prepared.param_types,
        &portal.statement.parameter_types,
        &portal.parameter_format,
        portal.parameters.as_slice(),
    ) {
        Ok(params) => params,
        Err(err) => return (Err(err), Vec::new()),
    };
    let mut session = session.lock().await;
    let res = session.execute(prepared, params).await;
    (res.map_err(|err| to_pg_error(&err)), session.take_notices())
}

async fn feed<C>(client: &mut C, message: PgWireBackendMessage) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    client.feed(message).await?;
    Ok(())
}

/// pgwire's default Bind: the portal for a stored statement (or an empty one).
async fn bind<C, S>(client: &mut C, message: &Bind) -> PgWireResult<()>
where
    C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
    C::PortalStore: PortalStore<Statement = S>,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    S: Clone + Send + Sync + 'static,
{
    let statement_name = message.statement_name.as_deref().unwrap_or(DEFAULT_NAME);
    let portal_name = message.portal_name.as_deref().unwrap_or(DEFAULT_NAME);
    match client.portal_store().get_statement(statement_name) {
        Some(Entry::Value(statement)) => {
            let portal = Portal::try_new(message, statement)?;
            client.portal_store().put_portal(Arc::new(portal));
        }
        Some(Entry::Empty) if message.parameters.is_empty() => {
            client.portal_store().put_empty_portal(portal_name);
        }
        Some(Entry::Empty) => {
            return Err(protocol_violation(format!(
                "bind message supplies {} parameters, but the prepared statement requires 0",
                message.parameters.len()
            )));
        }
        None => return Err(PgWireError::StatementNotFound(statement_name.to_owned())),
    }
    client
        .send(PgWireBackendMessage::BindComplete(BindComplete::new()))
        .await?;
    Ok(())
}
