//! Connections to MindooDB servers over the Postgres protocol (tokio-postgres): TLS when the
//! conninfo asks for it, the notifications of `LISTEN mindoo_changes`, and the stable id a
//! sync cursor is filed under.
//!
//! Invariants:
//! - The peer id names the server and database only (`host:port/dbname`), never the user or
//!   password, so cursors survive credential changes and never hold a secret.
//! - TLS certificates are checked against the system roots (and `MINDOODB_PEER_CA_FILE`);
//!   everything a peer sends is verified anyway, so TLS guards metadata, not integrity.
//! - Notifications are forwarded as they arrive; the connection task ends with the
//!   connection, and dropping the `Peer` closes both.

use std::fs::File;
use std::io::BufReader;
use std::sync::Arc;

use futures_util::StreamExt as _;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{AsyncMessage, Client, Config, Connection, NoTls, Socket};

use crate::{Error, Result};

/// The environment variable naming a PEM file of extra CA certificates for peers.
pub const PEER_CA_ENV: &str = "MINDOODB_PEER_CA_FILE";
/// Where Debian keeps the system's CA bundle.
const SYSTEM_ROOTS: &str = "/etc/ssl/certs/ca-certificates.crt";

/// An open connection to a MindooDB server.
pub struct Peer {
    client: Client,
    id: String,
    dbname: String,
    notifications: UnboundedReceiver<String>,
    task: JoinHandle<()>,
}

impl Peer {
    /// Connects with a libpq-style conninfo (`host=... port=... user=... dbname=...`).
    pub async fn connect(conninfo: &str) -> Result<Peer> {
        let config: Config = conninfo.parse()?;
        let id = peer_id(&config);
        let dbname = config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or_default()
            .to_owned();
        let (client, notifications, task) = match config.get_ssl_mode() {
            SslMode::Disable => spawn(config.connect(NoTls).await?),
            _ => spawn(config.connect(tls_connector()?).await?),
        };
        Ok(Peer {
            client,
            id,
            dbname,
            notifications,
            task,
        })
    }

    /// The tokio-postgres client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// `host:port/dbname`: what sync cursors are filed under.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The database (tenant) connected to.
    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    /// Starts receiving `table:seq` notifications of the peer's commits.
    pub async fn listen(&self) -> Result<()> {
        self.client.batch_execute("LISTEN mindoo_changes").await?;
        Ok(())
    }

    /// The next notification payload; `None` once the connection is gone.
    pub async fn changed(&mut self) -> Option<String> {
        self.notifications.recv().await
    }

    /// Forgets the notifications received so far.
    pub fn drain_changes(&mut self) {
        while self.notifications.try_recv().is_ok() {}
    }

    /// True once the connection has ended.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peer").field("id", &self.id).finish()
    }
}

/// The database a conninfo names (its user's name when it names none, as libpq does).
pub fn conninfo_dbname(conninfo: &str) -> Result<String> {
    let config: Config = conninfo.parse()?;
    config
        .get_dbname()
        .or(config.get_user())
        .map(str::to_owned)
        .ok_or_else(|| Error::Invalid("the conninfo names no dbname and no user".into()))
}

/// `host:port/dbname` of the first host, as sync cursors file it.
fn peer_id(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let dbname = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or_default();
    format!("{host}:{port}/{dbname}")
}

type Spawned = (Client, UnboundedReceiver<String>, JoinHandle<()>);

fn spawn<T>(connected: (Client, Connection<Socket, T>)) -> Spawned
where
    T: tokio_postgres::tls::TlsStream + Unpin + Send + 'static,
{
    let (client, mut connection) = connected;
    let (tx, rx) = unbounded_channel();
    let task = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(Ok(message)) = messages.next().await {
            if let AsyncMessage::Notification(notification) = message {
                // Nobody listening any more is fine: the connection still serves queries.
                let _ = tx.send(notification.payload().to_owned());
            }
        }
    });
    (client, rx, task)
}

fn tls_connector() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    let extra = std::env::var_os(PEER_CA_ENV);
    for path in std::iter::once(std::ffi::OsString::from(SYSTEM_ROOTS)).chain(extra) {
        let Ok(file) = File::open(&path) else {
            continue;
        };
        for cert in rustls_pemfile::certs(&mut BufReader::new(file)) {
            let cert = cert.map_err(|e| Error::Invalid(format!("CA file: {e}")))?;
            // A bundle may hold certificates rustls cannot use; the rest still count.
            let _ = roots.add(cert);
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::Invalid(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}
