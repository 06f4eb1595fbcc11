//! The listeners: TCP (optional TLS) and, with `--unix-socket-dir`, the Unix socket
//! (`unix_socket.rs`); one connection task each (`connection.rs`), cancel requests, and the
//! SIGTERM/SIGINT drain.
//!
//! Invariants:
//! - Both listeners feed the same connection task; the Unix socket is named after the TCP
//!   listener's bound port, so `psql -h DIR -p PORT` reaches the server that logged PORT.
//! - After a shutdown signal no connection is accepted (the Unix socket file is removed at
//!   once); idle ones are closed at once (57P01),
//!   busy ones after their statement, all within `DRAIN`, after which the rest are aborted;
//!   `run` returns only when every connection task is gone (so the engine, and with it the
//!   store, is dropped by the caller).
//! - TLS uses rustls with the ring provider only, ALPN `postgresql` (PG17 direct SSL).
//! - Nothing here logs startup parameters; `startup.rs` logs one line per authorized
//!   connection.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use pgwire::api::cancel::DefaultCancelHandler;
use pgwire::api::{ConnectionManager, PgWireServerHandlers};
use pgwire::tokio::tokio_rustls::TlsAcceptor;
use rustls::ServerConfig;
use tokio::net::{TcpListener, UnixStream};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::auth_limit::AuthLimiter;
use crate::config::ServeArgs;
use crate::engine::Engine;
use crate::pg::connection;
use crate::pg::copy::CopyIn;
use crate::pg::error::ErrorLog;
use crate::pg::extended::ExtendedQueries;
use crate::pg::simple::SimpleQueries;
use crate::pg::startup::Startup;
use crate::pg::transport::Accepted;
use crate::pg::unix_socket::{UnixSocket, UnixSocketError};

/// How long open connections may take to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(10);
/// Pause after a failed accept (for example out of file descriptors) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Why the listener could not start.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ListenError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The Unix socket could not be created.
    #[error(transparent)]
    UnixSocket(#[from] UnixSocketError),
    /// A TLS file could not be read.
    #[error("cannot read {path}: {source}")]
    TlsFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The key file holds no private key.
    #[error("{0} holds no PEM private key")]
    NoKey(PathBuf),
    /// The certificate file holds no certificate.
    #[error("{0} holds no PEM certificate")]
    NoCertificate(PathBuf),
    /// rustls rejected the certificate or key.
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    /// The signal handlers could not be installed.
    #[error("cannot install signal handlers: {0}")]
    Signal(std::io::Error),
}

/// The handlers every connection shares.
struct Handlers {
    startup: Arc<Startup>,
    simple: Arc<SimpleQueries>,
    extended: Arc<ExtendedQueries>,
    copy: Arc<CopyIn>,
    cancel: Arc<DefaultCancelHandler>,
    errors: Arc<ErrorLog>,
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl pgwire::api::query::SimpleQueryHandler> {
        self.simple.clone()
    }

    fn extended_query_handler(&self) -> Arc<impl pgwire::api::query::ExtendedQueryHandler> {
        self.extended.clone()
    }

    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        self.startup.clone()
    }

    fn copy_handler(&self) -> Arc<impl pgwire::api::copy::CopyHandler> {
        self.copy.clone()
    }

    fn cancel_handler(&self) -> Arc<impl pgwire::api::cancel::CancelHandler> {
        self.cancel.clone()
    }

    fn error_handler(&self) -> Arc<impl pgwire::api::ErrorHandler> {
        self.errors.clone()
    }
}

