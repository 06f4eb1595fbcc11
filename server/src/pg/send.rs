//! Sending a statement's rows to the client as they are produced, up to a portal's row limit,
//! under the statement's `Interrupt` (COPY TO's rows: `copy.rs`).
//!
//! Invariants:
//! - Rows are fed to the socket one at a time and flushed by the connection's buffer
//!   (`deferred.rs`) as it fills: a client that reads slowly holds the statement back (TCP
//!   backpressure) instead of making the server buffer its result.
//! - A row stream that fails ends with the error returned, after the rows already sent (as
//!   from PostgreSQL).
//! - The command tag counts the rows this call sent, except `SHOW`'s, which PostgreSQL sends
//!   bare.

use std::fmt::Debug;

use futures::{Sink, SinkExt, StreamExt};
use pgwire::api::results::{QueryResponse, Tag};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::extendedquery::PortalSuspended;

use crate::pg::interrupt::Interrupt;

/// Sends up to `max_rows` rows of `rows` (0: all of them), then CommandComplete, or
/// PortalSuspended when rows remain; returns whether they do.
pub(crate) async fn rows<C>(
    client: &mut C,
    rows: &mut QueryResponse,
    max_rows: usize,
    interrupt: &mut Interrupt,
) -> PgWireResult<bool>
where
    C: Sink<PgWireBackendMessage> + Unpin,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let tag = rows.command_tag().to_owned();
    let data_rows = rows.data_rows();
    let mut sent = 0;
    while max_rows == 0 || sent < max_rows {
        let Some(row) = interrupt.guard(data_rows.next()).await? else {
            let tag = complete(&tag, sent);
            client
                .feed(PgWireBackendMessage::CommandComplete(tag.into()))
                .await?;
            return Ok(false);
        };
        client.feed(PgWireBackendMessage::DataRow(row?)).await?;
        sent += 1;
    }
    client
        .feed(PgWireBackendMessage::PortalSuspended(PortalSuspended::new()))
        .await?;
    Ok(true)
}

/// The CommandComplete tag of a statement tagged `tag` that sent `sent` rows.
fn complete(tag: &str, sent: usize) -> Tag {
    if tag == "SHOW" {
        Tag::new(tag)
    } else {
        Tag::new(tag).with_rows(sent)
    }
}
