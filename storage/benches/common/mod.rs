//! Shared fixtures for the storage benchmarks: deterministic 1 KiB JSON documents, sealing
//! with a fixed key and identity, and stores in temp dirs.
//!
//! Invariants:
//! - Data is deterministic: document `n` always has the same id, JSON body and nonce (a
//!   counter, unique per store), so runs are comparable and nothing depends on unseeded
//!   randomness.
//! - Every store lives in a temp dir on the same disk as `/tmp`, never in tmpfs-only memory.
//!
//! See: docs/BENCHMARKS.md
#![allow(
    dead_code,
    reason = "each bench binary uses its own subset of these helpers"
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

use criterion::Criterion;
use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryHash, EntryKind, Identity, KeyName, Nonce,
    SealedEntry, VerifiedEntry, seal, seal_entry,
};
use mindoodb_storage::{
    Outcome, SigningTransaction, Store, StoreConfig, Table, Transaction, Write,
};
use tempfile::TempDir;
use zeroize::Zeroizing;

/// Plaintext size of every benchmark document, in bytes.
pub(crate) const DOC_BYTES: usize = 1024;
/// Concurrent appenders in the multi-writer variants.
pub(crate) const APPENDERS: usize = 16;
/// Seed of the generator that fills document bodies.
const SEED: u64 = 0x4d44_4245_0000_0001;
/// Author clock of every revision 0; revision `r` gets `BASE_CLOCK + r`.
const BASE_CLOCK: i64 = 1_764_000_000_000_000;
const WORDS: [&str; 16] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa",
];
const CITIES: [&str; 8] = [
    "Berlin", "Hamburg", "Munich", "Cologne", "Zurich", "Vienna", "Paris", "Oslo",
];

/// Criterion settings shared by all storage benches: few samples, a few seconds each, so the
/// whole `cargo bench -p mindoodb-storage` run stays within a few minutes.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .without_plots()
}

/// Wall and process CPU time spent in the timed regions of one benchmark, printed after it, so
/// the report can separate this shared machine's load from the CPU cost per document.
pub(crate) struct Tally {
    name: String,
    totals: Mutex<Totals>,
}

#[derive(Default)]
struct Totals {
    docs: u64,
    wall: Duration,
    cpu: Duration,
}

impl Tally {
    pub(crate) fn new(name: impl Into<String>) -> Tally {
        Tally {
            name: name.into(),
            totals: Mutex::new(Totals::default()),
        }
    }

    /// Runs `work`, which handles `docs` documents, and returns its wall time.
    pub(crate) fn time(&self, docs: u64, work: impl FnOnce()) -> Duration {
        let cpu_before = process_cpu();
        let start = Instant::now();
        work();
        let wall = start.elapsed();
        let cpu = process_cpu().saturating_sub(cpu_before);
        let mut totals = self.totals.lock().unwrap_or_else(PoisonError::into_inner);
        totals.docs += docs;
        totals.wall += wall;
        totals.cpu += cpu;
        wall
    }

    /// Prints documents per wall second and process CPU microseconds per document; returns the
    /// documents per wall second, `None` when the benchmark did not run (filtered out).
    pub(crate) fn report(&self) -> Option<f64> {
        let totals = self.totals.lock().unwrap_or_else(PoisonError::into_inner);
        if totals.docs == 0 {
            return None;
        }
        let docs = totals.docs as f64;
        let per_second = docs / totals.wall.as_secs_f64();
        eprintln!(
            "tally {}: {} docs, {:.0} docs/s wall, {:.2} us CPU/doc (all threads), {:.0} docs per CPU-second",
            self.name,
            totals.docs,
            per_second,
            totals.cpu.as_secs_f64() * 1e6 / docs,
            docs / totals.cpu.as_secs_f64(),
        );
        Some(per_second)
    }
}

/// A store in a temp dir with one tenant and one table.
pub(crate) struct StoreRig {
    pub(crate) store: Store,
    pub(crate) table: Table,
    next_doc: AtomicU64, // Invariant: documents below it were handed out exactly once.
    dir: TempDir,        // Dropped last: the store must close before its directory goes.
}

