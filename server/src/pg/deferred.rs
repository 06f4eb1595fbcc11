//! The connection's byte stream, which lets replies wait for the client's Sync or Flush.
//!
//! Postgres answers Parse, Bind, Describe, Execute and Close into its output buffer and writes
//! it out at Sync or Flush, so a prepared statement's round trip is one write and one segment.
//! pgwire flushes after each of those replies; `connection.rs` holds flushing back while it
//! handles one of those messages, so the replies leave together with the ReadyForQuery.
//!
//! Invariants:
//! - Only flushing is held back, never order: bytes leave in the order they were written, at
//!   the latest with the next flush that is not held.
//! - The buffer is bounded: a reply larger than it is written out as it grows (a big result
//!   streams), and only its tail waits.
//! - While not held this is a plain buffered stream whose every flush reaches the socket.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, BufWriter, ReadBuf};

/// Bytes of replies that may wait for a flush.
const CAPACITY: usize = 64 * 1024;

/// A stream whose flushes can be held back.
pub(crate) struct Deferred<S> {
    inner: BufWriter<S>,
    hold: bool,
}

impl<S: AsyncRead + AsyncWrite> Deferred<S> {
    pub(crate) fn new(io: S) -> Deferred<S> {
        Deferred {
            inner: BufWriter::with_capacity(CAPACITY, io),
            hold: false,
        }
    }

    /// While on, a flush only keeps the bytes buffered.
    pub(crate) fn hold(&mut self, on: bool) {
        self.hold = on;
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Deferred<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Deferred<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.hold {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    use super::*;

    #[tokio::test]
    async fn held_bytes_leave_in_order_with_the_next_flush() {
        let (ours, mut peer) = duplex(1 << 20);
        let mut stream = Deferred::new(ours);
        stream.hold(true);
        stream.write_all(b"bind ").await.unwrap();
        stream.flush().await.unwrap();
        stream.write_all(b"execute ").await.unwrap();
        stream.flush().await.unwrap();
        stream.hold(false);
        stream.write_all(b"ready").await.unwrap();
        stream.flush().await.unwrap();
        drop(stream);
        let mut got = String::new();
        peer.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "bind execute ready");
    }

    #[tokio::test]
    async fn a_held_reply_larger_than_the_buffer_streams() {
        let (ours, mut peer) = duplex(1 << 20);
        let mut stream = Deferred::new(ours);
        stream.hold(true);
        let big = vec![7u8; 3 * CAPACITY + 5];
        stream.write_all(&big).await.unwrap();
        stream.flush().await.unwrap();
        let mut got = vec![0u8; 3 * CAPACITY];
        peer.read_exact(&mut got).await.unwrap();
        assert!(got.iter().all(|&b| b == 7));
    }
}
