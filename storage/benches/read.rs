//! Reads over a table of 100,000 documents of 1 KiB JSON (plus 10,000 updates), in documents
//! per second:
//! - `scan_decrypt/1`: `Snapshot::documents` over the whole table in id order, `open` on every
//!   winner;
//! - `scan_decrypt/<cores>`: the same on one thread per core, each reading its `ScanPart` of one
//!   shared snapshot (as a query engine splits a table into partitions);
//! - `scan/1`: the scan without decryption, to separate engine cost from AES-256-GCM-SIV;
//! - `scan_pages/1`: `Snapshot::scan` pages of 1,000 without decryption, the paging API;
//! - `changes/1`: `Snapshot::changes` pages of 10,000 through the feed;
//! - `changes_decrypt/1`: the same with `open` on every change, as `mindoo.changes` needs.
//!
//! Invariants:
//! - The table is loaded once, then the store is reopened so reads hit SST files (with a block
//!   cache large enough to hold the table, as a server would configure it); measuring starts
//!   once RocksDB's background flushes and compactions are done and one untimed pass has
//!   warmed the cache.
//! - Every iteration reads one document; a sample reads on from the start of the table (or of
//!   its part) and wraps around at the end.
//! - One document in ten was updated after all creates, so its winner sits at the end of the
//!   log, away from its neighbours' winners: scans do not read the log strictly in order.
//!
//! See: docs/BENCHMARKS.md

mod common;

use std::hint::black_box;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use mindoodb_protocol::{DocId, EntryHash, open};
use mindoodb_storage::{Document, ScanPart, Seq, Snapshot};

use common::{KEY, StoreRig, Tally, seal_create, seal_parallel, seal_update, share};

/// Documents in the table.
const N_DOCS: u64 = 100_000;
/// Every `UPDATE_EVERY`-th document gets a second revision.
const UPDATE_EVERY: u64 = 10;
/// Writes per loading transaction.
const LOAD_TXN: u64 = 1_000;
/// Documents per `scan` call.
const SCAN_PAGE: usize = 1_000;
/// Changes per `changes` call.
const FEED_PAGE: usize = 10_000;
/// Block cache: holds the whole table (about 150 MB of entries and indexes).
const CACHE_BYTES: usize = 512 << 20;

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = reads
}
criterion_main!(benches);

/// What a read benchmark does with each document.
#[derive(Clone, Copy)]
enum Use {
    /// Touches the ciphertext only.
    Sealed,
    /// Decrypts the winner with `open`.
    Decrypt,
}

fn reads(c: &mut Criterion) {
    let rig = load();
    let mut group = c.benchmark_group("read_1kib");
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(1));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let variants = [
        ("scan_decrypt", 1, Use::Decrypt),
        ("scan_decrypt", cores, Use::Decrypt),
        ("scan", 1, Use::Sealed),
    ];
    for (name, threads, use_) in variants {
        let tally = Tally::new(format!("{name}/{threads}"));
        group.bench_function(BenchmarkId::new(name, threads), |b| {
            b.iter_custom(|iters| tally.time(iters, || scan(&rig, iters, threads, use_)));
        });
        tally.report();
    }
    let tally = Tally::new("scan_pages/1");
    group.bench_function(BenchmarkId::new("scan_pages", 1), |b| {
        b.iter_custom(|iters| tally.time(iters, || scan_pages(&rig, iters)));
    });
    tally.report();
    for (name, use_) in [("changes", Use::Sealed), ("changes_decrypt", Use::Decrypt)] {
        let tally = Tally::new(format!("{name}/1"));
        group.bench_function(BenchmarkId::new(name, 1), |b| {
            b.iter_custom(|iters| tally.time(iters, || changes(&rig, iters, use_)));
        });
        tally.report();
    }
    group.finish();
}

/// Reads `iters` current documents through `documents` on `threads` threads, each reading its
/// own `ScanPart` of one snapshot.
fn scan(rig: &StoreRig, iters: u64, threads: usize, use_: Use) {
    let snapshot = rig.store.snapshot();
    let snapshot = &snapshot;
    std::thread::scope(|s| {
        for (idx, part) in ScanPart::split(threads).enumerate() {
            let n_docs = share(iters, threads, idx);
            s.spawn(move || scan_part(rig, snapshot, part, n_docs, use_));
        }
    });
}