impl StoreRig {
    /// An empty store with tenant `bench` and table `docs`.
    pub(crate) fn new(cache_bytes: usize) -> StoreRig {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_store(&dir, cache_bytes);
        let tenant = store.create_tenant("bench").expect("create tenant");
        let table = store
            .create_table(tenant.id, "docs", None, Default::default())
            .expect("create table")
            .table;
        StoreRig {
            store,
            table,
            next_doc: AtomicU64::new(0),
            dir,
        }
    }

    /// Closes and reopens the store: RocksDB flushes the recovered WAL into SST files, so
    /// later reads come from disk-format tables as they would after a restart.
    pub(crate) fn reopen(self, cache_bytes: usize) -> StoreRig {
        let StoreRig {
            store,
            table,
            next_doc,
            dir,
        } = self;
        drop(store);
        StoreRig {
            store: open_store(&dir, cache_bytes),
            table,
            next_doc,
            dir,
        }
    }

    /// Hands out `n` fresh document numbers.
    pub(crate) fn take_docs(&self, n: u64) -> std::ops::Range<u64> {
        let first = self.next_doc.fetch_add(n, Ordering::Relaxed);
        first..first + n
    }

    /// A transaction of local writes into the rig's table.
    pub(crate) fn txn(&self, entries: impl IntoIterator<Item = VerifiedEntry>) -> Transaction {
        Transaction {
            writes: entries
                .into_iter()
                .map(|entry| Write::Local {
                    table: self.table,
                    entry,
                })
                .collect(),
        }
    }

    /// Commits durably and checks that every write was appended (not a duplicate).
    pub(crate) fn commit(&self, txn: Transaction) {
        let n_writes = txn.writes.len();
        let receipt = self.store.commit(txn).expect("commit");
        debug_assert_eq!(receipt.outcomes.len(), n_writes);
        assert!(
            receipt
                .outcomes
                .iter()
                .all(|o| matches!(o, Outcome::Appended(_))),
            "every benchmark write is new"
        );
    }
}

/// The data key every benchmark document is sealed under.
pub(crate) static KEY: LazyLock<DataKey> = LazyLock::new(|| {
    DataKey::from_secret(
        KeyName::new("default").expect("valid key name"),
        1,
        Zeroizing::new([0x11; 32]),
    )
    .expect("valid key")
});

/// The identity that signs every benchmark document (a node key, as for a server session).
pub(crate) static IDENTITY: LazyLock<Identity> = LazyLock::new(|| Identity::from_seed(&[0x22; 32]));

/// `IDENTITY` shared with a store's commit thread, which signs format-2 commits with it.
pub(crate) static SIGNER: LazyLock<Arc<Identity>> =
    LazyLock::new(|| Arc::new(Identity::from_seed(&[0x22; 32])));

/// Seals the create of document `n` (revision 0, nonce counter `n`).
pub(crate) fn seal_create(n: u64) -> VerifiedEntry {
    let draft = draft(n, EntryKind::Create, Vec::new(), 0);
    seal(draft, &json_doc(n, 0), &KEY, &IDENTITY, nonce(n)).expect("benchmark documents seal")
}

/// Seals the create of document `n` in format 2, for a commit to sign.
pub(crate) fn seal_entry_create(n: u64) -> SealedEntry {
    let draft = draft(n, EntryKind::Create, Vec::new(), 0);
    seal_entry(draft, &json_doc(n, 0), &KEY, IDENTITY.public(), nonce(n))
        .expect("benchmark documents seal")
}

/// A transaction of `entries` into the rig's table that the commit thread signs.
pub(crate) fn signing_txn(table: Table, entries: Vec<SealedEntry>) -> SigningTransaction {
    SigningTransaction {
        signer: SIGNER.clone(),
        clock: AuthorClock(BASE_CLOCK),
        writes: entries.into_iter().map(|entry| (table, entry)).collect(),
    }
}

/// Seals revision `rev` of document `n`, replacing `parent`. `nonce_counter` must differ from
/// every other entry's in the same store.
pub(crate) fn seal_update(
    n: u64,
    rev: u32,
    parent: EntryHash,
    nonce_counter: u64,
) -> VerifiedEntry {
    let draft = draft(n, EntryKind::Update, vec![parent], rev);
    let body = json_doc(n, rev);
    seal(draft, &body, &KEY, &IDENTITY, nonce(nonce_counter)).expect("benchmark documents seal")
}

/// Document `n`'s id: zero-padded so id order is creation order, like generated ids.
pub(crate) fn doc_id(n: u64) -> DocId {
    DocId::new(format!("doc-{n:012}")).expect("valid doc id")
}

