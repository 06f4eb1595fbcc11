//! Reads: scans and paging, parallel scan parts, the feed's paging and resumption, history, time
//! travel, the raw log.

use std::collections::BTreeMap;

use mindoodb_protocol::{AuthorClock, DocId, EntryHash, EntryKind, open};
use mindoodb_storage::{Cutoff, Document, SCAN_CHUNK, ScanPart, Seq, Store, Table, Transaction};

use crate::{Fixture, doc_id, entry, fixture, key, local};

#[test]
fn scan_pages_in_id_order() {
    let fx = fixture();
    for id in ["c", "a", "b", "e", "d"] {
        fx.store
            .commit(local(
                fx.table,
                &entry(id, EntryKind::Create, &[], 1, 1, "{}"),
            ))
            .unwrap();
    }
    let snap = fx.store.snapshot();
    let first = snap.scan(fx.table, None, 2).unwrap();
    let ids: Vec<String> = first.iter().map(|d| d.id.to_string()).collect();
    assert_eq!(ids, ["a", "b"]);
    let rest = snap.scan(fx.table, Some(&first[1].id), 10).unwrap();
    let ids: Vec<String> = rest.iter().map(|d| d.id.to_string()).collect();
    assert_eq!(ids, ["c", "d", "e"]);
}

/// Documents written in id order and then updated in a scattered order, so that scans find
/// winners both in runs and out of order in the log; returns each id's winner hash.
fn scattered_table(fx: &Fixture, n_docs: usize) -> BTreeMap<DocId, EntryHash> {
    let mut winners = BTreeMap::new();
    for chunk in (0..n_docs).collect::<Vec<_>>().chunks(100) {
        let creates: Vec<_> = chunk
            .iter()
            .map(|n| entry(&format!("doc{n:05}"), EntryKind::Create, &[], 1, 1, "{}"))
            .collect();
        commit_all(&fx.store, fx.table, &creates);
        for e in creates {
            winners.insert(e.header().doc_id().clone(), e.hash());
        }
    }
    // Every third document, in an order unrelated to ids (a multiplicative permutation).
    let updated: Vec<usize> = (0..n_docs)
        .map(|i| i * 7919 % n_docs)
        .filter(|n| n % 3 == 0)
        .collect();
    for chunk in updated.chunks(100) {
        let updates: Vec<_> = chunk
            .iter()
            .map(|n| {
                let id = doc_id(&format!("doc{n:05}"));
                entry(id.as_str(), EntryKind::Update, &[winners[&id]], 2, 1, "{}")
            })
            .collect();
        commit_all(&fx.store, fx.table, &updates);
        for e in updates {
            winners.insert(e.header().doc_id().clone(), e.hash());
        }
    }
    winners
}

fn commit_all(store: &Store, table: Table, entries: &[mindoodb_protocol::VerifiedEntry]) {
    let writes = entries
        .iter()
        .flat_map(|e| local(table, e).writes)
        .collect();
    store.commit(Transaction { writes }).unwrap();
}

fn ids_and_winners(docs: &[Document]) -> Vec<(DocId, EntryHash)> {
    docs.iter()
        .map(|d| (d.id.clone(), d.winner.hash()))
        .collect()
}

#[test]
fn a_scan_reads_every_winner_whatever_its_place_in_the_log() {
    let fx = fixture();
    let winners = scattered_table(&fx, 1000);
    let snap = fx.store.snapshot();
    let scanned: Vec<Document> = snap
        .documents(fx.table, None, ScanPart::WHOLE)
        .collect::<Result<_, _>>()
        .unwrap();
    let expected: Vec<(DocId, EntryHash)> = winners.into_iter().collect();
    assert_eq!(ids_and_winners(&scanned), expected);
    for doc in scanned.iter().step_by(37) {
        let single = snap.doc(fx.table, &doc.id).unwrap().unwrap();
        assert_eq!(
            (single.winner.hash(), single.winner_seq, &single.heads),
            (doc.winner.hash(), doc.winner_seq, &doc.heads)
        );
    }
    let after = &expected[499].0;
    let rest: Vec<Document> = snap
        .documents(fx.table, Some(after), ScanPart::WHOLE)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids_and_winners(&rest), expected[500..]);
}

