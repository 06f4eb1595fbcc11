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

use crate::pg::encode;
use crate::pg::error::{to_error_info, to_pg_error};
use crate::pg::startup::session_of;
use crate::pg::status;

/// Runs Simple Query messages.
#[derive(Debug)]
pub(crate) struct SimpleQueries;

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
        // pgwire derives ReadyForQuery from the responses, except when do_query fails: then
        // it uses the client's status, which `status::settle` sets. A lone failure takes that
        // path so that the status is the session's own (after a failed COMMIT the block is
        // over, not aborted).
        if let [Err(_)] = outputs.as_slice()
            && let Some(Err(err)) = outputs.pop()
        {
            return Err(to_pg_error(&err));
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
