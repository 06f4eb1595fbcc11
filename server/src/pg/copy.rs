//! The COPY sub-protocol: CopyData, CopyDone and CopyFail of a `COPY ... FROM STDIN`, passed to
//! the connection's session (engine/copy.rs holds the state and the format).
//!
//! Invariants:
//! - CopyDone answers CommandComplete `COPY n` only after the import committed; pgwire then
//!   sends ReadyForQuery (simple protocol) or waits for Sync (extended).
//! - Every failure, CopyFail included, reaches the client through `to_pg_error`.

use std::fmt::Debug;

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use pgwire::api::ClientInfo;
use pgwire::api::copy::CopyHandler;
use pgwire::api::portal::Format;
use pgwire::api::results::Response;
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::copy::{CopyData, CopyDone, CopyFail};

use crate::pg::encode;
use crate::pg::error::{internal, to_pg_error};
use crate::pg::startup::session_of;
use crate::pg::status::wire_status;

/// Receives COPY FROM STDIN data.
#[derive(Debug)]
pub(crate) struct CopyIn;

#[async_trait]
impl CopyHandler for CopyIn {
    async fn on_copy_data<C>(&self, client: &mut C, copy_data: CopyData) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = session_of(client)?;
        session.lock().await.copy_data(&copy_data.data);
        Ok(())
    }

    async fn on_copy_done<C>(&self, client: &mut C, _done: CopyDone) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = session_of(client)?;
        let mut session = session.lock().await;
        let output = match session.copy_done().await {
            Ok(output) => output,
            Err(err) => {
                client.set_transaction_status(wire_status(session.txn_status()));
                return Err(to_pg_error(&err));
            }
        };
        match encode::response(output, &Format::UnifiedText)? {
            Response::Execution(tag) => {
                client
                    .send(PgWireBackendMessage::CommandComplete(tag.into()))
                    .await?;
                Ok(())
            }
            _ => Err(internal("COPY ended with rows".to_owned())),
        }
    }

    async fn on_copy_fail<C>(&self, client: &mut C, fail: CopyFail) -> PgWireError
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match session_of(client) {
            Ok(session) => to_pg_error(&session.lock().await.copy_fail(&fail.message)),
            Err(err) => err,
        }
    }
}
