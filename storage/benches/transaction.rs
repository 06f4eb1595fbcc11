//! CPU cost per document of one 500-document transaction of 256-byte JSON documents (the W2
//! bulk load's shape), format 1 (a signature per entry) against format 2 (one commit signs a
//! Merkle root over all 500), single-threaded:
//! - `seal_v1`: 500 × `seal` (encrypt, hash, sign);
//! - `seal_v2`: 500 × `seal_entry` (encrypt, hash) and one `sign_commit` (tree, signature);
//! - `commit_v1` / `commit_v2`: `Store::commit` of the sealed transaction alone (staging, the
//!   WriteBatch, one synced write), entries sealed before the clock starts;
//! - `seal_commit_v1` / `seal_commit_v2`: both, end to end; `seal_commit_v2_signed_in_pipeline`
//!   the same through `Store::commit_signed`, which signs in the commit thread;
//! - `verify_v1` / `verify_v2`: what an importer (sync, restore) checks per document: 500
//!   `verify_strict`s, or one commit signature and 500 leaf comparisons.
//!
//! After each it prints the process CPU per document (`tally`), the number docs/BENCHMARKS.md
//! "Format 2 transactions" quotes.
//!
//! Invariants:
//! - Inputs are built before the clock starts; every timed write is durable (synced WAL).
//! - Each variant commits into its own fresh store.
//!
//! See: docs/BENCHMARKS.md

mod common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use mindoodb_protocol::{
    AuthorClock, CommitDraft, CommitTree, EntryKind, SealedEntry, SignedCommit, UnverifiedCommit,
    UnverifiedEntry, VerifiedEntry, seal, seal_entry, sign_commit,
};

use common::{IDENTITY, KEY, StoreRig, Tally, draft, json_doc_sized, nonce, signing_txn};

/// Documents per transaction, as W2's multi-row INSERT.
const TXN_DOCS: u64 = 500;
/// Plaintext size of each document, as W2's.
const DOC_LEN: usize = 256;
/// Block cache of the stores; writes barely touch it.
const CACHE_BYTES: usize = 64 << 20;

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = transactions
}
criterion_main!(benches);

