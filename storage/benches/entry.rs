//! CPU cost of the per-entry protocol steps on one 1 KiB JSON document, single-threaded, to
//! break the append and read numbers down:
//! - `seal`: AES-256-GCM-SIV encryption, BLAKE3 hash, Ed25519 signature (every append);
//! - `parse`: copying the stored bytes and `UnverifiedEntry::parse`, which re-hashes with
//!   BLAKE3 (every entry a read returns);
//! - `verify`: the Ed25519 signature check (imports and `mindoo.verify`);
//! - `open`: AES-256-GCM-SIV decryption (every document a key holder reads).
//!
//! Invariants:
//! - Inputs are built before the clock starts; each iteration does exactly one step.
//!
//! See: docs/BENCHMARKS.md

mod common;

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mindoodb_protocol::{AuthorClock, DocId, Draft, EntryKind, Nonce, UnverifiedEntry, open, seal};

use common::{IDENTITY, KEY, json_doc, seal_create};

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = entry_steps
}
criterion_main!(benches);

fn entry_steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("entry_1kib");
    group.throughput(Throughput::Elements(1));

    let body = json_doc(0, 0);
    let draft = Draft {
        kind: EntryKind::Create,
        doc_id: DocId::new("doc-000000000000").expect("valid doc id"),
        parents: Vec::new(),
        clock: AuthorClock(1_764_000_000_000_000),
        signer_role: String::new(),
    };
    let nonce = Nonce([0x33; 12]);
    group.bench_function("seal", |b| {
        b.iter(|| seal(draft.clone(), black_box(&body), &KEY, &IDENTITY, nonce).expect("seal"));
    });

    let stored = seal_create(0).bytes().to_vec();
    group.bench_function("parse", |b| {
        b.iter(|| UnverifiedEntry::parse(black_box(stored.as_slice())).expect("parse"));
    });

    let parsed = UnverifiedEntry::parse(stored.as_slice()).expect("parse");
    group.bench_function("verify", |b| {
        b.iter_batched(
            || parsed.clone(),
            |entry| entry.verify().expect("verify"),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("open", |b| {
        b.iter(|| open(black_box(&parsed), &KEY).expect("open"));
    });
    group.finish();
}
