//! The transaction status pgwire reports in ReadyForQuery, kept equal to the session's.
//!
//! Invariants:
//! - The session (`TxnStatus`) is the one truth; pgwire's per-client status is set from it
//!   before every Query and Execute and after every failed or finished wire step.
//! - Any error inside a transaction block aborts the block, whichever wire step raised it
//!   (Query, Parse, Bind, Describe, Execute, a cancel), as in Postgres.

use pgwire::api::ClientInfo;
use pgwire::error::PgWireResult;
use pgwire::messages::response::TransactionStatus;

use crate::engine::TxnStatus;
use crate::pg::startup::session_of;

/// The ReadyForQuery status for a session's transaction state.
pub(crate) fn wire_status(status: TxnStatus) -> TransactionStatus {
    match status {
        TxnStatus::Idle => TransactionStatus::Idle,
        TxnStatus::InBlock => TransactionStatus::Transaction,
        TxnStatus::Failed => TransactionStatus::Error,
    }
}

/// Sets the status pgwire starts its bookkeeping of one Query or Execute from. A failed block
/// counts as open: pgwire never moves from E back to T, yet a statement that succeeds there
/// (ROLLBACK TO SAVEPOINT) reopens the block, and one that fails reports the failure itself.
pub(crate) async fn start<C: ClientInfo>(client: &mut C) -> PgWireResult<()> {
    let session = session_of(client)?;
    let status = match session.lock().await.txn_status() {
        TxnStatus::Idle => TransactionStatus::Idle,
        TxnStatus::InBlock | TxnStatus::Failed => TransactionStatus::Transaction,
    };
    client.set_transaction_status(status);
    Ok(())
}

/// After a wire step: an error aborts an open block, and the client reports the session's
/// status from now on.
pub(crate) async fn settle<C: ClientInfo>(
    client: &mut C,
    res: PgWireResult<()>,
) -> PgWireResult<()> {
    let session = session_of(client)?;
    let mut session = session.lock().await;
    if res.is_err() {
        session.abort_block();
    }
    client.set_transaction_status(wire_status(session.txn_status()));
    res
}
