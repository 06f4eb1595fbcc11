//! One client connection, TCP or Unix socket: TLS negotiation (`transport.rs`), then pgwire's
//! message dispatch in our own loop, so that `LISTEN mindoo_changes` notifications reach a
//! connection while it sits idle.
//!
//! pgwire's `process_socket` writes only while it handles a client message
//! (pgwire's own loop); this loop is the same dispatch (`negotiate_tls`,
//! `process_message`, `process_error`) with a second event source, the tenant's commits.
//!
//! Invariants:
//! - Client messages are handled as `process_socket` does: Terminate, CancelRequest, FATAL
//!   errors and the extended-protocol error recovery are unchanged. Two differences: the
//!   startup timeout is the server's `--startup-timeout`, and bytes that do not decode as a
//!   message (an HTTP request, garbage) get a FATAL 08P01 before the connection closes,
//!   where pgwire closes silently; so do bytes pgwire's decoder panics on, which end only
//!   this connection.
//! - A notification is sent only between statements, when the connection is idle (its last
//!   message got ReadyForQuery) and outside a transaction block, as Postgres does; until then it
//!   waits, merged per table with the newest seq (a later `table:seq` covers an earlier one).
//! - Once its session is open, the connection re-checks the session's admission whenever the
//!   engine says access changed (DROP ROLE, REVOKE, ...), and ends with a FATAL 57P01 when the
//!   role may no longer be connected.
//! - A listener that falls behind the broadcast is resynchronised from the store (every table
//!   at its last seq), never silently left behind.
//! - After the shutdown signal a connection ends the next time it waits for the client between
//!   request cycles: at once when idle; when a statement is running, after its response and
//!   the rest of its cycle (an extended-protocol cycle up to its Sync, a COPY up to its end),
//!   so the client gets its ReadyForQuery before the FATAL 57P01.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::{FutureExt, Sink, SinkExt, StreamExt};
use pgwire::api::{ClientInfo, ErrorHandler, PgWireConnectionState, PgWireServerHandlers};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::response::{NotificationResponse, TransactionStatus};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use pgwire::tokio::TlsAcceptor;
use pgwire::tokio::server::{process_error, process_message};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;
use tokio::time::Sleep;
use tokio_util::codec::{Encoder, Framed, FramedParts};

use crate::engine::{CHANNEL, Commit, TxnStatus};
use crate::error::Error;
use crate::pg::deferred::Deferred;
use crate::pg::error::{
    admin_shutdown, fatal, idle_in_transaction_timeout, protocol_violation, scrub, to_pg_error,
};
use crate::pg::interrupt::timeout_setting;
use crate::pg::startup::opened_session;
use crate::pg::transport::{Accepted, Peer};

/// What woke the loop.
enum Event {
    Message(Option<PgWireResult<PgWireFrontendMessage>>),
    Commit(Result<Commit, RecvError>),
    StartupTimeout,
    Shutdown,
    /// Access may have been revoked; false when the engine is gone.
    Access(bool),
    /// The session sat idle inside a transaction block past its timeout.
    IdleInTransaction,
}

