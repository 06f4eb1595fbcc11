//! Durable appends of 1 KiB JSON documents, in documents per second, with 1, 16 and 64 appender
//! threads that each commit one document per transaction and wait for its acknowledgement:
//! - `mindoodb_seal_commit`: the full write path, `seal` (AES-256-GCM-SIV, BLAKE3, Ed25519)
//!   then `Store::commit` (group commit, one synced WriteBatch per group);
//! - `mindoodb_commit_presealed`: `Store::commit` alone, entries sealed before the clock starts
//!   (1 and 16 appenders);
//! - `mindoodb_seal_commit_signed`: the same documents in format 2, one commit each, which the
//!   commit thread signs (`Store::commit_signed`; 1 and 16 appenders): the W1 shape, where a
//!   transaction holds one document and format 2 saves no signature;
//! - `rocksdb_put_sync`: the baseline, the same sealed bytes as single `put`s with
//!   `set_sync(true)` into a plain `rocksdb::DB` with default options;
//! - `disk_append_fdatasync`: the disk's floor, one 1.2 KB append plus `fdatasync` to a plain
//!   file (what one WAL sync costs), one thread.
//!
//! After each appender count it prints the ratio of `mindoodb_seal_commit` to `rocksdb_put_sync`
//! in documents per wall second.
//!
//! Invariants:
//! - Every measured write is durable (WAL fsync) before its thread moves on; nothing here turns
//!   durability off.
//! - Each variant appends to its own fresh store, so the variants do not slow each other down.
//!
//! See: docs/BENCHMARKS.md

mod common;

use std::fs::File;
use std::hint::black_box;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use mindoodb_protocol::VerifiedEntry;
use rocksdb::{DB, Options, WriteOptions};
use tempfile::TempDir;

use common::{
    APPENDERS, StoreRig, Tally, seal_create, seal_entry_create, seal_parallel, share, signing_txn,
};

/// Block cache of the append stores; writes barely touch it.
const CACHE_BYTES: usize = 64 << 20;
/// Appenders in the variant that shows how group commit scales past the target's 16.
const MANY_APPENDERS: usize = 64;
/// Distinct sealed values the raw baseline cycles through.
const RAW_VALUE_POOL: u64 = 256;

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = appends
}
criterion_main!(benches);

fn appends(c: &mut Criterion) {
    let mut group = c.benchmark_group("append_1kib_durable");
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(1));

    let dir = tempfile::tempdir().expect("temp dir");
    let mut wal = File::create(dir.path().join("wal")).expect("create file");
    let record = seal_create(0).bytes().to_vec();
    let tally = Tally::new("disk_append_fdatasync/1");
    group.bench_function(BenchmarkId::new("disk_append_fdatasync", 1), |b| {
        b.iter_custom(|iters| {
            tally.time(iters, || {
                for _ in 0..iters {
                    wal.write_all(&record).expect("append");
                    wal.sync_data().expect("fdatasync");
                }
            })
        });
    });
    tally.report();

    // Each appender count runs its variants back to back, so that the ratio compares runs
    // that saw the same load on this shared machine.
    for threads in [1, APPENDERS, MANY_APPENDERS] {
        let rig = StoreRig::new(CACHE_BYTES);
        let tally = Tally::new(format!("mindoodb_seal_commit/{threads}"));
        group.bench_with_input(
            BenchmarkId::new("mindoodb_seal_commit", threads),
            &threads,
            |b, &threads| b.iter_custom(|iters| seal_and_commit(&rig, &tally, iters, threads)),
        );
        let sealed = tally.report();
        if threads <= APPENDERS {
            let rig = StoreRig::new(CACHE_BYTES);
            let tally = Tally::new(format!("mindoodb_seal_commit_signed/{threads}"));
            group.bench_with_input(
                BenchmarkId::new("mindoodb_seal_commit_signed", threads),
                &threads,
                |b, &threads| {
                    b.iter_custom(|iters| seal_and_commit_signed(&rig, &tally, iters, threads))
                },
            );
            tally.report();
            let rig = StoreRig::new(CACHE_BYTES);
            let tally = Tally::new(format!("mindoodb_commit_presealed/{threads}"));
            group.bench_with_input(
                BenchmarkId::new("mindoodb_commit_presealed", threads),
                &threads,
                |b, &threads| b.iter_custom(|iters| commit_presealed(&rig, &tally, iters, threads)),
            );
            tally.report();
        }
        let raw = RawRig::new();
        let tally = Tally::new(format!("rocksdb_put_sync/{threads}"));
        group.bench_with_input(
            BenchmarkId::new("rocksdb_put_sync", threads),
            &threads,
            |b, &threads| b.iter_custom(|iters| raw.put_sync(&tally, iters, threads)),
        );
        if let (Some(sealed), Some(raw)) = (sealed, tally.report()) {
            eprintln!(
                "ratio mindoodb_seal_commit/{threads} to rocksdb_put_sync/{threads}: {:.2} ({sealed:.0} / {raw:.0} docs/s wall)",
                sealed / raw
            );
        }
    }
    group.finish();
}

