//! `mindoodb backup --from CONNINFO --to DIR`: a backup of one tenant over the Postgres
//! protocol, without keys. The tenant's sealed entries are pulled (`mindoo.entries`, as
//! `mindoodb mirror` does) into a keyless replica kept in `DIR/.wire-replica`, with every
//! read-audit chain the peer holds when the role may read it (the peer's own chain becomes
//! one the replica received), and the next file of the chain is written from that replica,
//! so the chain is the same format `mindoodb restore` reads for a `--data-dir` backup.
//!
//! Invariants:
//! - Holds no keys and asks for none: entries are verified by signature only and stored as
//!   they came, so the replica and the backup files hold ciphertext alone.
//! - The replica only ever extends the chain: when it is missing it is rebuilt from the chain
//!   before anything is pulled, and the storage crate refuses a backup whose log does not
//!   extend the chain (a peer whose log was replaced needs a new backup directory).
//! - The backup file is verified on write exactly as for `--data-dir` (storage's `backup`).
//!
//! See: docs/OPERATIONS.md#backups-over-the-wire

use std::path::{Path, PathBuf};

use mindoodb_client::{
    DEFAULT_BATCH, Direction, Peer, StoreTenant, SyncConfig, TableReport, conninfo_dbname,
};
use mindoodb_storage::{BackupInfo, Progress, Seq, Store, StoreConfig, Until};

use crate::progress::Reporter;

/// The replica's directory inside the backup directory; `restore` and `verify` skip it (they
/// read only `*.mdbbackup` files).
const REPLICA_DIR: &str = ".wire-replica";

/// Pulls what is new on the peer at `conninfo` into the replica in `dir`, then writes and
/// verifies the next backup file of `dir` from it.
pub(crate) fn backup(
    conninfo: &str,
    dir: &Path,
    config: &StoreConfig,
    now_micros: i64,
) -> Result<BackupInfo, String> {
    let replica_dir: PathBuf = dir.join(REPLICA_DIR);
    let has_replica = std::fs::read_dir(&replica_dir).is_ok_and(|mut d| d.next().is_some());
    let has_chain = std::fs::read_dir(dir).is_ok_and(|listing| {
        listing
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".mdbbackup"))
    });
    if !has_replica && has_chain {
        mindoodb_storage::restore(
            dir,
            &replica_dir,
            config,
            Until::End,
            &mut Reporter::stderr(),
        )
        .map_err(|e| format!("rebuilding {} from the chain: {e}", replica_dir.display()))?;
    }
    std::fs::create_dir_all(&replica_dir).map_err(|e| format!("{}: {e}", replica_dir.display()))?;
    let store =
        Store::open(&replica_dir, config).map_err(|e| format!("{}: {e}", replica_dir.display()))?;
    let tenant_name = conninfo_dbname(conninfo).map_err(|e| e.to_string())?;
    let tenant = match store.tenant(&tenant_name) {
        Some(info) => info.id,
        None => {
            store
                .create_tenant(&tenant_name)
                .map_err(|e| e.to_string())?
                .id
        }
    };
    let replica = StoreTenant { store, tenant };
    pull(&replica, conninfo)?;
    replica
        .store
        .backup(dir, now_micros, &mut Reporter::stderr())
        .map_err(|e| e.to_string())
}

/// Pulls every table of the peer's tenant, with progress counted in entries.
fn pull(replica: &StoreTenant, conninfo: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the client runtime: {e}"))?;
    let mut reporter = Reporter::stderr();
    runtime
        .block_on(async {
            let peer = Peer::connect(conninfo).await?;
            let rows = peer
                .client()
                .query("SELECT table_name, last_seq FROM mindoo.tables('*')", &[])
                .await?;
            let snapshot = replica.store.snapshot();
            let mut total = 0u64;
            for row in &rows {
                let name: String = row.try_get(0)?;
                let last = u64::try_from(row.try_get::<_, i64>(1)?).unwrap_or(0);
                let have = match replica.store.table(replica.tenant, &name) {
                    Some(info) => snapshot.last_seq(info.table)?,
                    None => Seq(0),
                };
                total += last.saturating_sub(have.0);
            }
            drop(snapshot);
            reporter.start("pull", total);
            let config = SyncConfig {
                direction: Direction::Pull,
                batch: DEFAULT_BATCH,
            };
            let mut seen: std::collections::HashMap<String, u64> = Default::default();
            let mut progress = |report: &TableReport| {
                let before = seen
                    .insert(report.table.clone(), report.pulled)
                    .unwrap_or(0);
                reporter.advance(report.pulled.saturating_sub(before));
            };
            mindoodb_client::sync(replica, &peer, "*", &config, &mut progress).await?;
            reporter.finish();
            Ok::<_, mindoodb_client::Error>(())
        })
        .map_err(|e| format!("pulling from the peer: {e}"))
}