/// Serves one connection (TCP or Unix socket) from `peer` until the client leaves, a FATAL
/// error, an I/O error, or `shutdown` turns true.
pub(crate) async fn serve<H>(
    accepted: Accepted,
    peer: Peer,
    tls: Option<TlsAcceptor>,
    handlers: Arc<H>,
    mut shutdown: watch::Receiver<bool>,
    startup_timeout: Duration,
) -> io::Result<()>
where
    H: PgWireServerHandlers,
{
    let startup_timeout = tokio::time::sleep(startup_timeout);
    tokio::pin!(startup_timeout);
    let negotiated = tokio::select! {
        _ = &mut startup_timeout => return Ok(()),
        socket = accepted.negotiate(tls) => socket?,
    };
    // None: a direct-TLS client but no TLS configured, or a client that left.
    let Some(socket) = negotiated else {
        return Ok(());
    };
    // For startup.rs: the one account of who connected.
    socket.session_extensions().insert(peer);
    let mut socket = deferring(socket);
    let startup = handlers.startup_handler();
    let simple = handlers.simple_query_handler();
    let extended = handlers.extended_query_handler();
    let copy = handlers.copy_handler();
    let cancel = handlers.cancel_handler();
    let errors = handlers.error_handler();
    let mut inbox = Inbox::default();
    let mut access: Option<watch::Receiver<u64>> = None;
    // Inside a request cycle that has not reached its ReadyForQuery yet.
    let mut mid_cycle = false;
    // Runs while the session waits, idle inside a transaction block, for its next request.
    let mut idle_in_block: Option<Pin<Box<Sleep>>> = None;

    loop {
        let starting = matches!(
            socket.state(),
            PgWireConnectionState::AwaitingStartup
                | PgWireConnectionState::AuthenticationInProgress
        );
        let event = tokio::select! {
            _ = &mut startup_timeout, if starting => Event::StartupTimeout,
            _ = shutdown.wait_for(|stop| *stop), if !mid_cycle => Event::Shutdown,
            message = AssertUnwindSafe(socket.next()).catch_unwind() => {
                Event::Message(message.unwrap_or_else(|_| Some(Err(undecodable()))))
            }
            commit = recv(&mut inbox.receiver), if inbox.receiver.is_some() => Event::Commit(commit),
            open = changed(&mut access), if access.is_some() => Event::Access(open),
            () = expired(&mut idle_in_block), if idle_in_block.is_some() => Event::IdleInTransaction,
        };
        let message = match event {
            Event::StartupTimeout => {
                tracing::info!(%peer, "startup did not finish in time; closing the connection");
                break;
            }
            Event::Shutdown => {
                process_error(&mut socket, admin_shutdown(), false).await?;
                break;
            }
            Event::Access(false) => {
                access = None;
                continue;
            }
            Event::Access(true) => {
                let Err(err) = still_admitted(&socket).await else {
                    continue;
                };
                tracing::info!(%peer, error = %err, "ending a session that lost access");
                process_error(&mut socket, fatal(to_pg_error(&err)), false).await?;
                break;
            }
            Event::IdleInTransaction => {
                tracing::info!(%peer, "ending a session idle in a transaction past its timeout");
                process_error(&mut socket, idle_in_transaction_timeout(), false).await?;
                break;
            }
            Event::Message(None) => break,
            Event::Message(Some(Err(err))) => {
                let message = scrub(&err.to_string());
                tracing::info!(%peer, error = %message, "protocol violation; closing the connection");
                let err = fatal(protocol_violation(format!("invalid message: {message}")));
                // The peer may not speak the protocol at all (an HTTP client): a failed send
                // changes nothing, the connection closes either way.
                let _ = process_error(&mut socket, err, false).await;
                break;
            }
            Event::Commit(commit) => {
                inbox.take(commit, &socket).await;
                if inbox.can_deliver(&socket) {
                    inbox.deliver(&mut socket).await?;
                }
                continue;
            }
            Event::Message(Some(Ok(message))) => message,
        };
        // Terminate: the client is leaving and may wait for us to close the socket.
        if matches!(message, PgWireFrontendMessage::Terminate(_)) {
            break;
        }
        let copying = matches!(socket.state(), PgWireConnectionState::CopyInProgress(_));
        let copy_message = matches!(
            message,
            PgWireFrontendMessage::CopyData(_)
                | PgWireFrontendMessage::CopyDone(_)
                | PgWireFrontendMessage::CopyFail(_)
        );
        if copy_message && !copying {
            // As PostgreSQL does: a client whose COPY FROM STDIN was refused before it began
            // may still send its data and CopyDone or CopyFail; they are ignored, not errors.
            continue;
        }
        let is_extended = match socket.state() {
            PgWireConnectionState::CopyInProgress(is_extended) => is_extended,
            _ => message.is_extended_query(),
        };
        let is_cancel = matches!(message, PgWireFrontendMessage::CancelRequest(_));
        let is_sync = matches!(message, PgWireFrontendMessage::Sync(_));
        // These end a request cycle with ReadyForQuery (if nothing else is pending).
        let ends_cycle = matches!(
            message,
            PgWireFrontendMessage::Query(_)
                | PgWireFrontendMessage::Sync(_)
                | PgWireFrontendMessage::CopyDone(_)
                | PgWireFrontendMessage::CopyFail(_)
        );
        // Replies to these wait for Sync or Flush, as in Postgres (deferred.rs).
        let defer = matches!(
            message,
            PgWireFrontendMessage::Parse(_)
                | PgWireFrontendMessage::Bind(_)
                | PgWireFrontendMessage::Describe(_)
                | PgWireFrontendMessage::Execute(_)
                | PgWireFrontendMessage::Close(_)
        );
        socket.get_mut().hold(defer);
        let res = process_message(
            message,
            &mut socket,
            startup.clone(),
            simple.clone(),
            extended.clone(),
            copy.clone(),
            cancel.clone(),
        )
        .await;
        socket.get_mut().hold(false);
        // A COPY's client sends its data only after it has seen CopyInResponse.
        if defer && matches!(socket.state(), PgWireConnectionState::CopyInProgress(_)) {
            socket.flush().await?;
        }
        if let Err(mut err) = res {
            errors.on_error(&socket, &mut err);
            let is_fatal = err.is_fatal();
            process_error(&mut socket, err, is_extended).await?;
            if is_fatal {
                break;
            }
        }
        if is_cancel {
            break;
        }
        if access.is_none()
            && let Some(session) = opened_session(&socket)
        {
            let mut watch = session.lock().await.engine().access_watch();
            // Check once at once: access may have changed between the login and now.
            watch.mark_changed();
            access = Some(watch);
        }
        inbox.idle = ends_cycle && matches!(socket.state(), PgWireConnectionState::ReadyForQuery);
        mid_cycle = matches!(socket.state(), PgWireConnectionState::CopyInProgress(_))
            || (is_extended && !is_sync);
        idle_in_block = match opened_session(&socket) {
            Some(session) if inbox.idle => {
                let session = session.lock().await;
                let timeout = timeout_setting(
                    session
                        .setting("idle_in_transaction_session_timeout")
                        .as_deref(),
                );
                timeout
                    .filter(|_| session.txn_status() != TxnStatus::Idle)
                    .map(|timeout| Box::pin(tokio::time::sleep(timeout)))
            }
            _ => None,
        };
        inbox.follow(&socket).await;
        if inbox.can_deliver(&socket) {
            inbox.deliver(&mut socket).await?;
        }
    }
    Ok(())
}