/// `iters` documents over `threads` appenders, each sealing and committing one at a time.
fn seal_and_commit(rig: &StoreRig, tally: &Tally, iters: u64, threads: usize) -> Duration {
    tally.time(iters, || {
        std::thread::scope(|s| {
            for thread_idx in 0..threads {
                let docs = rig.take_docs(share(iters, threads, thread_idx));
                s.spawn(move || {
                    for n in docs {
                        rig.commit(rig.txn([seal_create(n)]));
                    }
                });
            }
        });
    })
}

/// Like `seal_and_commit` in format 2: each document one commit, signed by the commit thread.
fn seal_and_commit_signed(rig: &StoreRig, tally: &Tally, iters: u64, threads: usize) -> Duration {
    tally.time(iters, || {
        std::thread::scope(|s| {
            for thread_idx in 0..threads {
                let docs = rig.take_docs(share(iters, threads, thread_idx));
                s.spawn(move || {
                    for n in docs {
                        let txn = signing_txn(rig.table, vec![seal_entry_create(n)]);
                        rig.store.commit_signed(txn).expect("commit");
                    }
                });
            }
        });
    })
}

/// Like `seal_and_commit`, but the entries are sealed before the clock starts.
fn commit_presealed(rig: &StoreRig, tally: &Tally, iters: u64, threads: usize) -> Duration {
    let mut entries = seal_parallel(rig.take_docs(iters), seal_create).into_iter();
    let per_thread: Vec<Vec<VerifiedEntry>> = (0..threads)
        .map(|thread_idx| {
            let n = share(iters, threads, thread_idx) as usize;
            entries.by_ref().take(n).collect()
        })
        .collect();
    tally.time(iters, || {
        std::thread::scope(|s| {
            for mine in per_thread {
                s.spawn(move || {
                    for entry in mine {
                        rig.commit(rig.txn([entry]));
                    }
                });
            }
        });
    })
}

/// A plain RocksDB with default options, for the raw baseline.
struct RawRig {
    db: DB,
    values: Vec<Vec<u8>>, // Invariant: sealed 1 KiB documents, as the MindooDB log stores them.
    next_key: AtomicU64,
    _dir: TempDir, // Dropped after `db`.
}

impl RawRig {
    fn new() -> RawRig {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut opts = Options::default();
        opts.create_if_missing(true);
        let db = DB::open(&opts, dir.path()).expect("open raw rocksdb");
        let values = seal_parallel(0..RAW_VALUE_POOL, seal_create)
            .into_iter()
            .map(|entry| entry.bytes().to_vec())
            .collect();
        RawRig {
            db,
            values,
            next_key: AtomicU64::new(0),
            _dir: dir,
        }
    }

    /// `iters` synced puts over `threads` writers; keys are 16 bytes like the log's.
    #[allow(
        clippy::big_endian_bytes,
        reason = "keys sort numerically, as the MindooDB log's do"
    )]
    fn put_sync(&self, tally: &Tally, iters: u64, threads: usize) -> Duration {
        let mut sync = WriteOptions::default();
        sync.set_sync(true);
        let sync = &sync;
        tally.time(iters, || {
            std::thread::scope(|s| {
                for thread_idx in 0..threads {
                    let n = share(iters, threads, thread_idx);
                    let first = self.next_key.fetch_add(n, Ordering::Relaxed);
                    s.spawn(move || {
                        for seq in first..first + n {
                            let mut key = [0u8; 16];
                            key[8..].copy_from_slice(&seq.to_be_bytes());
                            let value = &self.values[(seq % RAW_VALUE_POOL) as usize];
                            self.db
                                .put_opt(black_box(key), value, sync)
                                .expect("raw put");
                        }
                    });
                }
            });
        })
    }
}
