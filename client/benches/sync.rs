//! Initial sync throughput: entries per second for pulling a table of 1,000,000 entries
//! (`MINDOODB_BENCH_ENTRIES` to change) from a real `mindoodb serve` over loopback into an
//! empty local store, every entry verified (goal: at most 10 s).
//!
//! The source is seeded through the storage API (sealing a million entries takes longer than
//! the sync), then served by the `mindoodb` binary of the same build profile, found next to
//! this bench (`cargo build -p mindoodb-server [--release]` first) or at `MINDOODB_BIN`.
//! Prints one result line; results are recorded in docs/OPERATIONS.md#sync-throughput.

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use mindoodb_client::{Direction, LocalNode, Peer, SyncConfig, sync};
use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryKind, Identity, KeyName, Nonce, VerifiedEntry, seal,
};
use mindoodb_storage::{Store, StoreConfig, TenantId, Transaction, Write};
use zeroize::Zeroizing;

const TENANT: &str = "bench";
const TABLE: &str = "crm";
const PASSWORD: &str = "bench";
const SEED_BATCH: usize = 10_000;

struct Local {
    store: Store,
    tenant: TenantId,
}

impl LocalNode for Local {
    fn store(&self) -> &Store {
        &self.store
    }

    fn tenant(&self) -> TenantId {
        self.tenant
    }
}

/// Kills the server when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; a filter that names another bench skips this one.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && a != "sync")
    {
        return Ok(());
    }
    let n_entries: usize = std::env::var("MINDOODB_BENCH_ENTRIES")
        .ok()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let binary = server_binary()?;
    let config = StoreConfig {
        cache_bytes: 128 << 20,
    };

    let source = tempfile::tempdir()?;
    let started = Instant::now();
    seed(&Store::open(source.path(), &config)?, n_entries)?;
    eprintln!(
        "seeded {n_entries} entries in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (server, port) = serve(&binary, source.path())?;
    let target = tempfile::tempdir()?;
    let store = Store::open(target.path(), &config)?;
    let tenant = store.create_tenant(TENANT)?.id;
    let local = Local { store, tenant };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let conninfo = format!(
        "host=127.0.0.1 port={port} user=bench password={PASSWORD} dbname={TENANT} sslmode=disable"
    );
    let started = Instant::now();
    let reports = runtime.block_on(async {
        let peer = Peer::connect(&conninfo).await?;
        let config = SyncConfig {
            direction: Direction::Pull,
            batch: 5000,
        };
        sync(&local, &peer, TABLE, &config, &mut |_| {}).await
    })?;
    let seconds = started.elapsed().as_secs_f64();
    drop(server);
    let pulled: u64 = reports.iter().map(|r| r.pulled_new).sum();
    assert_eq!(pulled, n_entries as u64, "every entry arrived once");
    println!(
        "sync/initial_pull/{n_entries}: {seconds:.2} s, {:.0} entries/s (goal: 1M in <= 10 s)",
        n_entries as f64 / seconds
    );
    Ok(())
}

/// `n` creates of distinct documents, ~100-byte JSON each, committed in big imports.
fn seed(store: &Store, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let tenant = store.create_tenant(TENANT)?.id;
    let table = store.create_table(tenant, TABLE, None)?.table;
    let key = DataKey::from_secret(KeyName::new("default")?, 1, Zeroizing::new([7; 32]))?;
    let identity = Identity::from_seed(&[9; 32]);
    let n_threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut next = 0;
    while next < n {
        let batch = SEED_BATCH.min(n - next);
        let per_thread = batch.div_ceil(n_threads);
        let entries: Vec<VerifiedEntry> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..n_threads)
                .map(|t| {
                    let (key, identity) = (&key, &identity);
                    scope.spawn(move || {
                        let from = next + t * per_thread;
                        let to = (from + per_thread).min(next + batch);
                        (from..to)
                            .map(|i| entry(i, key, identity))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap_or_default())
                .collect()
        });
        store.commit(Transaction {
            writes: entries
                .into_iter()
                .map(|entry| Write::Import { table, entry })
                .collect(),
        })?;
        next += batch;
    }
    Ok(())
}

fn entry(i: usize, key: &DataKey, identity: &Identity) -> VerifiedEntry {
    let json = format!(
        r#"{{"type":"customer","name":"customer {i}","city":"Hamburg","revenue":{}}}"#,
        i % 1000
    );
    let draft = Draft {
        kind: EntryKind::Create,
        doc_id: DocId::new(format!("doc-{i:08}")).unwrap_or_else(|_| unreachable!()),
        parents: Vec::new(),
        clock: AuthorClock(1_764_000_000_000_000 + i as i64),
        signer_role: String::new(),
    };
    let mut nonce = [0u8; 12];
    nonce[..8].copy_from_slice(&(i as u64).to_le_bytes());
    seal(draft, json.as_bytes(), key, identity, Nonce(nonce))
        .unwrap_or_else(|e| unreachable!("sealing a fixed draft: {e}"))
}

/// Starts `mindoodb serve` on `dir` and returns it with its port.
fn serve(
    binary: &PathBuf,
    dir: &std::path::Path,
) -> Result<(Server, u16), Box<dyn std::error::Error>> {
    let mut child = Command::new(binary)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("MINDOODB_USER", "bench")
        .env("MINDOODB_PASSWORD", PASSWORD)
        .env("MINDOODB_DB", TENANT)
        .env("RUST_LOG", "warn,mindoodb=info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line?;
        if line.contains("listening")
            && let Some(addr) = line.split("addr=").nth(1)
            && let Some(port) = addr
                .split_whitespace()
                .next()
                .and_then(|a| a.trim_matches('"').rsplit(':').next())
        {
            let port: u16 = port.parse()?;
            // Keep draining the log so the server never blocks on a full pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return Ok((server, port));
        }
    }
    Err("the server exited before listening".into())
}

fn server_binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(path) = std::env::var_os("MINDOODB_BIN") {
        return Ok(PathBuf::from(path));
    }
    // target/<profile>/deps/sync-<hash> → target/<profile>/mindoodb
    let exe = std::env::current_exe()?;
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("mindoodb"))
        .ok_or("cannot locate the target directory")?;
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: build it first (cargo build -p mindoodb-server, --release for cargo bench)",
            path.display()
        )
        .into())
    }
}