/// A connection's subscription to its tenant's commits and what it has not delivered yet.
#[derive(Default)]
struct Inbox {
    /// Some while the session listens on `mindoo_changes`.
    receiver: Option<Receiver<Commit>>,
    /// Newest undelivered seq per table.
    pending: BTreeMap<String, u64>,
    /// The last client message got its ReadyForQuery and no request is half done.
    idle: bool,
}

impl Inbox {
    /// Subscribes or unsubscribes as the session's LISTEN state says.
    async fn follow<C: ClientInfo>(&mut self, client: &C) {
        let Some(session) = opened_session(client) else {
            return;
        };
        let session = session.lock().await;
        match (session.listens(), self.receiver.is_some()) {
            (true, false) => self.receiver = session.subscription(),
            (false, true) => {
                self.receiver = None;
                self.pending.clear();
            }
            _ => {}
        }
    }

    /// Files one broadcast result; after a lag, every table's current seq.
    async fn take<C: ClientInfo>(&mut self, commit: Result<Commit, RecvError>, client: &C) {
        let commits = match commit {
            Ok(commit) => vec![commit],
            Err(RecvError::Lagged(missed)) => {
                tracing::debug!(missed, "listener fell behind; resynchronising");
                let Some(session) = opened_session(client) else {
                    return;
                };
                let resynced = session.lock().await.resync();
                match resynced {
                    Ok(commits) => commits,
                    Err(err) => {
                        tracing::warn!(error = %err, "cannot resynchronise a listener");
                        Vec::new()
                    }
                }
            }
            Err(RecvError::Closed) => {
                self.receiver = None;
                Vec::new()
            }
        };
        for commit in commits {
            let seq = self.pending.entry(commit.table).or_default();
            *seq = (*seq).max(commit.seq);
        }
    }

