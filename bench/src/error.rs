//! The bench's one error type: what failed while starting a system or running a workload.
//!
//! Invariants:
//! - Every error names the system or step it came from, so a failed run says where.

use std::error::Error as _;

/// Why a benchmark run stopped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// A system process (PostgreSQL, MindooDB, a tool) could not be started or ended badly.
    #[error("{what}: {detail}")]
    Process { what: String, detail: String },
    /// A statement failed where the workload cannot go on.
    #[error("{system}: {source}{}", source.source().map(|cause| format!(" ({cause})")).unwrap_or_default())]
    Sql {
        system: &'static str,
        #[source]
        source: tokio_postgres::Error,
    },
    /// Reading or writing a file (data dirs, docs/BENCHMARKS.md).
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// The command line asked for something the bench does not know.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub(crate) fn process(what: impl Into<String>, detail: impl ToString) -> Error {
        Error::Process {
            what: what.into(),
            detail: detail.to_string(),
        }
    }

    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let what = what.into();
        move |source| Error::Io { what, source }
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;