/// Revision `rev` of document `n`'s body: exactly `DOC_BYTES` of valid JSON, deterministic.
pub(crate) fn json_doc(n: u64, rev: u32) -> Vec<u8> {
    json_doc_sized(n, rev, DOC_BYTES)
}

/// Like `json_doc`, exactly `len` bytes (at least 200: the fixed fields).
pub(crate) fn json_doc_sized(n: u64, rev: u32, len: usize) -> Vec<u8> {
    let mut rng = SplitMix64(SEED ^ n ^ (u64::from(rev) << 48));
    let mut out = format!(
        r#"{{"id":"{}","n":{n},"rev":{rev},"name":"customer {n}","city":"{}","revenue":{},"active":{},"notes":""#,
        doc_id(n),
        CITIES[rng.below(CITIES.len())],
        rng.next_u64() % 1_000_000,
        rng.next_u64().is_multiple_of(2),
    );
    let tail = "\"}";
    while out.len() < len - tail.len() {
        out.push_str(WORDS[rng.below(WORDS.len())]);
        out.push(' ');
    }
    // Only ASCII was pushed, so truncating at any byte keeps valid UTF-8.
    out.truncate(len - tail.len());
    out.push_str(tail);
    debug_assert_eq!(out.len(), len);
    out.into_bytes()
}

/// Splits `total` items over `n_parts` as evenly as possible; part `idx`'s share.
pub(crate) fn share(total: u64, n_parts: usize, idx: usize) -> u64 {
    let n_parts = n_parts as u64;
    let idx = idx as u64;
    total / n_parts + u64::from(idx < total % n_parts)
}

/// Seals many documents using every core: `make(n)` for each `n` in `range`, in order.
pub(crate) fn seal_parallel<F>(range: std::ops::Range<u64>, make: F) -> Vec<VerifiedEntry>
where
    F: Fn(u64) -> VerifiedEntry + Sync,
{
    let n_threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = range.end - range.start;
    let mut starts = Vec::with_capacity(n_threads);
    let mut at = range.start;
    for idx in 0..n_threads {
        let len = share(total, n_threads, idx);
        starts.push(at..at + len);
        at += len;
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = starts
            .into_iter()
            .map(|part| s.spawn(|| part.map(&make).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("sealing thread"))
            .collect()
    })
}

/// Waits until this process has used under 4% of one core for half a second, so that
/// RocksDB's background flushes and compactions after a bulk load do not run during a read
/// benchmark. Gives up after a minute.
pub(crate) fn wait_until_idle() {
    const WINDOW: Duration = Duration::from_millis(500);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let before = process_cpu();
        std::thread::sleep(WINDOW);
        if process_cpu().saturating_sub(before) < WINDOW / 25 {
            return;
        }
    }
}

/// User plus system CPU time of this whole process so far (all threads, exited ones included),
/// from `/proc/self/stat` in clock ticks of 10 ms; zero where that file does not exist.
fn process_cpu() -> Duration {
    const TICK: Duration = Duration::from_millis(10);
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the parenthesised command name, from field 3 (state); utime and stime are
    // fields 14 and 15.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u32 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|field| field.parse::<u32>().ok())
        .sum();
    TICK * ticks
}

fn open_store(dir: &TempDir, cache_bytes: usize) -> Store {
    Store::open(dir.path(), &StoreConfig { cache_bytes }).expect("open store")
}

pub(crate) fn draft(n: u64, kind: EntryKind, parents: Vec<EntryHash>, rev: u32) -> Draft {
    Draft {
        kind,
        doc_id: doc_id(n),
        parents,
        clock: AuthorClock(BASE_CLOCK + i64::from(rev)),
        signer_role: String::new(),
    }
}

/// A counter nonce: unique per entry of one store, which is all AES-GCM-SIV needs. Production
/// draws `Nonce::random()` (one getrandom call, well under a microsecond).
pub(crate) fn nonce(counter: u64) -> Nonce {
    let mut bytes = [0u8; 12];
    bytes[..8].copy_from_slice(&counter.to_le_bytes());
    bytes[8..].copy_from_slice(b"bnch");
    Nonce(bytes)
}

/// Sebastiano Vigna's SplitMix64: a tiny fixed-seed generator for document bodies.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}
