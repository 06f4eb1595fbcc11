//! What a connection arrived over, TCP (plain or TLS) or a Unix-domain socket, brought to the
//! one framed stream `connection.rs` serves, and the connection's `Peer`: who is at the other
//! end, for the logs, the failed-password budget and whether keys may travel.
//!
//! Invariants:
//! - Both transports end as the same `Framed<MaybeTls, PgWireMessageServerCodec>`, so there is
//!   one connection loop and one startup path.
//! - Over a Unix socket an SSLRequest or GSSENCRequest is answered 'N', as PostgreSQL answers
//!   it (a local socket has no TLS); the client then starts in the clear. Each may come once.
//! - A Unix connection's peer is its SO_PEERCRED (uid, gid, pid), read once at accept; a
//!   connection whose credentials cannot be read is not served.
//! - `Peer` is the only source of the client's identity. pgwire's `socket_addr` of a Unix
//!   connection is 0.0.0.0:0, read by nobody; it is not loopback, so a reader that used it by
//!   mistake would treat the connection as remote, never as local.
//! - Local (keys may travel without TLS; a local node gives its keyring) means loopback TCP
//!   or a Unix socket, and nothing else.

use std::fmt;
use std::io;
use std::net::SocketAddr;

use futures::{SinkExt, StreamExt};
use pgwire::api::{ClientInfo, DefaultClient, PgWireConnectionState};
use pgwire::messages::response::{GssEncResponse, SslResponse};
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage, SslNegotiationMetaMessage};
use pgwire::tokio::TlsAcceptor;
use pgwire::tokio::server::{MaybeTls, PgWireMessageServerCodec, negotiate_tls};
use tokio::net::{TcpStream, UnixStream};
use tokio_util::codec::Framed;

use crate::auth_limit::Source;
use crate::engine::ClientAddr;

/// A negotiated connection, ready for its startup message.
pub(crate) type Socket<S> = Framed<MaybeTls, PgWireMessageServerCodec<S>>;

/// An accepted connection, before any byte was read.
pub(crate) enum Accepted {
    /// From the TCP listener.
    Tcp(TcpStream),
    /// From the Unix-socket listener (`--unix-socket-dir`).
    Unix(UnixStream),
}

/// Who is at the other end of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peer {
    /// A TCP client's address and port.
    Tcp(SocketAddr),
    /// A process on this machine, by its credentials as the kernel gives them (SO_PEERCRED).
    Unix {
        /// Its user id.
        uid: u32,
        /// Its group id.
        gid: u32,
        /// Its process id, where the platform tells it.
        pid: Option<i32>,
    },
}

impl Accepted {
    /// The peer: the TCP address, or the Unix socket's peer credentials.
    pub(crate) fn peer(&self) -> io::Result<Peer> {
        match self {
            Accepted::Tcp(tcp) => tcp.peer_addr().map(Peer::Tcp),
            Accepted::Unix(unix) => {
                let cred = unix.peer_cred()?;
                Ok(Peer::Unix {
                    uid: cred.uid(),
                    gid: cred.gid(),
                    pid: cred.pid(),
                })
            }
        }
    }

    /// Runs the SSL negotiation (TLS when `tls` is set, TCP only) and returns the connection
    /// awaiting its startup message; `None` when there is nothing to serve (a direct-TLS client
    /// without TLS configured, or a Unix client that left before its startup message).
    pub(crate) async fn negotiate<S>(
        self,
        tls: Option<TlsAcceptor>,
    ) -> io::Result<Option<Socket<S>>> {
        match self {
            Accepted::Tcp(tcp) => negotiate_tls(tcp, tls).await,
            Accepted::Unix(unix) => refuse_encryption(unix).await,
        }
    }
}

impl Peer {
    /// True for loopback TCP and Unix sockets: the connections from this machine.
    pub(crate) fn is_local(self) -> bool {
        match self {
            Peer::Tcp(addr) => addr.ip().to_canonical().is_loopback(),
            Peer::Unix { .. } => true,
        }
    }

