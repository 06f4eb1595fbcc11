//! The client-side commands of the `mindoodb` binary (keyring, key, identity, sync, mirror)
//! and the node options of `serve` (`--keyring`, `--mirror-of`). They delegate to
//! `mindoodb_client`; `main.rs` only dispatches to them.
//!
//! Invariants:
//! - Keys, tokens and passphrases are printed only where a command exists to print them
//!   (`keyring token`, `key export`'s one-time passphrase), never logged.
//! - A failing command prints one `mindoodb: <error>` line on stderr and exits with status 1.
//!
//! See: README.md#local-node-sync-and-mirrors, docs/OPERATIONS.md

mod keyring;
mod mirror;
pub(crate) mod node;
mod sync;

use std::process::ExitCode;

/// The commands that run on a key holder's machine or next to a server.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ClientCommand {
    /// Create a keyring file, or print its tokens for `SET mindoo.keys`.
    #[command(subcommand)]
    Keyring(keyring::KeyringCommand),
    /// Create, list, rotate, export and import the keyring's data keys.
    #[command(subcommand)]
    Key(keyring::KeyCommand),
    /// Create or show the keyring's signing identity.
    #[command(subcommand)]
    Identity(keyring::IdentityCommand),
    /// Sync a local node's tables with a peer, over the Postgres protocol.
    Sync(sync::SyncArgs),
    /// Keep a keyless replica of a peer's tenant in a data directory.
    Mirror(mirror::MirrorArgs),
}

/// Runs a client command; the exit status says whether it worked.
pub(crate) fn run(command: ClientCommand) -> ExitCode {
    let res = match command {
        ClientCommand::Keyring(command) => keyring::keyring(command),
        ClientCommand::Key(command) => keyring::key(command),
        ClientCommand::Identity(command) => keyring::identity(command),
        ClientCommand::Sync(args) => sync::run(&args),
        ClientCommand::Mirror(args) => mirror::run(&args),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mindoodb: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Why a client command failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The client library failed.
    #[error(transparent)]
    Client(#[from] mindoodb_client::Error),
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] mindoodb_storage::Error),
    /// A key or token failed a protocol check.
    #[error(transparent)]
    Protocol(#[from] mindoodb_protocol::Error),
    /// A file or the terminal failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The command cannot do what was asked.
    #[error("{0}")]
    Usage(String),
}

/// The runtime for one command.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    // One worker drives the connections while the calling thread verifies and writes a sync's
    // batches (storage calls block).
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?)
}

/// A future that completes on SIGTERM or SIGINT. The handlers are installed when this is
/// called, not when the future is first polled: a command's `select!` may not poll it before
/// its first wait, and a signal arriving before then would take the default action (killed,
/// not stopped cleanly). Must be called inside the runtime.
fn shutdown_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let handlers = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    );
    async move {
        match handlers {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
            }
            // Without signal handlers the default action (exit) still stops the command.
            _ => std::future::pending().await,
        }
    }
}

/// Log lines of the long-running commands go to stderr; stdout carries their results.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