/// Serves connections on `args.listen` (and the Unix socket of `args.unix_socket_dir`) until
/// SIGTERM or SIGINT, then drains them.
pub(crate) async fn run(engine: Arc<Engine>, args: &ServeArgs) -> Result<(), ListenError> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(tls_acceptor(cert, key)?),
        _ => None,
    };
    let mut terminate = signal(SignalKind::terminate()).map_err(ListenError::Signal)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ListenError::Signal)?;
    let listener = TcpListener::bind(&args.listen)
        .await
        .map_err(|source| ListenError::Bind {
            addr: args.listen.clone(),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ListenError::Bind {
        addr: args.listen.clone(),
        source,
    })?;
    let unix = match &args.unix_socket_dir {
        Some(dir) => Some(UnixSocket::bind(dir, addr.port())?),
        None => None,
    };
    tracing::info!(%addr, tls = tls.is_some(), tls_only = args.tls_only, "listening");
    if let Some(unix) = &unix {
        tracing::info!(path = %unix.path().display(), "listening on a Unix socket");
    }

    let connections = Arc::new(ConnectionManager::new());
    let handlers = Arc::new(Handlers {
        startup: Arc::new(Startup::new(
            engine,
            connections.clone(),
            AuthLimiter::new(args.auth_failures_per_minute),
            args.tls_only,
            args.max_connections,
        )),
        simple: Arc::new(SimpleQueries),
        extended: Arc::new(ExtendedQueries::new()),
        copy: Arc::new(CopyIn),
        cancel: Arc::new(DefaultCancelHandler::new(connections)),
        errors: Arc::new(ErrorLog),
    });
    let (stop, stopping) = watch::channel(false);
    let startup_timeout = Duration::from_secs(args.startup_timeout);
    let mut tasks = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
            accepted = listener.accept() => {
                accepted.map(|(tcp, _)| Accepted::Tcp(tcp))
            }
            accepted = accept_unix(unix.as_ref()), if unix.is_some() => {
                accepted.map(Accepted::Unix)
            }
            Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                log_panic(joined);
                continue;
            }
        };
        let accepted = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                tracing::warn!(error = %err, "accept failed");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let peer = match accepted.peer() {
            Ok(peer) => peer,
            Err(err) => {
                tracing::warn!(error = %err, "cannot tell who connected; closing the connection");
                continue;
            }
        };
        let handlers = handlers.clone();
        let tls = tls.clone();
        let stopping = stopping.clone();
        tasks.spawn(async move {
            let served =
                connection::serve(accepted, peer, tls, handlers, stopping, startup_timeout);
            if let Err(err) = served.await {
                tracing::debug!(%peer, error = %err, "connection closed with an I/O error");
            }
        });
    }
    drop(listener);
    drop(unix);
    // Receivers live in the connection tasks; none left is fine.
    let _ = stop.send(true);
    tracing::info!(
        connections = tasks.len(),
        "shutdown signal: no new connections, draining"
    );
    let drained = tokio::time::timeout(DRAIN, async {
        while let Some(joined) = tasks.join_next().await {
            log_panic(joined);
        }
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = tasks.len(),
            "closing connections still open after the drain period"
        );
        tasks.shutdown().await;
    }
    Ok(())
}

/// The next connection on the Unix socket (`select!` polls this only when there is one).
async fn accept_unix(unix: Option<&UnixSocket>) -> std::io::Result<UnixStream> {
    match unix {
        Some(unix) => unix.accept().await,
        None => std::future::pending().await,
    }
}

fn log_panic(joined: Result<(), tokio::task::JoinError>) {
    if let Err(err) = joined
        && err.is_panic()
    {
        tracing::error!(error = %err, "a connection task panicked");
    }
}

fn tls_acceptor(cert_path: &Path, key_path: &Path) -> Result<TlsAcceptor, ListenError> {
    let open = |path: &Path| {
        File::open(path)
            .map(BufReader::new)
            .map_err(|source| ListenError::TlsFile {
                path: path.to_owned(),
                source,
            })
    };
    let certs = rustls_pemfile::certs(&mut open(cert_path)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| ListenError::TlsFile {
            path: cert_path.to_owned(),
            source,
        })?;
    if certs.is_empty() {
        return Err(ListenError::NoCertificate(cert_path.to_owned()));
    }
    let key = rustls_pemfile::private_key(&mut open(key_path)?)
        .map_err(|source| ListenError::TlsFile {
            path: key_path.to_owned(),
            source,
        })?
        .ok_or_else(|| ListenError::NoKey(key_path.to_owned()))?;
    // An explicit provider: with no process-wide default installed, `builder()` would panic
    // if another crate in the tree enabled a second provider.
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(certs, key)?;
    config.alpn_protocols = vec![b"postgresql".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
