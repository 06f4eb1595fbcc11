//! The node options of `serve`: `--keyring FILE` makes a local node (the keyring's keys
//! unlocked for local sessions: loopback and the Unix socket), `--mirror-of CONNINFO` a keyless read-only mirror that
//! replicates a peer's tenant while it serves.
//!
//! Invariants:
//! - The keyring is unlocked once at start; its tokens live in `NodeMode::local_keys`
//!   (zeroizing memory) only, and are never logged.
//! - A mirror's replication runs on its own thread and runtime and is stopped and joined
//!   before `serve` returns, so the store closes after it.
//! - A mirror holds no keys: what it replicates is verified by signature only.
//!
//! See: README.md#local-node-sync-and-mirrors, docs/OPERATIONS.md#mirrors

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use mindoodb_client::{DEFAULT_BATCH, Direction, SyncConfig, TableReport, conninfo_dbname};
use mindoodb_storage::{Store, TenantId};

use super::CliError;
use super::keyring::open_keyring;
use crate::engine::{Engine, NodeMode, TenantNode};

/// `serve` options that decide what kind of node this is.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct NodeArgs {
    /// Run as a local node: unlock this keyring (passphrase from MINDOODB_KEYRING_PASSPHRASE
    /// or the terminal) and give its keys to sessions from this machine (loopback TCP and the
    /// Unix socket).
    #[arg(long, env = "MINDOODB_KEYRING", conflicts_with = "mirror_of")]
    pub(crate) keyring: Option<PathBuf>,
    /// Run as a read-only mirror of this peer's database (a conninfo): replicate it, verify
    /// it, serve it, refuse writes.
    #[arg(long, env = "MINDOODB_MIRROR_OF")]
    pub(crate) mirror_of: Option<String>,
    /// On a mirror, let sessions present keys (they then read plaintext on this machine).
    #[arg(long, requires = "mirror_of")]
    pub(crate) mirror_accept_keys: bool,
}

/// What `prepare` found: the engine's mode and the replication to run, if any.
pub(crate) struct Node {
    mode: NodeMode,
    mirror: Option<(String, TenantId)>,
}

impl Node {
    /// Unlocks the keyring or sets up the mirror's tenant.
    pub(crate) fn prepare(args: &NodeArgs, store: &Store) -> Result<Node, CliError> {
        if let Some(path) = &args.keyring {
            let keyring = open_keyring(path)?;
            tracing::info!(keyring = %path.display(), keys = keyring.keys().count(),
                identity = keyring.identity().is_some(),
                "local node: keyring unlocked for local sessions");
            return Ok(Node {
                mode: NodeMode {
                    local_keys: Some(keyring.tokens(&[])?),
                    ..NodeMode::default()
                },
                mirror: None,
            });
        }
        let Some(conninfo) = &args.mirror_of else {
            return Ok(Node {
                mode: NodeMode::default(),
                mirror: None,
            });
        };
        let name = conninfo_dbname(conninfo)?;
        let tenant = match store.tenant(&name) {
            Some(info) => info.id,
            None => store.create_tenant(&name)?.id,
        };
        tracing::info!(database = %name, accept_keys = args.mirror_accept_keys,
            "read-only mirror");
        Ok(Node {
            mode: NodeMode {
                local_keys: None,
                read_only: true,
                accept_keys: args.mirror_accept_keys,
            },
            mirror: Some((conninfo.clone(), tenant)),
        })
    }

    /// The engine's mode; the replication, if any, stays here for `run`.
    pub(crate) fn take_mode(&mut self) -> NodeMode {
        std::mem::take(&mut self.mode)
    }

    /// Runs `serve` and, on a mirror, the replication beside it until `serve` ends.
    pub(crate) async fn run<F: Future>(self, engine: Arc<Engine>, serve: F) -> F::Output {
        let Some((conninfo, tenant)) = self.mirror else {
            return serve.await;
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let replication = std::thread::Builder::new()
            .name("mindoodb-mirror".into())
            .spawn(move || replicate(engine, tenant, &conninfo, stopped));
        let out = serve.await;
        let _ = stop.send(());
        match replication {
            Ok(thread) => {
                let _ = tokio::task::spawn_blocking(move || thread.join()).await;
            }
            Err(err) => tracing::error!(error = %err, "could not start the mirror's replication"),
        }
        out
    }
}

/// Pulls every table of the peer into `tenant` until `stopped` fires.
fn replicate(
    engine: Arc<Engine>,
    tenant: TenantId,
    conninfo: &str,
    stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!(error = %err, "mirror runtime failed to start");
            return;
        }
    };
    let activity = engine.activity().clone();
    let node = TenantNode::new(engine, tenant);
    let config = SyncConfig {
        direction: Direction::Pull,
        batch: DEFAULT_BATCH,
    };
    let mut progress = |report: &TableReport| {
        tracing::info!(table = %report.table, pulled = report.pulled, new = report.pulled_new,
            peer_seq = report.pull_seq, audit_pulled = report.audit_pulled,
            audit_refused = report.audit_refused, audit_skipped = report.audit_skipped, "mirrored");
    };
    let mut rounds = |peer: &str, reports: &[TableReport]| {
        activity.sync_lag().record(peer, reports);
    };
    runtime.block_on(mindoodb_client::watch(
        &node,
        conninfo,
        "*",
        &config,
        &mut progress,
        &mut rounds,
        async {
            let _ = stopped.await;
        },
    ));
}
