//! Tamper evidence: raw edits of the RocksDB files (store closed) are named by `verify`, and a
//! tampered entry is never returned as data.

use std::path::Path;

use mindoodb_protocol::{EntryKind, VerifiedEntry};
use mindoodb_storage::{Error, Problem, ScanPart, Seq, Store, Table};
use proptest::prelude::*;
use rocksdb::{DB, Options};

use crate::{config, doc_id, entry, fixture, local};

pub(crate) const CFS: [&str; 10] = [
    "log",
    "by_hash",
    "docs",
    "feed",
    "history",
    "catalog",
    "commits",
    "commit_index",
    "audit",
    "audit_received",
];

#[allow(clippy::big_endian_bytes, reason = "mirrors the store's key layout")]
pub(crate) fn log_key(table: Table, seq: u64) -> Vec<u8> {
    let mut key = table.tenant.0.to_be_bytes().to_vec();
    key.extend_from_slice(&table.id.0.to_be_bytes());
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// Three documents, one entry each; the store is closed on return.
fn three_entries() -> (tempfile::TempDir, Table, Vec<VerifiedEntry>) {
    let fx = fixture();
    let entries: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|id| entry(id, EntryKind::Create, &[], 1, 1, r#"{"k":"v"}"#))
        .collect();
    for e in &entries {
        fx.store.commit(local(fx.table, e)).unwrap();
    }
    (fx.dir, fx.table, entries)
}

pub(crate) fn raw(dir: &Path) -> DB {
    DB::open_cf(&Options::default(), dir, CFS).unwrap()
}

fn problems(dir: &Path, table: Table) -> Vec<Problem> {
    let store = Store::open(dir, &config()).unwrap();
    let report = store.snapshot().verify(table).unwrap();
    assert_eq!(report.n_problems as usize, report.problems.len());
    report.problems
}

#[test]
fn an_untouched_table_verifies() {
    let (dir, table, _) = three_entries();
    let store = Store::open(dir.path(), &config()).unwrap();
    let report = store.snapshot().verify(table).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(
        (report.entries, report.signatures_ok, report.documents),
        (3, 3, 3)
    );
    assert_eq!(report.last.unwrap().0, Seq(3));
}

#[test]
fn a_flipped_ciphertext_byte_is_named_and_never_read_as_data() {
    let (dir, table, entries) = three_entries();
    {
        let db = raw(dir.path());
        let log = db.cf_handle("log").unwrap();
        let mut bytes = db.get_cf(&log, log_key(table, 2)).unwrap().unwrap();
        let at = bytes.len() - 70;
        bytes[at] ^= 0x01;
        db.put_cf(&log, log_key(table, 2), bytes).unwrap();
    }
    let found = problems(dir.path(), table);
    // The damaged entry, and the document whose heads it no longer matches: nothing else.
    let only_b = |p: &Problem| {
        p.seq() == Some(Seq(2))
            || *p
                == Problem::HeadsMismatch {
                    doc_id: doc_id("b"),
                }
    };
    assert!(found.iter().all(only_b), "{found:?}");
    assert!(found.contains(&Problem::BadSignature {
        seq: Seq(2),
        hash: hash_after_flip(&found)
    }));
    let store = Store::open(dir.path(), &config()).unwrap();
    let err = store.snapshot().doc(table, &doc_id("b")).unwrap_err();
    assert!(
        matches!(err, Error::DamagedEntry { seq: Seq(2), .. }),
        "{err}"
    );
    assert_eq!(
        store
            .snapshot()
            .doc(table, &doc_id("a"))
            .unwrap()
            .unwrap()
            .winner
            .hash(),
        entries[0].hash()
    );

    fn hash_after_flip(found: &[Problem]) -> mindoodb_protocol::EntryHash {
        found
            .iter()
            .find_map(|p| match p {
                Problem::BadSignature { hash, .. } => Some(*hash),
                _ => None,
            })
            .expect("a bad signature is reported")
    }
}

#[test]
fn scans_and_the_feed_stop_at_a_flipped_entry_instead_of_returning_it() {
    let (dir, table, entries) = three_entries();
    with_log(dir.path(), |db, log| {
        let mut bytes = db.get_cf(log, log_key(table, 2)).unwrap().unwrap();
        let at = bytes.len() - 70;
        bytes[at] ^= 0x01;
        db.put_cf(log, log_key(table, 2), bytes).unwrap();
    });
    let store = Store::open(dir.path(), &config()).unwrap();
    let snap = store.snapshot();
    let damaged = |err: &Error| matches!(err, Error::DamagedEntry { seq: Seq(2), .. });
    for part in ScanPart::split(2).chain([ScanPart::WHOLE]) {
        for res in snap.documents(table, None, part) {
            match res {
                Ok(doc) => assert_ne!(doc.id, doc_id("b"), "the damaged document is never data"),
                Err(err) => assert!(damaged(&err), "{err}"),
            }
        }
    }
    let mut whole = snap.documents(table, None, ScanPart::WHOLE);
    assert_eq!(
        whole.next().unwrap().unwrap().winner.hash(),
        entries[0].hash()
    );
    assert!(damaged(&whole.next().unwrap().unwrap_err()));
    assert!(whole.next().is_none(), "a scan ends at its first error");
    assert!(damaged(&snap.scan(table, None, 10).unwrap_err()));
    assert!(damaged(&snap.changes(table, Seq(0), 10).unwrap_err()));
}

#[test]
fn a_document_record_pointing_at_another_documents_entry_is_damage() {
    let (dir, table, _) = three_entries();
    {
        // Document a's record now names b's entry: hash and seq agree with the log, the id not.
        let db = raw(dir.path());
        let docs = db.cf_handle("docs").unwrap();
        let doc_key = |id: &str| {
            let mut key = log_key(table, 0)[..8].to_vec();
            key.extend_from_slice(id.as_bytes());
            key.push(0);
            key
        };
        let b = db.get_cf(&docs, doc_key("b")).unwrap().unwrap();
        db.put_cf(&docs, doc_key("a"), b).unwrap();
    }
    let store = Store::open(dir.path(), &config()).unwrap();
    let snap = store.snapshot();
    let err = snap.scan(table, None, 10).unwrap_err();
    assert!(
        matches!(&err, Error::DamagedEntry { seq: Seq(2), why } if why.contains("belongs to document b")),
        "{err}"
    );
    let err = snap.doc(table, &doc_id("a")).unwrap_err();
    assert!(
        matches!(err, Error::DamagedEntry { seq: Seq(2), .. }),
        "{err}"
    );
}

#[test]
fn a_deleted_middle_entry_is_a_gap() {
    let (dir, table, _) = three_entries();
    with_log(dir.path(), |db, log| {
        db.delete_cf(log, log_key(table, 2)).unwrap()
    });
    let found = problems(dir.path(), table);
    assert!(
        found.contains(&Problem::MissingEntry { seq: Seq(2) }),
        "{found:?}"
    );
}

#[test]
fn a_deleted_last_entry_is_noticed_through_the_indexes() {
    let (dir, table, _) = three_entries();
    with_log(dir.path(), |db, log| {
        db.delete_cf(log, log_key(table, 3)).unwrap()
    });
    let found = problems(dir.path(), table);
    assert!(
        found.contains(&Problem::MissingEntry { seq: Seq(3) }),
        "{found:?}"
    );
}

#[test]
fn reordered_entries_are_named() {
    let (dir, table, entries) = three_entries();
    with_log(dir.path(), |db, log| {
        let one = db.get_cf(log, log_key(table, 1)).unwrap().unwrap();
        let two = db.get_cf(log, log_key(table, 2)).unwrap().unwrap();
        db.put_cf(log, log_key(table, 1), two).unwrap();
        db.put_cf(log, log_key(table, 2), one).unwrap();
    });
    let found = problems(dir.path(), table);
    assert!(
        found.contains(&Problem::IndexMismatch {
            seq: Seq(1),
            hash: entries[1].hash()
        }),
        "{found:?}"
    );
    assert!(
        found.contains(&Problem::IndexMismatch {
            seq: Seq(2),
            hash: entries[0].hash()
        }),
        "{found:?}"
    );
}

fn with_log(dir: &Path, edit: impl FnOnce(&DB, &rocksdb::ColumnFamily)) {
    let db = raw(dir);
    let log = db.cf_handle("log").unwrap();
    edit(&db, log);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Any single-bit flip in any stored entry is reported at that entry's seq.
    #[test]
    fn any_stored_bit_flip_is_reported_at_its_seq(seq in 1u64..=3, bit in any::<prop::sample::Index>()) {
        let (dir, table, _) = three_entries();
        with_log(dir.path(), |db, log| {
            let mut bytes = db.get_cf(log, log_key(table, seq)).unwrap().unwrap();
            let idx = bit.index(bytes.len() * 8);
            bytes[idx / 8] ^= 1 << (idx % 8);
            db.put_cf(log, log_key(table, seq), bytes).unwrap();
        });
        let found = problems(dir.path(), table);
        prop_assert!(!found.is_empty());
        prop_assert!(found.iter().any(|p| p.seq() == Some(Seq(seq))), "{:?}", found);
    }
}
