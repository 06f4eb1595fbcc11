//! The `mindoodb` server as a library: the command line, logging, the store, bootstrap and the
//! PostgreSQL protocol, run by `main.rs`; and `fuzz`, the entry points of the libFuzzer targets.
//!
//! Invariants:
//! - Logs go to stdout; the only other stdout line is a generated bootstrap password, once.
//! - Exit status 0 after a signal-driven shutdown, in which the store is dropped (closed)
//!   after every connection has ended; 1 when startup or serving fails.
//! - Nothing but `run` and `fuzz` is public: the modules are this binary's internals.
//!
//! See: docs/ARCHITECTURE.md#server

mod admin;
mod auth_limit;
mod bootstrap;
mod catalog;
mod cli;
mod config;
mod config_file;
mod copy_text;
mod engine;
mod error;
mod init_sql;
mod metrics;
mod notice;
mod output;
mod pg;
mod progress;
mod verifier;
mod wire_backup;

pub mod fuzz;

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use mindoodb_protocol::Identity;
use mindoodb_storage::{Store, StoreConfig};
use tracing_subscriber::EnvFilter;

use crate::bootstrap::{Bootstrapped, bootstrap, print_generated_password};
use crate::config::{BootstrapConfig, LogFormat, ServeArgs};
use crate::engine::Engine;

/// RocksDB block cache shared by all column families.
const CACHE_BYTES: usize = 128 << 20;

/// MindooDB: an end-to-end encrypted, append-only document database that speaks PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "mindoodb", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `serve` is the default command; its options work without naming it.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the PostgreSQL protocol (the default).
    Serve(ServeArgs),
    #[command(flatten)]
    Client(cli::ClientCommand),
    /// Back up a data directory (online): full into an empty directory, else incremental.
    Backup(admin::BackupArgs),
    /// Restore a backup directory into a new data directory, optionally to a point in time.
    Restore(admin::RestoreArgs),
    /// Verify every table of a data directory (online), or a backup directory.
    Verify(admin::VerifyArgs),
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
enum ServeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("opening the store failed: {0}")]
    Storage(#[from] mindoodb_storage::Error),
    #[error(transparent)]
    Bootstrap(#[from] bootstrap::BootstrapError),
    #[error("creating the node identity failed: {0}")]
    Identity(#[from] mindoodb_protocol::Error),
    #[error(transparent)]
    Env(#[from] config::EnvError),
    #[error(transparent)]
    InitSql(#[from] init_sql::InitSqlError),
    #[error("cannot listen for metrics on {addr}: {source}")]
    Metrics {
        addr: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Listen(#[from] pg::listener::ListenError),
    #[error("{0}")]
    Node(#[from] cli::CliError),
}

/// Runs the `mindoodb` command line: what `main.rs` calls.
pub fn run() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    let (mut args, serve_matches) = match cli.command {
        Some(Command::Serve(args)) => (args, matches.subcommand_matches("serve")),
        Some(Command::Backup(args)) => return admin::backup(&args),
        Some(Command::Restore(args)) => return admin::restore(&args),
        Some(Command::Verify(args)) => return admin::verify(&args),
        Some(Command::Client(command)) => return crate::cli::run(command),
        None => (cli.serve, Some(&matches)),
    };
    if let Some(serve_matches) = serve_matches
        && let Err(err) = config_file::apply(&mut args, serve_matches)
    {
        // Before logging is set up: the file may name the log format.
        eprintln!("mindoodb: {err}");
        return ExitCode::FAILURE;
    }
    init_logging(args.log_format);
    match serve(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "mindoodb stopped");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &ServeArgs) -> Result<(), ServeError> {
    std::fs::create_dir_all(&args.data_dir)?;
    let store = Store::open(
        &args.data_dir,
        &StoreConfig {
            cache_bytes: CACHE_BYTES,
        },
    )?;
    tracing::info!(data_dir = %args.data_dir.display(), "store open");

    let first = BootstrapConfig::from_env()?;
    let created = match bootstrap(&store, &first)? {
        Bootstrapped::Existing => false,
        Bootstrapped::Created => {
            tracing::info!(role = %first.user, database = %first.database, "created the first role");
            true
        }
        Bootstrapped::Generated(password) => {
            tracing::info!(role = %first.user, database = %first.database,
                "created the first role with a generated password (printed once on stdout)");
            print_generated_password(&first.user, &password);
            true
        }
    };

    // The node key signs for sessions without their own identity. It lives only in memory:
    // The trust model (docs/SECURITY.md) keeps key material off disk, and entries carry their author's public key,
    // so verification does not depend on the node key surviving a restart.
    let mut node = cli::node::Node::prepare(&args.node, &store)?;
    let engine = Engine::new(
        store,
        Identity::generate()?,
        node.take_mode(),
        args.limits(),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if created && let Some(dir) = &first.init_sql {
        let files = runtime.block_on(init_sql::run(&engine, &first, dir))?;
        tracing::info!(files, dir = %dir.display(), "ran the init SQL files");
    }
    if let Some(addr) = &args.metrics_listen {
        let listener =
            runtime
                .block_on(metrics::bind(addr))
                .map_err(|source| ServeError::Metrics {
                    addr: addr.clone(),
                    source,
                })?;
        let bound = listener.local_addr()?;
        tracing::info!(addr = %bound, "serving metrics");
        runtime.spawn(metrics::serve(listener, engine.clone()));
    }
    runtime.spawn(engine::sign_receipts(engine.clone()));
    let listener = pg::listener::run(engine.clone(), args);
    runtime.block_on(node.run(engine, listener))?;
    tracing::info!("shut down cleanly");
    Ok(())
}

fn init_logging(format: LogFormat) {
    let mut directives = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
    // DataFusion and sqlparser debug logs quote SQL text and plans, literals included, and a
    // literal may be a key token: keep them at info unless RUST_LOG names them explicitly.
    for quoting_crate in ["datafusion", "sqlparser"] {
        if !directives.contains(quoting_crate) {
            directives.push_str(&format!(",{quoting_crate}=info"));
        }
    }
    let filter = EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout)
        .with_ansi(std::io::stdout().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
