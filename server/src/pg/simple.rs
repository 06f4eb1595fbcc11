//! Simple Query protocol: start here. One `Query` message, possibly several statements, runs
//! through the connection's `Session` one statement at a time: each statement's reply (its
//! rows as they are produced) reaches the client before the next statement starts.
//!
//! Invariants:
//! - Only decoding, `Session::parse_simple`/`run_simple` and encoding here; no SQL is
//!   inspected.
//! - Statements after a failed one are not run; the failure is the last reply.
//! - Every statement runs under its own `Interrupt` (cancel, `statement_timeout`), which covers
//!   sending its rows too.
//! - ReadyForQuery reports the session's transaction status (`status.rs`), and leaves in one
//!   write with the replies before it (node-pg reads the status before it rejects a query).

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use pgwire::api::copy::send_copy_in_response;
use pgwire::api::portal::Format;
use pgwire::api::query::{SimpleQueryHandler, send_ready_for_query};
use pgwire::api::results::Response;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireConnectionState};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::response::EmptyQueryResponse;
use pgwire::messages::simplequery::Query;
use tokio::sync::Mutex;

use crate::engine::{Parsed, Session};
use crate::output::Output;
use crate::pg::error::{internal, to_error_info};
use crate::pg::interrupt::Interrupt;
use crate::pg::startup::session_of;
use crate::pg::status::wire_status;
use crate::pg::{copy, encode, notice, send};

/// Runs Simple Query messages.
#[derive(Debug)]
pub(crate) struct SimpleQueries;

/// `DEALLOCATE name` drops the statement from the connection's store. (pgwire's store cannot
/// list statements, so `DEALLOCATE ALL` leaves them to be replaced by name or dropped with the
/// connection.)
pub(crate) fn forget_deallocated<C>(client: &C, output: &Output)
where
    C: ClientPortalStore,
    C::PortalStore: PortalStore,
{
    if let Output::Deallocate { name: Some(name) } = output {
        client.portal_store().rm_statement(name);
    }
}

#[async_trait]
impl SimpleQueryHandler for SimpleQueries {
    async fn on_query<C>(&self, client: &mut C, query: Query) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
            return Err(PgWireError::NotReadyForQuery);
        }
        client.set_state(PgWireConnectionState::QueryInProgress);
        let session = session_of(client)?;
        let parsed = session.lock().await.parse_simple(&query.query);
        match parsed {
            // Only comments: Postgres answers EmptyQueryResponse.
            Ok(statements) if statements.is_empty() => {
                client
                    .feed(PgWireBackendMessage::EmptyQueryResponse(
                        EmptyQueryResponse::new(),
                    ))
                    .await?;
            }
            Ok(statements) => {
                for statement in statements {
                    if !run_one(client, &session, statement).await? {
                        break;
                    }
                }
            }
            Err(err) => {
                client
                    .feed(PgWireBackendMessage::ErrorResponse(
                        (*to_error_info(&err)).into(),
                    ))
                    .await?;
            }
        }
        // A COPY FROM STDIN now waits for its data; CopyDone or CopyFail ends the cycle.
        if !matches!(client.state(), PgWireConnectionState::CopyInProgress(_)) {
            let status = wire_status(session.lock().await.txn_status());
            client.set_state(PgWireConnectionState::ReadyForQuery);
            client.set_transaction_status(status);
            send_ready_for_query(client, status).await?;
        }
        Ok(())
    }

    async fn do_query<C>(&self, _client: &mut C, _query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // pgwire calls this only from its own `on_query`, which ours replaces: collecting every
        // statement's replies before sending any cannot stream.
        Err(internal("the simple protocol runs through on_query".into()))
    }
}

/// Runs one statement and sends its reply; false when it failed, so the rest do not run.
async fn run_one<C>(
    client: &mut C,
    session: &Arc<Mutex<Session>>,
    statement: Parsed,
) -> PgWireResult<bool>
where
    C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
    C::PortalStore: PortalStore,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let mut interrupt = Interrupt::start(client, session).await;
    let ran = interrupt
        .guard(async {
            let mut session = session.lock().await;
            let ran = session.run_simple(statement).await;
            (ran, session.take_notices())
        })
        .await;
    let ran = match ran {
        Ok((ran, notices)) => {
            notice::send(client, notices).await?;
            ran
        }
        Err(interrupted) => return failed(client, session, interrupted).await,
    };
    let output = match ran {
        Ok(output) => output,
        Err(err) => {
            client
                .feed(PgWireBackendMessage::ErrorResponse(
                    (*to_error_info(&err)).into(),
                ))
                .await?;
            return Ok(false);
        }
    };
    forget_deallocated(client, &output);
    let sent = match output {
        Output::CopyOut {
            columns,
            batches,
            format,
        } => copy::send_out(client, &columns, batches, &format, &mut interrupt).await,
        output => match encode::response(output, &Format::UnifiedText)? {
            Response::Query(mut rows) => {
                client
                    .feed(encode::row_description(&rows.row_schema()))
                    .await?;
                send::rows(client, &mut rows, 0, &mut interrupt)
                    .await
                    .map(|_| ())
            }
            Response::Execution(tag)
            | Response::TransactionStart(tag)
            | Response::TransactionEnd(tag) => client
                .feed(PgWireBackendMessage::CommandComplete(tag.into()))
                .await
                .map_err(PgWireError::from),
            Response::CopyIn(copy_in) => {
                send_copy_in_response(client, copy_in).await?;
                client.set_state(PgWireConnectionState::CopyInProgress(false));
                Ok(())
            }
            _ => Err(internal(
                "a statement answered no simple-protocol reply".into(),
            )),
        },
    };
    match sent {
        Ok(()) => Ok(true),
        Err(err @ PgWireError::IoError(_)) => Err(err),
        Err(err) => failed(client, session, err).await,
    }
}

/// A statement failed after it started answering (its rows, an interrupt): the block fails
/// and the error is its last reply.
async fn failed<C>(
    client: &mut C,
    session: &Arc<Mutex<Session>>,
    err: PgWireError,
) -> PgWireResult<bool>
where
    C: Sink<PgWireBackendMessage> + Unpin,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    session.lock().await.abort_block();
    client
        .feed(PgWireBackendMessage::ErrorResponse(
            ErrorInfo::from(err).into(),
        ))
        .await?;
    Ok(false)
}