#[test]
fn scan_parts_of_one_snapshot_cover_every_document_once_in_id_order() {
    let fx = fixture();
    let n_docs = 3 * SCAN_CHUNK as usize + 17;
    let winners = scattered_table(&fx, n_docs);
    let snap = fx.store.snapshot();
    // Written after the snapshot: no part may see it.
    fx.store
        .commit(local(
            fx.table,
            &entry("late", EntryKind::Create, &[], 1, 1, "{}"),
        ))
        .unwrap();
    let expected: Vec<(DocId, EntryHash)> = winners.into_iter().collect();
    for n_parts in [1, 2, 3, 5] {
        for after in [None, Some(&expected[300].0)] {
            let parts: Vec<Vec<Document>> = std::thread::scope(|s| {
                let handles: Vec<_> = ScanPart::split(n_parts)
                    .map(|part| {
                        let snap = &snap;
                        s.spawn(move || {
                            snap.documents(fx.table, after, part)
                                .collect::<Result<Vec<_>, _>>()
                                .unwrap()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for part in &parts {
                assert!(
                    part.is_sorted_by(|a, b| a.id < b.id),
                    "a part is in id order"
                );
            }
            let mut all: Vec<(DocId, EntryHash)> =
                parts.iter().flat_map(|p| ids_and_winners(p)).collect();
            all.sort();
            let from = if after.is_some() { 301 } else { 0 };
            assert_eq!(all, expected[from..], "{n_parts} parts after {after:?}");
        }
    }
    assert_eq!(ScanPart::new(2, 2), None);
    assert_eq!(ScanPart::split(0).collect::<Vec<_>>(), [ScanPart::WHOLE]);
}

#[test]
fn a_feed_consumer_resuming_from_its_cursor_sees_each_final_state_once() {
    let fx = fixture();
    let mut heads = std::collections::HashMap::new();
    for i in 0..30 {
        let id = format!("d{}", i % 7);
        let e = match heads.get(&id) {
            None => entry(
                &id,
                EntryKind::Create,
                &[],
                i,
                1,
                &format!(r#"{{"i":{i}}}"#),
            ),
            Some(parent) => entry(
                &id,
                EntryKind::Update,
                &[*parent],
                i,
                1,
                &format!(r#"{{"i":{i}}}"#),
            ),
        };
        fx.store.commit(local(fx.table, &e)).unwrap();
        heads.insert(id, e.hash());
    }
    let mut cursor = Seq(0);
    let mut seen = Vec::new();
    loop {
        let page = fx.store.snapshot().changes(fx.table, cursor, 3).unwrap();
        if page.is_empty() {
            break;
        }
        for change in page {
            assert!(change.seq > cursor, "seq order");
            cursor = change.seq;
            seen.push((change.doc.id.to_string(), change.doc.winner.hash()));
        }
    }
    assert_eq!(seen.len(), 7);
    for (id, hash) in seen {
        assert_eq!(heads[&id], hash, "{id} is at its final state");
    }
}

#[test]
fn time_travel_brings_back_a_deleted_document() {
    let fx = fixture();
    let create = entry("a", EntryKind::Create, &[], 100, 1, r#"{"v":1}"#);
    let update = entry(
        "a",
        EntryKind::Update,
        &[create.hash()],
        200,
        1,
        r#"{"v":2}"#,
    );
    let delete = entry("a", EntryKind::Delete, &[update.hash()], 300, 1, "");
    for e in [&create, &update, &delete] {
        fx.store.commit(local(fx.table, e)).unwrap();
    }
    let snap = fx.store.snapshot();
    let at_seq = snap.as_of(fx.table, Cutoff::Seq(Seq(2))).unwrap();
    assert_eq!(at_seq.len(), 1);
    assert_eq!(
        open(&at_seq[0].winner, &key()).unwrap().as_slice(),
        br#"{"v":2}"#
    );
    let at_clock = snap
        .as_of(fx.table, Cutoff::Clock(AuthorClock(150)))
        .unwrap();
    assert_eq!(
        open(&at_clock[0].winner, &key()).unwrap().as_slice(),
        br#"{"v":1}"#
    );
    assert!(
        snap.as_of(fx.table, Cutoff::Clock(AuthorClock(99)))
            .unwrap()
            .is_empty()
    );
    assert!(snap.as_of(fx.table, Cutoff::Seq(Seq(3))).unwrap()[0].is_deleted());
    let history = snap.history(fx.table, &doc_id("a")).unwrap();
    let hashes: Vec<_> = history.iter().map(|r| r.entry.hash()).collect();
    assert_eq!(hashes, [create.hash(), update.hash(), delete.hash()]);
}

#[test]
fn the_log_returns_sealed_entries_in_seq_order_with_limits() {
    let fx = fixture();
    let entries: Vec<_> = (0..5)
        .map(|i| entry(&format!("x{i}"), EntryKind::Create, &[], i, 1, "{}"))
        .collect();
    for e in &entries {
        fx.store.commit(local(fx.table, e)).unwrap();
    }
    let snap = fx.store.snapshot();
    let page = snap.log(fx.table, Seq(1), 2).unwrap();
    assert_eq!(page.iter().map(|r| r.seq.0).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(page[0].entry.bytes(), entries[1].bytes());
    assert_eq!(snap.log(fx.table, Seq(5), 10).unwrap().len(), 0);
}

#[test]
fn the_store_holds_no_plaintext() {
    let fx = fixture();
    let secret_text = "PLAINTEXT-CANARY-4711";
    let e = entry(
        "a",
        EntryKind::Create,
        &[],
        1,
        1,
        &format!(r#"{{"note":"{secret_text}"}}"#),
    );
    fx.store.commit(local(fx.table, &e)).unwrap();
    drop(fx.store);
    let token = key().token();
    let secret = token.rsplit('.').next().unwrap().to_owned();
    for file in walk(fx.dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [secret_text.as_bytes(), secret.as_bytes(), &[7u8; 32]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds secret bytes",
                file.display()
            );
        }
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for item in std::fs::read_dir(dir).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }
}
