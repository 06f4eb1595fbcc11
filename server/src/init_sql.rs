//! `MINDOODB_INIT_SQL`: on the first start of an empty data directory, runs every `*.sql` file
//! of a directory, in name order, as the first role in its database (like the postgres image's
//! `/docker-entrypoint-initdb.d`).
//!
//! Invariants:
//! - Runs only right after the first role was created, so at most once per data directory.
//! - A failing statement stops the start with the file's name and the error; the statements
//!   before it stay committed (as with psql -f). The SQL text itself is never logged.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::BootstrapConfig;
use crate::engine::{Engine, Login};

/// Why the init files could not be run.
#[derive(Debug, thiserror::Error)]
pub(crate) enum InitSqlError {
    /// The directory or a file cannot be read.
    #[error("MINDOODB_INIT_SQL {path}: {source}")]
    Read {
        /// The directory or file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The first role could not open a session.
    #[error("MINDOODB_INIT_SQL: cannot log in as the first role: {0}")]
    Login(String),
    /// A statement failed.
    #[error("MINDOODB_INIT_SQL {path}: {message}")]
    Statement {
        /// The file.
        path: PathBuf,
        /// The error, as a client would see it.
        message: String,
    },
}

/// Runs the `*.sql` files of `dir`; returns how many ran.
pub(crate) async fn run(
    engine: &Arc<Engine>,
    first: &BootstrapConfig,
    dir: &Path,
) -> Result<usize, InitSqlError> {
    let read_err = |path: &Path| {
        let path = path.to_owned();
        move |source| InitSqlError::Read { path, source }
    };
    let mut files = Vec::new();
    for item in std::fs::read_dir(dir).map_err(read_err(dir))? {
        let path = item.map_err(read_err(dir))?.path();
        if path.extension().is_some_and(|ext| ext == "sql") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut session = engine
        .login(Login {
            role: first.user.clone(),
            database: first.database.clone(),
            secure: true,
            // Not a local client: a local node's keyring is for people, not init scripts.
            local: false,
            startup_keys: None,
            peer: None,
        })
        .map_err(|err| InitSqlError::Login(err.to_string()))?;
    for path in &files {
        let sql = std::fs::read_to_string(path).map_err(read_err(path))?;
        for output in session.simple(&sql).await {
            output.map_err(|err| InitSqlError::Statement {
                path: path.clone(),
                message: err.to_string(),
            })?;
        }
        tracing::info!(file = %path.display(), "ran init SQL file");
    }
    Ok(files.len())
}
