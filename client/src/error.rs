//! Errors of the client library: keyring files, peers, sync and local sealing.
//!
//! Invariants:
//! - No message contains a key, a token, a passphrase or document plaintext; rejected entries
//!   are named by table, seq, hash and document id only.

use std::path::PathBuf;

use crate::proof::ProofError;

/// Everything the client library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The keyring refused an operation (exists, missing key, unsafe permissions).
    #[error("keyring: {0}")]
    Keyring(String),
    /// A passphrase could not be read.
    #[error("passphrase: {0}")]
    Passphrase(String),
    /// An entry, key or token failed a protocol check.
    #[error(transparent)]
    Protocol(#[from] mindoodb_protocol::Error),
    /// The local store failed.
    #[error(transparent)]
    Storage(#[from] mindoodb_storage::Error),
    /// The connection to a server failed or the server reported an error.
    #[error("{}", postgres_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// A server sent something that does not fit the protocol.
    #[error("peer sent {0}")]
    Peer(String),
    /// A document's proof did not verify.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// An argument is unusable (bad JSON, bad name, missing key).
    #[error("{0}")]
    Invalid(String),
}

/// A server's own message and SQLSTATE, or the connection failure and its cause:
/// tokio-postgres alone displays only "db error".
fn postgres_message(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return format!("{} (SQLSTATE {})", db.message(), db.code().code());
    }
    match std::error::Error::source(err) {
        Some(cause) => format!("{err}: {cause}"),
        None => err.to_string(),
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
