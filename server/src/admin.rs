//! The offline tools: `mindoodb backup`, `restore` and `verify`, on a data directory that a
//! running server may hold open (they read it as a RocksDB secondary) and on backup chains;
//! `backup --from` takes its entries over the wire instead (`wire_backup.rs`).
//!
//! Invariants:
//! - Backup and verify never write to the data directory; they need no keys and see none.
//! - Results go to stdout, progress and errors to stderr; exit status 1 on any failure or
//!   verification problem.
//!
//! See: docs/OPERATIONS.md#backups

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::DateTime;
use mindoodb_protocol::AuthorClock;
use mindoodb_storage::{Seq, Store, StoreConfig, Until};

use crate::progress::Reporter;

/// RocksDB block cache of the tools (they read sequentially; a small cache is enough).
const TOOL_CACHE_BYTES: usize = 32 << 20;

/// `mindoodb backup`: the next backup of a data directory into a backup directory.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct BackupArgs {
    /// Data directory to back up; a server may be running on it.
    #[arg(long, env = "MINDOODB_DATA_DIR", default_value = "./mindoodb-data")]
    pub(crate) data_dir: PathBuf,
    /// Back up the tenant of a server over the wire instead, keyless (a conninfo such as
    /// "host=db port=5432 user=backup dbname=acme"); every table of its database.
    #[arg(long, conflicts_with = "data_dir")]
    pub(crate) from: Option<String>,
    /// Backup directory: the first backup in it is full, later ones hold only what is new.
    #[arg(long)]
    pub(crate) to: PathBuf,
}

/// `mindoodb restore`: a backup chain into a new data directory.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct RestoreArgs {
    /// Backup directory written by `mindoodb backup`.
    pub(crate) from: PathBuf,
    /// New (or empty) data directory to create.
    #[arg(long)]
    pub(crate) to_data_dir: PathBuf,
    /// Keep each table's log up to the first entry written after this time (RFC 3339, e.g.
    /// 2026-01-31T12:00:00Z).
    #[arg(long, conflicts_with = "until_seq")]
    pub(crate) until: Option<String>,
    /// Keep each table's log up to this seq.
    #[arg(long)]
    pub(crate) until_seq: Option<u64>,
}

/// `mindoodb verify`: re-check every hash, chain link and signature.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub(crate) struct VerifyArgs {
    /// Data directory to verify; a server may be running on it.
    #[arg(long)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Backup directory to verify.
    #[arg(long)]
    pub(crate) backup: Option<PathBuf>,
}

fn config() -> StoreConfig {
    StoreConfig {
        cache_bytes: TOOL_CACHE_BYTES,
    }
}

/// Opens `data_dir` read-only beside whoever has it open; `scratch` must outlive the store.
fn open_secondary(data_dir: &Path) -> Result<(Store, tempfile::TempDir), String> {
    let scratch = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let store = Store::open_secondary(data_dir, scratch.path(), &config())
        .map_err(|e| format!("{}: {e}", data_dir.display()))?;
    Ok((store, scratch))
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mindoodb: {message}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn backup(args: &BackupArgs) -> ExitCode {
    finish((|| {
        let now = chrono::Utc::now().timestamp_micros();
        let info = match &args.from {
            Some(conninfo) => crate::wire_backup::backup(conninfo, &args.to, &config(), now)?,
            None => {
                let (store, _scratch) = open_secondary(&args.data_dir)?;
                store
                    .backup(&args.to, now, &mut Reporter::stderr())
                    .map_err(|e| e.to_string())?
            }
        };
        println!(
            "backup {} written and verified: {} ({} entries, {} bytes, {})",
            info.number,
            info.path.display(),
            info.entries,
            info.bytes,
            if info.number == 1 {
                "full"
            } else {
                "incremental"
            }
        );
        Ok(())
    })())
}

pub(crate) fn restore(args: &RestoreArgs) -> ExitCode {
    finish((|| {
        let until = match (&args.until, args.until_seq) {
            (Some(time), _) => {
                let at = DateTime::parse_from_rfc3339(time)
                    .map_err(|e| format!("--until {time:?}: {e} (use RFC 3339)"))?;
                Until::Clock(AuthorClock(at.timestamp_micros()))
            }
            (None, Some(seq)) => Until::Seq(Seq(seq)),
            (None, None) => Until::End,
        };
        let summary = mindoodb_storage::restore(
            &args.from,
            &args.to_data_dir,
            &config(),
            until,
            &mut Reporter::stderr(),
        )
        .map_err(|e| e.to_string())?;
        println!(
            "restored {} entries of {} tables from {} backup files into {}",
            summary.entries,
            summary.tables,
            summary.files,
            args.to_data_dir.display()
        );
        verify_store(&args.to_data_dir)
    })())
}

pub(crate) fn verify(args: &VerifyArgs) -> ExitCode {
    finish(match (&args.data_dir, &args.backup) {
        (Some(dir), _) => verify_store(dir),
        (None, Some(dir)) => mindoodb_storage::verify_backups(dir, &mut Reporter::stderr())
            .map(|infos| {
                for info in infos {
                    println!(
                        "{}: ok, backup {}, {} entries",
                        info.path.display(),
                        info.number,
                        info.entries
                    );
                }
            })
            .map_err(|e| e.to_string()),
        (None, None) => Err("name --data-dir or --backup".into()),
    })
}

/// Verifies every table of every tenant, one line each; fails if any has a problem.
fn verify_store(data_dir: &Path) -> Result<(), String> {
    let (store, _scratch) = open_secondary(data_dir)?;
    let snapshot = store.snapshot();
    let mut bad = 0;
    for tenant in store.tenants() {
        for info in store.tables(tenant.id) {
            let report = snapshot
                .verify(info.table)
                .map_err(|e| format!("{}.{}: {e}", tenant.name, info.name))?;
            match report.first_problem() {
                None => println!(
                    "{}.{}: ok, {} entries, {} documents",
                    tenant.name, info.name, report.entries, report.documents
                ),
                Some(_) => {
                    bad += 1;
                    println!(
                        "{}.{}: {} problems",
                        tenant.name, info.name, report.n_problems
                    );
                    // Each damaged entry by seq and hash, as `mindoo.verify` names them.
                    for problem in &report.problems {
                        println!("{}.{}: {problem}", tenant.name, info.name);
                    }
                    let unlisted = report.n_problems - report.problems.len() as u64;
                    if unlisted > 0 {
                        println!("{}.{}: {unlisted} more problems", tenant.name, info.name);
                    }
                }
            }
        }
    }
    if bad > 0 {
        return Err(format!("{bad} tables failed verification"));
    }
    Ok(())
}
