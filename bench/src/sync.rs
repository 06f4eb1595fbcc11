//! W8: initial sync throughput. A MindooDB release server holds a table of `n` sealed entries
//! (format 2, one signed commit per 10,000, as bulk loads write them; seeded through the
//! storage API: sealing them all takes longer than syncing them); an empty
//! local store pulls all of it over loopback with the client library, verifying every entry,
//! exactly as `mindoodb sync --pull` and `mindoo.sync` do. MindooDB only: PostgreSQL has no
//! counterpart. Goal (issue 6): 1,000,000 entries in at most 10 s.
//!
//! Invariants:
//! - Only the sync is timed: the source is seeded and served, and the target store opened,
//!   before the clock starts.
//! - The run counts what arrived: every entry must land exactly once, or the run fails.

use std::path::Path;
use std::time::Instant;

use mindoodb_client::{Direction, Peer, StoreTenant, SyncConfig, sync};
use mindoodb_protocol::{
    AuthorClock, AuthorKey, DataKey, DocId, Draft, EntryKind, Identity, KeyName, Nonce,
    SealedEntry, seal_entry,
};
use mindoodb_storage::{SigningTransaction, Store, StoreConfig};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::system::System;

/// The synced table.
const TABLE: &str = "crm";
/// Entries sealed and committed (under one signed commit) per seeding step.
const SEED_BATCH: usize = 10_000;
/// Entries per round trip and per local commit while syncing.
pub(crate) const SYNC_BATCH: usize = 10_000;

/// A MindooDB server from `bin` whose tenant holds `n` entries in `crm`; also the seconds
/// seeding took.
pub(crate) async fn source(bin: &Path, n: u64) -> Result<(System, f64)> {
    let began = Instant::now();
    let system = System::mindoo_seeded(bin, |data, tenant| seed(data, tenant, n)).await?;
    Ok((system, began.elapsed().as_secs_f64()))
}

/// Pulls all of `source`'s `crm` into an empty store; entries/s.
pub(crate) async fn initial_pull(source: &System, n: u64) -> Result<f64> {
    let target = tempfile::Builder::new()
        .prefix("mindoodb-bench-sync")
        .tempdir()
        .map_err(Error::io("temp dir for the sync target"))?;
    let store =
        Store::open(target.path(), &store_config()).map_err(storage("opening the target"))?;
    let tenant = store
        .create_tenant(source.user())
        .map_err(storage("creating the target tenant"))?
        .id;
    let local = StoreTenant { store, tenant };
    let conninfo = source.conninfo();
    let runtime = tokio::runtime::Handle::current();
    // Storage calls block: the sync runs on a blocking thread, as `mindoo.sync` does.
    let (seconds, pulled) = tokio::task::spawn_blocking(move || {
        runtime.block_on(async {
            let peer = Peer::connect(&conninfo).await?;
            let config = SyncConfig {
                direction: Direction::Pull,
                batch: SYNC_BATCH,
            };
            let began = Instant::now();
            let reports = sync(&local, &peer, TABLE, &config, &mut |_| {}).await?;
            let seconds = began.elapsed().as_secs_f64();
            Ok::<_, mindoodb_client::Error>((
                seconds,
                reports.iter().map(|r| r.pulled_new).sum::<u64>(),
            ))
        })
    })
    .await
    .map_err(|e| Error::process("the sync thread", e))?
    .map_err(|e| Error::process("syncing", e))?;
    if pulled != n {
        return Err(Error::process(
            "syncing",
            format!("{pulled} entries arrived, {n} expected"),
        ));
    }
    Ok(n as f64 / seconds)
}

fn store_config() -> StoreConfig {
    StoreConfig {
        cache_bytes: 128 << 20,
    }
}

fn storage(what: &'static str) -> impl FnOnce(mindoodb_storage::Error) -> Error {
    move |e| Error::process(what, e)
}

/// `n` creates of distinct documents, ~100 bytes of JSON each, sealed on every core and
/// committed in big imports into tenant `tenant` of a new store at `data`.
fn seed(data: &Path, tenant: &str, n: u64) -> Result<()> {
    let store = Store::open(data, &store_config()).map_err(storage("opening the source"))?;
    let tenant = store
        .create_tenant(tenant)
        .map_err(storage("creating the source tenant"))?
        .id;
    let table = store
        .create_table(tenant, TABLE, None, Default::default())
        .map_err(storage("creating the source table"))?
        .table;
    let key = DataKey::from_secret(
        KeyName::new("default").map_err(|e| Error::process("key name", e))?,
        1,
        Zeroizing::new([7; 32]),
    )
    .map_err(|e| Error::process("bench key", e))?;
    let identity = std::sync::Arc::new(Identity::from_seed(&[9; 32]));
    let n_threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let mut next = 0;
    while next < n {
        let batch = (SEED_BATCH as u64).min(n - next);
        let per_thread = batch.div_ceil(n_threads);
        let sealed: Vec<Result<SealedEntry>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..n_threads)
                .map(|t| {
                    let (key, author) = (&key, identity.public());
                    scope.spawn(move || {
                        let from = next + t * per_thread;
                        let to = (from + per_thread).min(next + batch);
                        (from..to)
                            .map(|i| entry(i, key, author))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join().unwrap_or_else(|_| {
                        vec![Err(Error::process("seeding", "a sealing thread panicked"))]
                    })
                })
                .collect()
        });
        let writes = sealed
            .into_iter()
            .map(|entry| entry.map(|entry| (table, entry)))
            .collect::<Result<Vec<_>>>()?;
        store
            .commit_signed(SigningTransaction {
                signer: identity.clone(),
                clock: AuthorClock(1_764_000_000_000_000 + next as i64),
                writes,
            })
            .map_err(storage("seeding the source"))?;
        next += batch;
    }
    Ok(())
}

fn entry(i: u64, key: &DataKey, author: AuthorKey) -> Result<SealedEntry> {
    let json = format!(
        r#"{{"type":"customer","name":"customer {i}","city":"Hamburg","revenue":{}}}"#,
        i % 1000
    );
    let draft = Draft {
        kind: EntryKind::Create,
        doc_id: DocId::new(format!("doc-{i:09}")).map_err(|e| Error::process("doc id", e))?,
        parents: Vec::new(),
        clock: AuthorClock(1_764_000_000_000_000 + i as i64),
        signer_role: String::new(),
    };
    let mut nonce = [0u8; 12];
    nonce[..8].copy_from_slice(&i.to_le_bytes());
    seal_entry(draft, json.as_bytes(), key, author, Nonce(nonce))
        .map_err(|e| Error::process("sealing", e))
}
