//! Simple Query protocol: start here. One `Query` message, possibly several statements, runs
//! through the connection's `Session` and comes back as one `Response` per statement.
//!
//! Invariants:
//! - `do_query` only decodes, calls `Session::simple` and encodes; no SQL is inspected here.
//! - Statements after a failed one are not run; the failure is the last response.
//! - ReadyForQuery's status follows the session (`status.rs`): BEGIN/COMMIT/ROLLBACK travel
//!   as TransactionStart/TransactionEnd, and a lone failed statement reports the session's own
//!   status (a failed COMMIT ends the block).

use std::fmt::Debug;

use async_trait::async_trait;
use futures::Sink;
use pgwire::api::portal::Format;
use pgwire::api::query::SimpleQueryHandler;
use pgwire::api::results::Response;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::simplequery::Query;

use crate::output::Output;
use crate::pg::encode;
use crate::pg::error::{to_error_info, to_pg_error};
use crate::pg::startup::session_of;
use crate::pg::status::{self, wire_status};

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
        status::start(client).await?;
        let res = self._on_query(client, query).await;
        status::settle(client, res).await
    }

    async fn do_query<C>(&self, client: &mut C, query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let session = session_of(client)?;
        let mut session = session.lock().await;
        let mut outputs = session.simple(query).await;
        if outputs.is_empty() {
            // Only comments: Postgres answers EmptyQueryResponse.
            return Ok(vec![Response::EmptyQuery]);
        }
        // pgwire derives ReadyForQuery from the responses (an error turns T into E and
        // leaves I), starting from the status `status::start` set; when do_query fails it
        // uses the client's status, which `status::settle` sets to the session's. A lone
        // failure whose derived status is the session's own travels as a response, so the
        // error and ReadyForQuery leave in one write as from Postgres (node-pg reads the
        // status before it rejects the query); otherwise (a failed COMMIT ends the block)
        // do_query fails.
        if let [Err(_)] = outputs.as_slice()
            && let Some(Err(err)) = outputs.pop()
        {
            if client.transaction_status().to_error_state() == wire_status(session.txn_status()) {
                return Ok(vec![Response::Error(to_error_info(&err))]);
            }
            return Err(to_pg_error(&err));
        }
        for output in outputs.iter().flatten() {
            forget_deallocated(client, output);
        }
        outputs
            .into_iter()
            .map(|res| match res {
                Ok(output) => encode::response(output, &Format::UnifiedText),
                Err(err) => Ok(Response::Error(to_error_info(&err))),
            })
            .collect()
    }
}
