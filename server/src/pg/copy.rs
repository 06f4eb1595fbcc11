//! The COPY sub-protocol: CopyOut rows of `COPY ... TO STDOUT` as CopyData lines (text or
//! CSV, `copy_text.rs`), the CopyInResponse of `COPY ... FROM STDIN`, and pgwire's
//! `CopyHandler`, which passes CopyData, CopyDone and CopyFail to the connection's session
//! (engine/copy.rs holds the COPY in progress and reads its data).
//!
//! Invariants:
//! - One CopyData message per row (pgwire counts them for the `COPY n` tag); a CSV header
//!   travels with the first row.
//! - CopyDone answers CommandComplete `COPY n` only after the rows were written (or, inside a
//!   transaction block, queued in it); pgwire then sends ReadyForQuery (simple protocol) or
//!   waits for Sync (extended).
//! - Every failure, CopyFail included, reaches the client through `to_pg_error`, and the
//!   transaction status it leaves is the session's.

use std::fmt::Debug;

use async_trait::async_trait;
use datafusion::arrow::record_batch::RecordBatch;
use futures::{Sink, SinkExt, stream};
use pgwire::api::ClientInfo;
use pgwire::api::copy::CopyHandler;
use pgwire::api::portal::Format;
use pgwire::api::results::{CopyResponse, Response};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::copy::{CopyData, CopyDone, CopyFail};

use crate::copy_text;
use crate::output::{Column, CopyFormat};
use crate::pg::encode;
use crate::pg::error::{internal, to_pg_error};
use crate::pg::startup::session_of;
use crate::pg::status::wire_status;
use crate::pg::values::text_value;

/// Format codes of CopyOutResponse/CopyInResponse.
const TEXT_FORMAT: i8 = 0;
const BINARY_FORMAT: i8 = 1;

/// Receives COPY FROM STDIN data for the connection's session.
#[derive(Debug)]
pub(crate) struct CopyIn;

/// The CopyOut response for rows: one CopyData per row.
pub(crate) fn copy_out(
    columns: &[Column],
    batches: &[RecordBatch],
    format: &CopyFormat,
) -> PgWireResult<Response> {
    let mut lines: Vec<String> = Vec::new();
    for batch in batches {
        for row in 0..batch.num_rows() {
            let fields = batch
                .columns()
                .iter()
                .zip(columns)
                .map(|(array, column)| text_value(array.as_ref(), row, column.pg_type))
                .collect::<PgWireResult<Vec<_>>>()?;
            lines.push(copy_text::line(&fields, format));
        }
    }
    if format.header {
        let names: Vec<Option<String>> = columns.iter().map(|c| Some(c.name.clone())).collect();
        let header = copy_text::line(&names, format);
        match lines.first_mut() {
            Some(first) => first.insert_str(0, &header),
            None => lines.push(header),
        }
    }
    let data = lines
        .into_iter()
        .map(|line| Ok(CopyData::new(line.into_bytes().into())));
    Ok(Response::CopyOut(CopyResponse::new(
        TEXT_FORMAT,
        columns.len(),
        stream::iter(data.collect::<Vec<_>>()),
    )))
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
