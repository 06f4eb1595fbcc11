//! The COPY sub-protocol: CopyOut rows of `COPY ... TO STDOUT` as CopyData lines (text or
//! CSV, `copy_text.rs`), the CopyInResponse of `COPY ... FROM STDIN`, and pgwire's
//! `CopyHandler`, which passes CopyData, CopyDone and CopyFail to the connection's session
//! (engine/copy.rs holds the COPY in progress and reads its data).
//!
//! Invariants:
//! - One CopyData message per row, sent as the row arrives, and a CSV header in its own
//!   message before them, as PostgreSQL sends it; `COPY n` counts the rows.
//! - CopyDone answers CommandComplete `COPY n` only after the rows were written (or, inside a
//!   transaction block, queued in it); pgwire then sends ReadyForQuery (simple protocol) or
//!   waits for Sync (extended).
//! - Every failure, CopyFail included, reaches the client through `to_pg_error`, and the
//!   transaction status it leaves is the session's.

use std::fmt::Debug;

use async_trait::async_trait;
use futures::{Sink, SinkExt, StreamExt, stream};
use pgwire::api::ClientInfo;
use pgwire::api::copy::CopyHandler;
use pgwire::api::portal::Format;
use pgwire::api::results::{CopyResponse, Response, Tag};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::copy::{CopyData, CopyDone, CopyFail, CopyOutResponse};

use crate::copy_text;
use crate::output::{Batches, Column, CopyFormat};
use crate::pg::encode;
use crate::pg::error::{internal, to_pg_error};
use crate::pg::interrupt::Interrupt;
use crate::pg::startup::session_of;
use crate::pg::status::wire_status;
use crate::pg::values::text_value;

/// Format codes of CopyOutResponse/CopyInResponse.
const TEXT_FORMAT: i8 = 0;
const BINARY_FORMAT: i8 = 1;

/// Receives COPY FROM STDIN data for the connection's session.
#[derive(Debug)]
pub(crate) struct CopyIn;

/// Sends `COPY ... TO STDOUT` as its rows arrive: CopyOutResponse, the header line (CSV
/// `HEADER`), one CopyData per row, CopyDone and CommandComplete `COPY n`.
pub(crate) async fn send_out<C>(
    client: &mut C,
    columns: &[Column],
    mut batches: Batches,
    format: &CopyFormat,
    interrupt: &mut Interrupt,
) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let formats = vec![i16::from(TEXT_FORMAT); columns.len()];
    client
        .feed(PgWireBackendMessage::CopyOutResponse(CopyOutResponse::new(
            TEXT_FORMAT,
            columns.len() as i16,
            formats,
        )))
        .await?;
    if format.header {
        let names: Vec<Option<String>> = columns.iter().map(|c| Some(c.name.clone())).collect();
        let header = copy_text::line(&names, format);
        client
            .feed(PgWireBackendMessage::CopyData(CopyData::new(
                header.into_bytes().into(),
            )))
            .await?;
    }
    let mut sent = 0;
    while let Some(batch) = interrupt.guard(batches.next()).await? {
        let batch = batch.map_err(|err| to_pg_error(&err))?;
        for row in 0..batch.num_rows() {
            let fields = batch
                .columns()
                .iter()
                .zip(columns)
                .map(|(array, column)| text_value(array.as_ref(), row, column.pg_type))
                .collect::<PgWireResult<Vec<_>>>()?;
            let line = copy_text::line(&fields, format);
            client
                .feed(PgWireBackendMessage::CopyData(CopyData::new(
                    line.into_bytes().into(),
                )))
                .await?;
            sent += 1;
        }
    }
    client
        .feed(PgWireBackendMessage::CopyDone(CopyDone::new()))
        .await?;
    let tag = Tag::new("COPY").with_rows(sent);
    client
        .feed(PgWireBackendMessage::CommandComplete(tag.into()))
        .await?;
    Ok(())
}

/// The CopyIn response that asks the client for `n_columns`-wide rows.
pub(crate) fn copy_in(n_columns: usize, binary: bool) -> Response {
    let format = if binary { BINARY_FORMAT } else { TEXT_FORMAT };
    Response::CopyIn(CopyResponse::new(format, n_columns, stream::empty()))
}

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
        let res = session.copy_done().await;
        // pgwire turns this status into ReadyForQuery's (an open block stays open, or becomes
        // E after an error).
        client.set_transaction_status(wire_status(session.txn_status()));
        let output = res.map_err(|err| to_pg_error(&err))?;
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
        let session = match session_of(client) {
            Ok(session) => session,
            Err(err) => return err,
        };
        let mut session = session.lock().await;
        let err = session.copy_fail(&fail.message);
        client.set_transaction_status(wire_status(session.txn_status()));
        to_pg_error(&err)
    }
}
