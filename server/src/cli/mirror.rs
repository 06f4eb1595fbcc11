//! `mindoodb mirror --from CONNINFO --to-data-dir DIR [--watch]`: pulls a peer's tenant into a
//! data directory without serving it (a replica to back up, or to serve later with
//! `serve --mirror-of`). The data directory must not be open in a server meanwhile.
//!
//! Invariants:
//! - Holds no keys: entries are verified by signature only, stored as they came.
//! - Prints one line per stored batch on stdout, after the batch and its cursor are durable:
//!   a line seen is a batch that survives a crash.
//!
//! See: docs/OPERATIONS.md#mirrors

use std::path::PathBuf;

use mindoodb_client::{
    DEFAULT_BATCH, Direction, Peer, StoreTenant, SyncConfig, TableReport, conninfo_dbname,
};
use mindoodb_storage::{Store, StoreConfig};

use super::{CliError, init_logging, runtime, shutdown_signal};

/// RocksDB block cache of the mirror's store.
const CACHE_BYTES: usize = 64 << 20;

/// `mindoodb mirror` options.
#[derive(Debug, clap::Args)]
pub(crate) struct MirrorArgs {
    /// The peer to copy from, as a conninfo.
    #[arg(long, env = "MINDOODB_MIRROR_FROM")]
    from: String,
    /// The data directory to copy into (created when missing).
    #[arg(long)]
    to_data_dir: PathBuf,
    /// The local tenant (default: the peer's database name).
    #[arg(long)]
    tenant: Option<String>,
    /// The tables to copy (a name or a pattern such as `crm*`).
    #[arg(long, default_value = "*")]
    table: String,
    /// Keep copying on every change until stopped.
    #[arg(long)]
    watch: bool,
    /// Entries per round trip.
    #[arg(long, default_value_t = DEFAULT_BATCH)]
    batch: usize,
}

pub(crate) fn run(args: &MirrorArgs) -> Result<(), CliError> {
    std::fs::create_dir_all(&args.to_data_dir)?;
    let store = Store::open(
        &args.to_data_dir,
        &StoreConfig {
            cache_bytes: CACHE_BYTES,
        },
    )?;
    let tenant_name = match &args.tenant {
        Some(name) => name.clone(),
        None => conninfo_dbname(&args.from)?,
    };
    let tenant = match store.tenant(&tenant_name) {
        Some(info) => info.id,
        None => store.create_tenant(&tenant_name)?.id,
    };
    let node = StoreTenant { store, tenant };
    let config = SyncConfig {
        direction: Direction::Pull,
        batch: args.batch,
    };
    let mut progress = |report: &TableReport| {
        let refused = match report.quarantined {
            0 => String::new(),
            n => format!("; {n} refused and quarantined so far"),
        };
        let audit = match (
            report.audit_pulled,
            report.audit_refused,
            report.audit_skipped,
        ) {
            (_, _, true) => "; read-audit log not mirrored: the role may not read it".to_owned(),
            (0, 0, false) => String::new(),
            (pulled, refused, false) => {
                format!("; read-audit records {pulled} pulled, {refused} refused")
            }
        };
        println!(
            "{}: pulled {} ({} new), at peer seq {}{refused}{audit}",
            report.table, report.pulled, report.pulled_new, report.pull_seq
        );
    };
    let runtime = runtime()?;
    if args.watch {
        init_logging();
        runtime.block_on(async {
            let stop = shutdown_signal();
            mindoodb_client::watch(
                &node,
                &args.from,
                &args.table,
                &config,
                &mut progress,
                &mut |_, _| {},
                stop,
            )
            .await;
        });
        return Ok(());
    }
    runtime.block_on(async {
        let peer = Peer::connect(&args.from).await?;
        mindoodb_client::sync(&node, &peer, &args.table, &config, &mut progress).await
    })?;
    Ok(())
}
