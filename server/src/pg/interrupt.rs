//! What ends a running statement early: a CancelRequest for its connection, or the session's
//! `statement_timeout`. Both cover the whole statement, from its start until its last row has
//! been handed to the socket, since a streamed result does its work while it is sent.
//!
//! Invariants:
//! - An interrupt answers 57014 with PostgreSQL's message and drops the statement's work
//!   (its future or its row stream); the connection stays usable.
//! - A cancel only ever reaches the statement running when it arrives: every statement
//!   installs a fresh receiver (pgwire's `ConnectionHandle::start_query`).

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use futures::channel::oneshot;
use pgwire::api::{ClientInfo, ConnectionHandle};
use pgwire::error::PgWireError;
use tokio::sync::Mutex;
use tokio::time::Sleep;

use crate::catalog::time_setting;
use crate::engine::Session;
use crate::pg::error::canceled;

/// One statement's interrupts.
pub(crate) struct Interrupt {
    /// Fires on a CancelRequest; `None` once its sender is gone (nothing can cancel).
    cancel: Option<oneshot::Receiver<()>>,
    timeout: Option<Pin<Box<Sleep>>>,
}

impl Interrupt {
    /// Starts a statement of `session` on `client`'s connection, ending it after the session's
    /// `statement_timeout` if one is set.
    pub(crate) async fn start<C: ClientInfo>(client: &C, session: &Mutex<Session>) -> Interrupt {
        let timeout = timeout_setting(session.lock().await.setting("statement_timeout").as_deref());
        let cancel = match client.session_extensions().get::<Arc<ConnectionHandle>>() {
            Some(handle) => Some(handle.start_query().await),
            None => None,
        };
        Interrupt {
            cancel,
            timeout: timeout.map(|timeout| Box::pin(tokio::time::sleep(timeout))),
        }
    }

    /// `work`'s result, unless the statement is interrupted first. The interrupts are
    /// checked before `work` is polled, so a stream that always has a row ready still stops.
    pub(crate) async fn guard<T>(
        &mut self,
        work: impl Future<Output = T>,
    ) -> Result<T, PgWireError> {
        let mut work = pin!(work);
        poll_fn(|cx| {
            if let Some(cancel) = &mut self.cancel {
                match Pin::new(cancel).poll(cx) {
                    Poll::Ready(Ok(())) => return Poll::Ready(Err(canceled(false))),
                    // The sender is gone: nothing can cancel this statement any more.
                    Poll::Ready(Err(_)) => self.cancel = None,
                    Poll::Pending => {}
                }
            }
            if let Some(timeout) = &mut self.timeout
                && timeout.as_mut().poll(cx).is_ready()
            {
                return Poll::Ready(Err(canceled(true)));
            }
            work.as_mut().poll(cx).map(Ok)
        })
        .await
    }
}

/// A timeout setting (`statement_timeout`, `idle_in_transaction_session_timeout`) as a
/// duration, read as SET stored it (`catalog/time_setting.rs`); 0 (the default) means none.
pub(crate) fn timeout_setting(setting: Option<&str>) -> Option<Duration> {
    let ms = time_setting::parse("timeout", setting?).ok()?;
    (ms > 0).then(|| Duration::from_millis(ms.unsigned_abs().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_read_as_postgres_reads_them() {
        assert_eq!(timeout_setting(Some("0")), None);
        assert_eq!(timeout_setting(None), None);
        assert_eq!(
            timeout_setting(Some("250")),
            Some(Duration::from_millis(250))
        );
        assert_eq!(timeout_setting(Some("2s")), Some(Duration::from_secs(2)));
        assert_eq!(timeout_setting(Some("1min")), Some(Duration::from_secs(60)));
        assert_eq!(timeout_setting(Some("nonsense")), None);
    }
}
