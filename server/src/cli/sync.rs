//! `mindoodb sync`: asks a running local node to sync with a peer (`mindoo.sync` over the
//! Postgres protocol), once or on every change either side announces (`--watch`).
//!
//! Invariants:
//! - The command holds no key and no store: the local node does the sync, with its keys, and
//!   this process only relays conninfo and prints counts.
//! - `--watch` reacts to `LISTEN mindoo_changes` on both sides, re-syncs at least every 30
//!   seconds, survives failures of either side, and stops on SIGTERM/SIGINT.
//!
//! See: docs/OPERATIONS.md#sync

use std::time::Duration;

use mindoodb_client::Peer;

use super::{CliError, init_logging, runtime, shutdown_signal};

/// How often `--watch` syncs without a notification.
const RESYNC_EVERY: Duration = Duration::from_secs(30);
/// Pause after a failed round before the next.
const RETRY_AFTER: Duration = Duration::from_secs(2);

/// `mindoodb sync` options.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("tables").required(true).args(["table", "all"])))]
#[command(group(clap::ArgGroup::new("direction").args(["pull", "push", "both"])))]
pub(crate) struct SyncArgs {
    /// The local node that syncs (`mindoodb serve --keyring ...`), as a conninfo.
    #[arg(
        long,
        env = "MINDOODB_SYNC_LOCAL",
        default_value = "host=127.0.0.1 port=5432"
    )]
    local: String,
    /// The peer, as a conninfo (`host=hub.example.com dbname=acme user=... password=...`).
    #[arg(long, env = "MINDOODB_SYNC_PEER")]
    peer: String,
    /// One table (or a pattern such as `crm*`).
    #[arg(long)]
    table: Option<String>,
    /// Every table of either side.
    #[arg(long)]
    all: bool,
    /// Only fetch the peer's entries.
    #[arg(long)]
    pull: bool,
    /// Only send local entries.
    #[arg(long)]
    push: bool,
    /// Both ways (the default).
    #[arg(long)]
    both: bool,
    /// Keep syncing on every change until stopped.
    #[arg(long)]
    watch: bool,
    /// Entries per round trip.
    #[arg(long)]
    batch: Option<u32>,
}

pub(crate) fn run(args: &SyncArgs) -> Result<(), CliError> {
    let runtime = runtime()?;
    if !args.watch {
        return runtime.block_on(async {
            let local = Peer::connect(&args.local).await?;
            once(&local, args).await
        });
    }
    init_logging();
    runtime.block_on(async {
        let mut stop = std::pin::pin!(shutdown_signal());
        loop {
            let round = watch_round(args);
            tokio::select! {
                () = &mut stop => return Ok(()),
                res = round => if let Err(err) = res {
                    tracing::warn!(error = %err, "sync round failed; retrying");
                },
            }
            tokio::select! {
                () = &mut stop => return Ok(()),
                () = tokio::time::sleep(RETRY_AFTER) => {}
            }
        }
    })
}

/// Connects to both sides and syncs on every change until a connection fails.
async fn watch_round(args: &SyncArgs) -> Result<(), CliError> {
    let mut local = Peer::connect(&args.local).await?;
    let mut peer = Peer::connect(&args.peer).await?;
    local.listen().await?;
    peer.listen().await?;
    loop {
        once(&local, args).await?;
        // What this round caused (our own imports and pushes) is already synced.
        local.drain_changes();
        peer.drain_changes();
        tokio::select! {
            change = local.changed() => if change.is_none() { return Ok(()) },
            change = peer.changed() => if change.is_none() { return Ok(()) },
            () = tokio::time::sleep(RESYNC_EVERY) => {}
        }
    }
}

/// One `mindoo.sync` call on the local node; prints a line per table.
async fn once(local: &Peer, args: &SyncArgs) -> Result<(), CliError> {
    let pattern = match (&args.table, args.all) {
        (Some(table), _) => table.as_str(),
        (None, _) => "*",
    };
    let direction = if args.pull {
        "pull"
    } else if args.push {
        "push"
    } else {
        "both"
    };
    let batch = args.batch.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let rows = local
        .client()
        .query(
            "SELECT table_name, pulled, pulled_new, pushed, pull_seq, push_seq, quarantined, \
             audit_pulled, audit_pushed, audit_refused, audit_skipped \
             FROM mindoo.sync($1::text, $2::text, $3::text, $4::int4)",
            &[&args.peer, &pattern, &direction, &batch],
        )
        .await
        .map_err(mindoodb_client::Error::from)?;
    for row in rows {
        let get = |idx: usize| {
            row.try_get::<_, i64>(idx)
                .map_err(mindoodb_client::Error::from)
        };
        let table: String = row.try_get(0).map_err(mindoodb_client::Error::from)?;
        println!(
            "{table}: pulled {} ({} new), pushed {}; cursors: peer seq {}, local seq {}",
            get(1)?,
            get(2)?,
            get(3)?,
            get(4)?,
            get(5)?
        );
        let quarantined = get(6)?;
        if quarantined > 0 {
            println!(
                "{table}: {quarantined} entries refused and quarantined; see mindoo.quarantine('{table}')"
            );
        }
        let (audit_pulled, audit_pushed, audit_refused) = (get(7)?, get(8)?, get(9)?);
        if audit_pulled + audit_pushed + audit_refused > 0 {
            println!(
                "{table}: read-audit records pulled {audit_pulled}, pushed {audit_pushed}, refused {audit_refused}"
            );
        }
        if row
            .try_get::<_, bool>(10)
            .map_err(mindoodb_client::Error::from)?
        {
            println!(
                "{table}: read-audit log not synced: the peer's sync role may not read it (only the table's owner or a superuser)"
            );
        }
    }
    Ok(())
}