/// Reads `n_docs` documents of `part`, starting over at its end.
fn scan_part(rig: &StoreRig, snapshot: &Snapshot<'_>, part: ScanPart, n_docs: u64, use_: Use) {
    let mut left = n_docs;
    while left > 0 {
        let before = left;
        for doc in snapshot.documents(rig.table, None, part) {
            read_doc(&doc.expect("scan"), use_);
            left -= 1;
            if left == 0 {
                break;
            }
        }
        assert!(left < before, "the part is not empty");
    }
}

/// Reads `iters` documents through `scan` pages, starting over at the table's end.
fn scan_pages(rig: &StoreRig, iters: u64) {
    let snapshot = rig.store.snapshot();
    let mut after: Option<DocId> = None;
    let mut left = iters;
    while left > 0 {
        let page_len = SCAN_PAGE.min(usize::try_from(left).unwrap_or(usize::MAX));
        let page = snapshot
            .scan(rig.table, after.as_ref(), page_len)
            .expect("scan");
        let Some(last) = page.last() else {
            assert!(after.is_some(), "the benchmark table is not empty");
            after = None;
            continue;
        };
        after = Some(last.id.clone());
        left -= page.len() as u64;
        for doc in &page {
            read_doc(doc, Use::Sealed);
        }
    }
}

/// Reads `iters` rows of the change feed, starting over at its end.
fn changes(rig: &StoreRig, iters: u64, use_: Use) {
    let snapshot = rig.store.snapshot();
    let mut since = Seq(0);
    let mut left = iters;
    while left > 0 {
        let page_len = FEED_PAGE.min(usize::try_from(left).unwrap_or(usize::MAX));
        let page = snapshot
            .changes(rig.table, since, page_len)
            .expect("changes");
        let Some(last) = page.last() else {
            assert!(since != Seq(0), "the benchmark feed is not empty");
            since = Seq(0);
            continue;
        };
        since = last.seq;
        left -= page.len() as u64;
        for change in &page {
            read_doc(&change.doc, use_);
        }
    }
}

fn read_doc(doc: &Document, use_: Use) {
    match use_ {
        Use::Decrypt => {
            let plaintext = open(&doc.winner, &KEY).expect("open");
            black_box(plaintext.as_slice());
        }
        Use::Sealed => {
            black_box(doc.winner.ciphertext());
        }
    }
}

/// A reopened store holding `N_DOCS` creates and an update of every `UPDATE_EVERY`-th one.
fn load() -> StoreRig {
    let rig = StoreRig::new(CACHE_BYTES);
    let docs = rig.take_docs(N_DOCS);
    let mut created: Vec<EntryHash> = Vec::with_capacity(N_DOCS as usize);
    for chunk_start in docs.clone().step_by(LOAD_TXN as usize) {
        let chunk = chunk_start..(chunk_start + LOAD_TXN).min(docs.end);
        let entries = seal_parallel(chunk, seal_create);
        created.extend(entries.iter().map(|e| e.hash()));
        rig.commit(rig.txn(entries));
    }
    let updated: Vec<u64> = docs.clone().step_by(UPDATE_EVERY as usize).collect();
    for chunk in updated.chunks(LOAD_TXN as usize) {
        let range = 0..chunk.len() as u64;
        let entries = seal_parallel(range, |idx| {
            let n = chunk[idx as usize];
            // Nonce counters above every create's.
            seal_update(n, 1, created[n as usize], N_DOCS + n)
        });
        rig.commit(rig.txn(entries));
    }
    let rig = rig.reopen(CACHE_BYTES);
    common::wait_until_idle();
    // One untimed pass through both read paths fills the block cache, so the first benchmark
    // is not charged for warming it.
    scan(&rig, N_DOCS, 1, Use::Decrypt);
    changes(&rig, N_DOCS, Use::Decrypt);
    rig
}
