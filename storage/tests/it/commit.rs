//! Local commits: optimistic concurrency on heads, atomic transactions, gap-free seqs,
//! group commit under concurrency.

use std::sync::Arc;

use mindoodb_protocol::EntryKind;
use mindoodb_storage::{Error, Outcome, Seq, Transaction, Write};

use crate::{doc_id, entry, fixture, local};

#[test]
fn create_update_delete_moves_the_document_along_the_feed() {
    let fx = fixture();
    let create = entry("a", EntryKind::Create, &[], 1, 1, r#"{"v":1}"#);
    let receipt = fx.store.commit(local(fx.table, &create)).unwrap();
    assert_eq!(receipt.outcomes, vec![Outcome::Appended(Seq(1))]);
    let update = entry("a", EntryKind::Update, &[create.hash()], 2, 1, r#"{"v":2}"#);
    fx.store.commit(local(fx.table, &update)).unwrap();
    let delete = entry("a", EntryKind::Delete, &[update.hash()], 3, 1, "");
    fx.store.commit(local(fx.table, &delete)).unwrap();

    let snap = fx.store.snapshot();
    let doc = snap.doc(fx.table, &doc_id("a")).unwrap().unwrap();
    assert!(doc.is_deleted());
    assert_eq!(doc.feed_seq, Seq(3));
    assert_eq!(doc.winner.hash(), delete.hash());
    let changes = snap.changes(fx.table, Seq(0), 10).unwrap();
    assert_eq!(changes.len(), 1, "one row per document, at its newest seq");
    assert_eq!(changes[0].seq, Seq(3));
    assert_eq!(snap.history(fx.table, &doc_id("a")).unwrap().len(), 3);
}

#[test]
fn a_stale_parent_is_a_conflict_and_writes_nothing() {
    let fx = fixture();
    let create = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &create)).unwrap();
    let first = entry(
        "a",
        EntryKind::Update,
        &[create.hash()],
        2,
        1,
        r#"{"by":"first"}"#,
    );
    let second = entry(
        "a",
        EntryKind::Update,
        &[create.hash()],
        2,
        2,
        r#"{"by":"second"}"#,
    );
    fx.store.commit(local(fx.table, &first)).unwrap();
    let err = fx.store.commit(local(fx.table, &second)).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err}");
    let snap = fx.store.snapshot();
    assert_eq!(snap.last_seq(fx.table).unwrap(), Seq(2));
    assert_eq!(
        snap.doc(fx.table, &doc_id("a"))
            .unwrap()
            .unwrap()
            .winner
            .hash(),
        first.hash()
    );
}

#[test]
fn creating_an_existing_document_is_refused() {
    let fx = fixture();
    fx.store
        .commit(local(
            fx.table,
            &entry("a", EntryKind::Create, &[], 1, 1, "{}"),
        ))
        .unwrap();
    let again = entry("a", EntryKind::Create, &[], 2, 1, r#"{"x":1}"#);
    assert!(matches!(
        fx.store.commit(local(fx.table, &again)),
        Err(Error::DuplicateDocument(_))
    ));
}

#[test]
fn a_failing_write_rolls_back_the_whole_transaction() {
    let fx = fixture();
    let existing = entry("b", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &existing)).unwrap();
    let fresh = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    let duplicate = entry("b", EntryKind::Create, &[], 2, 1, "{}");
    let txn = Transaction {
        writes: vec![
            Write::Local {
                table: fx.table,
                entry: fresh,
            },
            Write::Local {
                table: fx.table,
                entry: duplicate,
            },
        ],
    };
    assert!(fx.store.commit(txn).is_err());
    let snap = fx.store.snapshot();
    assert!(snap.doc(fx.table, &doc_id("a")).unwrap().is_none());
    assert_eq!(
        snap.last_seq(fx.table).unwrap(),
        Seq(1),
        "no seq was consumed"
    );
    // The next commit gets the next seq: still gap-free.
    let next = entry("c", EntryKind::Create, &[], 1, 1, "{}");
    assert_eq!(
        fx.store.commit(local(fx.table, &next)).unwrap().outcomes,
        vec![Outcome::Appended(Seq(2))]
    );
}

#[test]
fn a_transaction_may_chain_revisions_of_one_document() {
    let fx = fixture();
    let create = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    let update = entry("a", EntryKind::Update, &[create.hash()], 2, 1, r#"{"v":2}"#);
    let txn = Transaction {
        writes: vec![
            Write::Local {
                table: fx.table,
                entry: create,
            },
            Write::Local {
                table: fx.table,
                entry: update.clone(),
            },
        ],
    };
    fx.store.commit(txn).unwrap();
    let snap = fx.store.snapshot();
    let doc = snap.doc(fx.table, &doc_id("a")).unwrap().unwrap();
    assert_eq!(doc.winner.hash(), update.hash());
    assert_eq!(snap.changes(fx.table, Seq(0), 10).unwrap().len(), 1);
}

#[test]
fn concurrent_committers_get_gap_free_unique_seqs() {
    let fx = fixture();
    let store = Arc::new(fx.store.clone());
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let store = store.clone();
            let table = fx.table;
            std::thread::spawn(move || {
                let mut seqs = Vec::new();
                for i in 0..50 {
                    let e = entry(&format!("t{t}-{i}"), EntryKind::Create, &[], i, 1, "{}");
                    match store.commit(local(table, &e)).unwrap().outcomes[0] {
                        Outcome::Appended(seq) => seqs.push(seq.0),
                        other => panic!("a fresh local entry was {other:?}"),
                    }
                }
                seqs
            })
        })
        .collect();
    let mut all: Vec<u64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=800).collect::<Vec<_>>());
    assert!(fx.store.snapshot().verify(fx.table).unwrap().is_ok());
}

#[test]
fn reads_see_whole_commits_only() {
    let fx = fixture();
    let a = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &a)).unwrap();
    let snap = fx.store.snapshot();
    let b = entry("b", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &b)).unwrap();
    assert_eq!(
        snap.scan(fx.table, None, 100).unwrap().len(),
        1,
        "the snapshot predates b"
    );
    assert_eq!(
        fx.store.snapshot().scan(fx.table, None, 100).unwrap().len(),
        2
    );
}

#[test]
fn a_shared_snapshot_shows_every_thread_the_moment_it_was_taken() {
    let fx = fixture();
    let a = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &a)).unwrap();
    let shared = fx.store.shared_snapshot().unwrap();
    let b = entry("b", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &b)).unwrap();

    let table = fx.table;
    let seen: Vec<usize> = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let shared = shared.clone();
                scope.spawn(move || {
                    let pending = shared
                        .submit(move |s| s.scan(table, None, 100).map(|docs| docs.len()))
                        .unwrap();
                    pending.wait().unwrap().unwrap()
                })
            })
            .collect();
        readers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert_eq!(seen, vec![1; 4], "every reader sees a, none sees b");
    let id = doc_id("b");
    assert!(
        shared
            .read(move |s| s.doc(table, &id))
            .unwrap()
            .unwrap()
            .is_none()
    );
    assert_eq!(
        fx.store
            .shared_snapshot()
            .unwrap()
            .read(move |s| s.scan(table, None, 100).map(|d| d.len()))
            .unwrap()
            .unwrap(),
        2
    );
}

#[test]
fn writes_to_a_dropped_table_are_refused() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap();
    fx.store.drop_table(tenant.id, "crm2025").unwrap();
    let e = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    assert!(matches!(
        fx.store.commit(local(fx.table, &e)),
        Err(Error::NoSuchTable(_))
    ));
}
