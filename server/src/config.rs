//! The `serve` options (flags and their environment variables) and the first-role settings
//! read from the environment.
//!
//! Invariants:
//! - The bootstrap password is read only from the environment, never from a flag (flags show
//!   in `ps`), and is held in `Zeroizing` memory.
//! - Nothing here logs; `Debug` never shows the password.

use std::fmt;
use std::path::PathBuf;

use zeroize::Zeroizing;

/// `mindoodb serve` options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (`host:port`; port 0 picks a free port and logs it).
    #[arg(long, env = "MINDOODB_LISTEN", default_value = "0.0.0.0:5432")]
    pub(crate) listen: String,
    /// Data directory (the RocksDB store); created when missing.
    #[arg(long, env = "MINDOODB_DATA_DIR", default_value = "./mindoodb-data")]
    pub(crate) data_dir: PathBuf,
    /// PEM certificate chain for TLS; needs --tls-key.
    #[arg(long, env = "MINDOODB_TLS_CERT", requires = "tls_key")]
    pub(crate) tls_cert: Option<PathBuf>,
    /// PEM private key for TLS; needs --tls-cert.
    #[arg(long, env = "MINDOODB_TLS_KEY", requires = "tls_cert")]
    pub(crate) tls_key: Option<PathBuf>,
    /// Refuse connections that do not use TLS (needs --tls-cert and --tls-key).
    #[arg(long, env = "MINDOODB_TLS_ONLY", requires = "tls_cert")]
    pub(crate) tls_only: bool,
    /// Failed password attempts allowed per client address and minute; further attempts from
    /// that address are refused until the minute has passed (0: no limit).
    #[arg(long, env = "MINDOODB_AUTH_FAILURES_PER_MINUTE", default_value_t = 20)]
    pub(crate) auth_failures_per_minute: u32,
    /// Seconds a client has to finish TLS negotiation and authentication before the
    /// connection is closed (a slow or stalled startup never holds a connection longer).
    #[arg(long, env = "MINDOODB_STARTUP_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) startup_timeout: u64,
    /// Log line format on stdout; levels come from RUST_LOG (default `info`).
    #[arg(long, env = "MINDOODB_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
    #[command(flatten)]
    pub(crate) node: crate::cli::node::NodeArgs,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The first role and tenant, created on a store without roles (like the `postgres` image's
/// `POSTGRES_USER`/`POSTGRES_PASSWORD`/`POSTGRES_DB`).
pub(crate) struct BootstrapConfig {
    /// `MINDOODB_USER`, default `mindoo`.
    pub(crate) user: String,
    /// `MINDOODB_PASSWORD`; `None` means generate one and print it once.
    pub(crate) password: Option<Zeroizing<String>>,
    /// `MINDOODB_DB`, default: the user name.
    pub(crate) database: String,
}

impl BootstrapConfig {
    /// Reads `MINDOODB_USER`, `MINDOODB_PASSWORD` and `MINDOODB_DB`; empty values count as unset.
    pub(crate) fn from_env() -> BootstrapConfig {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let user = var("MINDOODB_USER").unwrap_or_else(|| "mindoo".to_owned());
        BootstrapConfig {
            password: var("MINDOODB_PASSWORD").map(Zeroizing::new),
            database: var("MINDOODB_DB").unwrap_or_else(|| user.clone()),
            user,
        }
    }
}

impl fmt::Debug for BootstrapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BootstrapConfig")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("database", &self.database)
            .finish()
    }
}