    /// Whose failed passwords this connection's count towards.
    pub(crate) fn source(self) -> Source {
        match self {
            Peer::Tcp(addr) => Source::Ip(addr.ip().to_canonical()),
            Peer::Unix { uid, .. } => Source::LocalUser(uid),
        }
    }

    /// How `mindoo.activity` shows the client.
    pub(crate) fn client_addr(self) -> ClientAddr {
        match self {
            Peer::Tcp(addr) => ClientAddr::Tcp(addr),
            Peer::Unix { .. } => ClientAddr::Unix,
        }
    }
}

/// `127.0.0.1:50432` for TCP; `[local](uid=1000,gid=1000,pid=4242)` for a Unix socket
/// (PostgreSQL logs a Unix client as `[local]`), one token so log fields stay parseable.
impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Tcp(addr) => addr.fmt(f),
            Peer::Unix { uid, gid, pid } => {
                write!(f, "[local](uid={uid},gid={gid}")?;
                if let Some(pid) = pid {
                    write!(f, ",pid={pid}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// A Unix connection over pgwire's stream type, with SSL and GSS encryption requests refused.
async fn refuse_encryption<S>(unix: UnixStream) -> io::Result<Option<Socket<S>>> {
    let client = DefaultClient::new(SocketAddr::from(([0, 0, 0, 0], 0)), false);
    let mut socket = Framed::new(MaybeTls::Unix(unix), PgWireMessageServerCodec::new(client));
    let (mut ssl_refused, mut gss_refused) = (false, false);
    loop {
        // In the AwaitingSslRequest state the codec yields `SslNegotiation(None)` for a startup
        // or cancel message without consuming it; it is read again once the state moved on.
        let reply = match socket.next().await {
            None => return Ok(None),
            Some(Ok(PgWireFrontendMessage::SslNegotiation(request))) => match request {
                SslNegotiationMetaMessage::None => break,
                SslNegotiationMetaMessage::PostgresSsl(_) if !ssl_refused => {
                    ssl_refused = true;
                    PgWireBackendMessage::SslResponse(SslResponse::Refuse)
                }
                SslNegotiationMetaMessage::PostgresGss(_) if !gss_refused => {
                    gss_refused = true;
                    PgWireBackendMessage::GssEncResponse(GssEncResponse::Refuse)
                }
                _ => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "repeated encryption request on a Unix socket",
                    ));
                }
            },
            Some(Ok(_)) => break,
            Some(Err(err)) => return Err(io::Error::new(io::ErrorKind::InvalidData, err)),
        };
        socket.send(reply).await?;
    }
    socket.set_state(PgWireConnectionState::AwaitingStartup);
    Ok(Some(socket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_peers_are_local_and_logged_with_their_credentials() {
        let unix = Peer::Unix {
            uid: 1000,
            gid: 100,
            pid: Some(4242),
        };
        assert!(unix.is_local());
        assert_eq!(unix.to_string(), "[local](uid=1000,gid=100,pid=4242)");
        assert_eq!(unix.source(), Source::LocalUser(1000));
        assert_eq!(unix.client_addr(), ClientAddr::Unix);
        let no_pid = Peer::Unix {
            uid: 0,
            gid: 0,
            pid: None,
        };
        assert_eq!(no_pid.to_string(), "[local](uid=0,gid=0)");
    }

    #[test]
    fn only_loopback_tcp_is_local() {
        let tcp = |addr: &str| Peer::Tcp(addr.parse().expect("socket address"));
        assert!(tcp("127.0.0.1:5432").is_local());
        assert!(tcp("[::1]:5432").is_local());
        assert!(tcp("[::ffff:127.0.0.1]:5432").is_local());
        assert!(!tcp("192.0.2.2:5432").is_local());
        assert!(!tcp("0.0.0.0:0").is_local());
        assert_eq!(tcp("192.0.2.2:5432").to_string(), "192.0.2.2:5432");
    }
}