fn transactions(c: &mut Criterion) {
    let mut group = c.benchmark_group("txn500_256b");
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(TXN_DOCS));

    let bodies: Vec<Vec<u8>> = (0..TXN_DOCS)
        .map(|n| json_doc_sized(n, 0, DOC_LEN))
        .collect();
    let tally = Tally::new("seal_v1");
    group.bench_function("seal_v1", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for round in 0..iters {
                    black_box(seal_v1(&bodies, round * TXN_DOCS));
                }
            })
        });
    });
    tally.report();
    let tally = Tally::new("seal_v2");
    group.bench_function("seal_v2", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for round in 0..iters {
                    black_box(seal_v2(&bodies, round * TXN_DOCS));
                }
            })
        });
    });
    tally.report();

    let rig = StoreRig::new(CACHE_BYTES);
    let tally = Tally::new("commit_v1");
    group.bench_function("commit_v1", |b| {
        b.iter_custom(|iters| {
            let txns: Vec<Vec<VerifiedEntry>> = (0..iters)
                .map(|_| seal_v1(&bodies, rig.take_docs(TXN_DOCS).start))
                .collect();
            tally.time(iters * TXN_DOCS, || {
                for entries in txns {
                    rig.commit(rig.txn(entries));
                }
            })
        });
    });
    tally.report();
    let rig = StoreRig::new(CACHE_BYTES);
    let tally = Tally::new("commit_v2");
    group.bench_function("commit_v2", |b| {
        b.iter_custom(|iters| {
            let txns: Vec<SignedCommit> = (0..iters)
                .map(|_| seal_v2(&bodies, rig.take_docs(TXN_DOCS).start))
                .collect();
            tally.time(iters * TXN_DOCS, || {
                for signed in txns {
                    rig.commit(rig.txn(signed.entries));
                }
            })
        });
    });
    tally.report();

    let rig = StoreRig::new(CACHE_BYTES);
    let tally = Tally::new("seal_commit_v1");
    group.bench_function("seal_commit_v1", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for _ in 0..iters {
                    let first = rig.take_docs(TXN_DOCS).start;
                    rig.commit(rig.txn(seal_v1(&bodies, first)));
                }
            })
        });
    });
    tally.report();
    let rig = StoreRig::new(CACHE_BYTES);
    let tally = Tally::new("seal_commit_v2");
    group.bench_function("seal_commit_v2", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for _ in 0..iters {
                    let first = rig.take_docs(TXN_DOCS).start;
                    rig.commit(rig.txn(seal_v2(&bodies, first).entries));
                }
            })
        });
    });
    tally.report();
    let rig = StoreRig::new(CACHE_BYTES);
    let tally = Tally::new("seal_commit_v2_signed_in_pipeline");
    group.bench_function("seal_commit_v2_signed_in_pipeline", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for _ in 0..iters {
                    let first = rig.take_docs(TXN_DOCS).start;
                    let txn = signing_txn(rig.table, sealed_v2(&bodies, first));
                    rig.store.commit_signed(txn).expect("commit");
                }
            })
        });
    });
    tally.report();

    let v1: Vec<Vec<u8>> = seal_v1(&bodies, 0)
        .iter()
        .map(|e| e.bytes().to_vec())
        .collect();
    let tally = Tally::new("verify_v1");
    group.bench_function("verify_v1", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for _ in 0..iters {
                    for bytes in &v1 {
                        let entry = UnverifiedEntry::parse(bytes.as_slice()).expect("parse");
                        black_box(entry.verify().expect("verify"));
                    }
                }
            })
        });
    });
    tally.report();
    let signed = seal_v2(&bodies, 0);
    let commit = signed.tree.commit().bytes().to_vec();
    let leaves = signed.tree.leaves().to_vec();
    let v2: Vec<Vec<u8>> = signed.entries.iter().map(|e| e.bytes().to_vec()).collect();
    let tally = Tally::new("verify_v2");
    group.bench_function("verify_v2", |b| {
        b.iter_custom(|iters| {
            tally.time(iters * TXN_DOCS, || {
                for _ in 0..iters {
                    let commit = UnverifiedCommit::parse(commit.as_slice())
                        .expect("parse")
                        .verify()
                        .expect("verify");
                    let tree = Arc::new(
                        CommitTree::new(Arc::new(commit), leaves.clone()).expect("leaves"),
                    );
                    for (index, bytes) in (0u32..).zip(&v2) {
                        let entry = UnverifiedEntry::parse(bytes.as_slice()).expect("parse");
                        black_box(entry.verify_leaf(&tree, index).expect("verify"));
                    }
                }
            })
        });
    });
    tally.report();
    group.finish();
}

/// Seals documents `first..first + 500` in format 1.
fn seal_v1(bodies: &[Vec<u8>], first: u64) -> Vec<VerifiedEntry> {
    (first..)
        .zip(bodies)
        .map(|(n, body)| {
            let draft = draft(n, EntryKind::Create, Vec::new(), 0);
            seal(draft, body, &KEY, &IDENTITY, nonce(n)).expect("seal")
        })
        .collect()
}

/// Seals documents `first..first + 500` in format 2, unsigned.
fn sealed_v2(bodies: &[Vec<u8>], first: u64) -> Vec<SealedEntry> {
    (first..)
        .zip(bodies)
        .map(|(n, body)| {
            let draft = draft(n, EntryKind::Create, Vec::new(), 0);
            seal_entry(draft, body, &KEY, IDENTITY.public(), nonce(n)).expect("seal")
        })
        .collect()
}

/// Seals documents `first..first + 500` in format 2 and signs them as one commit.
fn seal_v2(bodies: &[Vec<u8>], first: u64) -> SignedCommit {
    let draft = CommitDraft {
        clock: AuthorClock(1),
        prev: None,
    };
    sign_commit(&IDENTITY, draft, sealed_v2(bodies, first)).expect("commit")
}
