//! The `serve` options (flags, their environment variables, and the optional TOML file of
//! `config_file.rs`) and the first-role settings read from the environment.
//!
//! Invariants:
//! - The bootstrap password is read only from the environment or a file named there, never
//!   from a flag (flags show in `ps`), and is held in `Zeroizing` memory.
//! - Nothing here logs; `Debug` never shows the password.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::engine::Limits;

/// `mindoodb serve` options. Each is taken from the command line, else its environment
/// variable, else the `--config` file, else its default.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// TOML file with any of the options below, named as here with '_' for '-' (for example
    /// `listen = "0.0.0.0:5432"`, `slow_statement_ms = 500`).
    #[arg(long, env = "MINDOODB_CONFIG")]
    pub(crate) config: Option<PathBuf>,
    /// Address to listen on (`host:port`; port 0 picks a free port and logs it).
    #[arg(long, env = "MINDOODB_LISTEN", default_value = "0.0.0.0:5432")]
    pub(crate) listen: String,
    /// Also listen on a Unix-domain socket in this directory, `DIR/.s.PGSQL.<port>` as
    /// PostgreSQL names it (`psql -h DIR -p PORT`); mode 0777, logins still need the password.
    /// Its sessions count as local: keys may be presented without TLS.
    #[arg(long, env = "MINDOODB_UNIX_SOCKET_DIR")]
    pub(crate) unix_socket_dir: Option<PathBuf>,
    /// Data directory (the RocksDB store); created when missing.
    #[arg(long, env = "MINDOODB_DATA_DIR", default_value = "./mindoodb-data")]
    pub(crate) data_dir: PathBuf,
    /// PEM certificate chain for TLS; needs --tls-key.
    #[arg(long, env = "MINDOODB_TLS_CERT", requires = "tls_key")]
    pub(crate) tls_cert: Option<PathBuf>,
    /// PEM private key for TLS; needs --tls-cert.
    #[arg(long, env = "MINDOODB_TLS_KEY", requires = "tls_cert")]
    pub(crate) tls_key: Option<PathBuf>,
    /// Refuse TCP connections that do not use TLS (needs --tls-cert and --tls-key); the Unix
    /// socket never leaves the machine and stays open.
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
    /// Connections that may be open at once; the next one is refused with 53300, as
    /// PostgreSQL refuses a client past its max_connections.
    #[arg(long, env = "MINDOODB_MAX_CONNECTIONS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,
    /// Log line format on stdout; levels come from RUST_LOG (default `info`).
    #[arg(long, env = "MINDOODB_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
    #[command(flatten)]
    pub(crate) node: crate::cli::node::NodeArgs,
    /// Statements running longer than this many milliseconds are logged (redacted: no
    /// literals, so no key or document content); 0 logs every statement.
    #[arg(long, env = "MINDOODB_SLOW_STATEMENT_MS", default_value_t = 1000)]
    pub(crate) slow_statement_ms: u64,
    /// MiB of memory one statement's sorts, hash aggregates and joins may hold together;
    /// past it the statement fails with 53200 (out of memory) instead of the server running
    /// out. Nothing spills to disk, where it would be plaintext.
    #[arg(long, env = "MINDOODB_STATEMENT_MEMORY_MB", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) statement_memory_mb: u32,
    /// Address (`host:port`) of the Prometheus endpoint, `GET /metrics`; off when unset. It
    /// has no authentication: bind it where only monitoring reaches.
    #[arg(long, env = "MINDOODB_METRICS_LISTEN")]
    pub(crate) metrics_listen: Option<String>,
}

impl ServeArgs {
    /// What one statement may take.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            slow_statement: Duration::from_millis(self.slow_statement_ms),
            statement_memory: (self.statement_memory_mb as usize) << 20,
        }
    }
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
    /// `MINDOODB_PASSWORD`, or the contents of `MINDOODB_PASSWORD_FILE` without its final
    /// line break; `None` means generate one and print it once.
    pub(crate) password: Option<Zeroizing<String>>,
    /// `MINDOODB_DB`, default: the user name.
    pub(crate) database: String,
    /// `MINDOODB_INIT_SQL`: a directory whose `*.sql` files run, in name order, as the first
    /// role in its database, once, right after the first role was created.
    pub(crate) init_sql: Option<PathBuf>,
}

/// Why the first-role settings cannot be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EnvError {
    /// Both ways of giving the password are set.
    #[error("MINDOODB_PASSWORD and MINDOODB_PASSWORD_FILE are both set; use one")]
    TwoPasswords,
    /// The password file cannot be read.
    #[error("MINDOODB_PASSWORD_FILE {path}: {source}")]
    PasswordFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl BootstrapConfig {
    /// Reads `MINDOODB_USER`, `MINDOODB_PASSWORD` (or `MINDOODB_PASSWORD_FILE`), `MINDOODB_DB`
    /// and `MINDOODB_INIT_SQL`; empty values count as unset.
    pub(crate) fn from_env() -> Result<BootstrapConfig, EnvError> {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let user = var("MINDOODB_USER").unwrap_or_else(|| "mindoo".to_owned());
        let password = match (var("MINDOODB_PASSWORD"), var("MINDOODB_PASSWORD_FILE")) {
            (Some(_), Some(_)) => return Err(EnvError::TwoPasswords),
            (Some(password), None) => Some(Zeroizing::new(password)),
            (None, Some(path)) => {
                let path = PathBuf::from(path);
                let mut text =
                    Zeroizing::new(std::fs::read_to_string(&path).map_err(|source| {
                        EnvError::PasswordFile {
                            path: path.clone(),
                            source,
                        }
                    })?);
                // Files written by editors and `echo` end in a line break that is not part
                // of the password (the postgres image reads them the same way).
                while text.ends_with('\n') || text.ends_with('\r') {
                    text.pop();
                }
                Some(text)
            }
            (None, None) => None,
        };
        Ok(BootstrapConfig {
            password,
            database: var("MINDOODB_DB").unwrap_or_else(|| user.clone()),
            init_sql: var("MINDOODB_INIT_SQL").map(PathBuf::from),
            user,
        })
    }
}

impl fmt::Debug for BootstrapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BootstrapConfig")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("database", &self.database)
            .field("init_sql", &self.init_sql)
            .finish()
    }
}
