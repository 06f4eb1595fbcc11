//! Arrival order must not matter (docs/ARCHITECTURE.md#storage): two stores importing the same entries in
//! different orders, in different batches and with duplicates, agree on heads, winners,
//! conflicts, feed contents and verification.

use std::collections::BTreeMap;

use mindoodb_protocol::{EntryHash, EntryKind, VerifiedEntry};
use mindoodb_storage::{Outcome, Seq, Store, Table};
use proptest::prelude::*;

use crate::{config, doc_id, entry, import};

/// A small history with offline branches: concurrent updates, a merge, a delete, a
/// delete-vs-update race.
fn history() -> Vec<VerifiedEntry> {
    let mut out = Vec::new();
    for doc in ["a", "b", "c", "d"] {
        let create = entry(doc, EntryKind::Create, &[], 10, 1, r#"{"v":0}"#);
        let left = entry(
            doc,
            EntryKind::Update,
            &[create.hash()],
            20,
            1,
            r#"{"v":"left"}"#,
        );
        let right = entry(
            doc,
            EntryKind::Update,
            &[create.hash()],
            20,
            2,
            r#"{"v":"right"}"#,
        );
        out.extend([create, left.clone(), right.clone()]);
        match doc {
            "b" => out.push(entry(
                doc,
                EntryKind::Update,
                &[left.hash(), right.hash()],
                30,
                1,
                r#"{"v":"merged"}"#,
            )),
            "c" => out.push(entry(doc, EntryKind::Delete, &[left.hash()], 40, 3, "")),
            "d" => {
                let after = entry(
                    doc,
                    EntryKind::Update,
                    &[right.hash()],
                    25,
                    2,
                    r#"{"v":"more"}"#,
                );
                out.push(entry(
                    doc,
                    EntryKind::Update,
                    &[after.hash()],
                    26,
                    2,
                    r#"{"v":"most"}"#,
                ));
                out.push(after);
            }
            _ => {}
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
struct View {
    docs: BTreeMap<String, (Vec<EntryHash>, EntryHash, bool)>,
    conflicts: Vec<String>,
    feed: BTreeMap<String, EntryHash>,
    entries: u64,
    documents: u64,
    verify_ok: bool,
}

fn view(store: &Store, table: Table) -> View {
    let snap = store.snapshot();
    let docs = snap
        .scan(table, None, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|d| {
            let heads = d.heads.iter().map(|h| h.hash).collect();
            (d.id.to_string(), (heads, d.winner.hash(), d.is_deleted()))
        })
        .collect();
    let conflicts = snap
        .conflicts(table)
        .unwrap()
        .into_iter()
        .map(|d| d.id.to_string())
        .collect();
    let feed = snap
        .changes(table, Seq(0), usize::MAX)
        .unwrap()
        .into_iter()
        .map(|c| (c.doc.id.to_string(), c.doc.winner.hash()))
        .collect();
    let report = snap.verify(table).unwrap();
    View {
        docs,
        conflicts,
        feed,
        entries: report.entries,
        documents: report.documents,
        verify_ok: report.is_ok(),
    }
}

fn store_with(entries: &[VerifiedEntry], batch: usize) -> (tempfile::TempDir, Store, Table) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &config()).unwrap();
    let tenant = store.create_tenant("acme").unwrap();
    let table = store
        .create_table(tenant.id, "crm", None, Default::default())
        .unwrap()
        .table;
    for chunk in entries.chunks(batch.max(1)) {
        store.commit(import(table, chunk)).unwrap();
    }
    (dir, store, table)
}

#[test]
fn the_reference_history_has_the_expected_shape() {
    let entries = history();
    let (_dir, store, table) = store_with(&entries, 3);
    let v = view(&store, table);
    assert_eq!(v.conflicts, ["a", "c", "d"].map(String::from).to_vec());
    assert!(
        !v.docs["b"].2 && v.docs["b"].0.len() == 1,
        "the merge resolved b"
    );
    assert!(v.verify_ok);
    assert_eq!(v.entries, entries.len() as u64);
    // c: the delete (clock 40) beats the concurrent update (clock 20).
    assert!(v.docs["c"].2);
    let snap = store.snapshot();
    let d = snap.doc(table, &doc_id("d")).unwrap().unwrap();
    assert_eq!(
        d.heads.len(),
        2,
        "d's late child arrived before its parent and is still a head"
    );
}

#[test]
fn reimporting_is_idempotent() {
    let entries = history();
    let (_dir, store, table) = store_with(&entries, 5);
    let before = view(&store, table);
    let receipt = store.commit(import(table, &entries)).unwrap();
    assert!(
        receipt
            .outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Duplicate(_)))
    );
    assert_eq!(view(&store, table), before);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_arrival_order_converges(
        order in Just((0..history().len()).collect::<Vec<_>>()).prop_shuffle(),
        dups in prop::collection::vec(0usize..100, 0..6),
        batch in 1usize..7,
    ) {
        let reference = history();
        let mut shuffled: Vec<VerifiedEntry> = order.iter().map(|&i| reference[i].clone()).collect();
        for d in dups {
            shuffled.push(reference[d % reference.len()].clone());
        }
        let (_d1, s1, t1) = store_with(&reference, 4);
        let (_d2, s2, t2) = store_with(&shuffled, batch);
        prop_assert_eq!(view(&s1, t1), view(&s2, t2));
    }
}
