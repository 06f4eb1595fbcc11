//! Reads: scans and paging, the feed's paging and resumption, history, time travel, the raw log.

use mindoodb_protocol::{AuthorClock, EntryKind, open};
use mindoodb_storage::{Cutoff, Seq};

use crate::{doc_id, entry, fixture, key, local};

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