    fn can_deliver<C: ClientInfo>(&self, client: &C) -> bool {
        self.idle
            && !self.pending.is_empty()
            && client.transaction_status() == TransactionStatus::Idle
    }

    async fn deliver<C>(&mut self, client: &mut C) -> io::Result<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin,
        C::Error: Debug,
        PgWireError: From<C::Error>,
    {
        let pending = std::mem::take(&mut self.pending);
        // A listener hears only of tables its current role may read, judged at delivery
        // (once per flush, not per commit).
        let audible = match opened_session(client) {
            Some(session) => session.lock().await.audible(pending),
            None => BTreeMap::new(),
        };
        for (table, seq) in audible {
            let commit = Commit { table, seq };
            // pid 0: the server, not a backend, notifies; clients that skip their own pid's
            // notifications must not skip these.
            let notification = NotificationResponse::new(0, CHANNEL.to_owned(), commit.payload());
            client
                .feed(PgWireBackendMessage::NotificationResponse(notification))
                .await
                .map_err(|e| io::Error::other(PgWireError::from(e).to_string()))?;
        }
        client
            .flush()
            .await
            .map_err(|e| io::Error::other(PgWireError::from(e).to_string()))
    }
}

/// Whether the connection's session may stay open; `Ok` before the session exists.
/// What a message that pgwire's decoder panicked on reads as: pgwire 0.42 trusts a Bind's
/// counts and reads past the message (found by the `wire` fuzz target), before authentication
/// too; the connection ends with 08P01 like any other undecodable input.
fn undecodable() -> PgWireError {
    PgWireError::IoError(io::Error::new(
        io::ErrorKind::InvalidData,
        "a message's contents do not fit its length",
    ))
}

/// The negotiated connection over a `Deferred` stream, keeping what was already read.
fn deferring<S, C>(socket: Framed<S, C>) -> Framed<Deferred<S>, C>
where
    S: AsyncRead + AsyncWrite,
    C: Encoder<PgWireBackendMessage>,
{
    let parts = socket.into_parts();
    let mut deferred = FramedParts::new(Deferred::new(parts.io), parts.codec);
    deferred.read_buf = parts.read_buf;
    deferred.write_buf = parts.write_buf;
    Framed::from_parts(deferred)
}

async fn still_admitted<C: ClientInfo>(client: &C) -> Result<(), Error> {
    match opened_session(client) {
        Some(session) => session.lock().await.still_admitted(),
        None => Ok(()),
    }
}

/// The next possible access change, for `select!`; false when the engine is gone.
async fn changed(access: &mut Option<watch::Receiver<u64>>) -> bool {
    match access {
        Some(access) => access.changed().await.is_ok(),
        None => std::future::pending().await,
    }
}

/// The next commit, for `select!` (only polled while subscribed).
async fn recv(receiver: &mut Option<Receiver<Commit>>) -> Result<Commit, RecvError> {
    match receiver {
        Some(receiver) => receiver.recv().await,
        None => std::future::pending().await,
    }
}

/// Waits for a timer that is set (`select!` polls this only while it is).
async fn expired(timer: &mut Option<Pin<Box<Sleep>>>) {
    match timer {
        Some(timer) => timer.as_mut().await,
        None => std::future::pending().await,
    }
}
