//! Shards over time (issue 7): a read-only table refuses commits but stays readable, the flag
//! survives a reopen; per-table statistics; ids by prefix; a secondary store reads a data
//! directory another `Store` has open and refuses to write.

use mindoodb_protocol::EntryKind;
use mindoodb_storage::{Error, Seq, Store, TableStats};

use crate::{config, doc_id, entry, fixture, import, local};

#[test]
fn a_read_only_table_refuses_commits_and_stays_readable_after_reopen() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap().id;
    let first = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &first)).unwrap();
    let info = fx.store.set_read_only(tenant, "crm2025", true).unwrap();
    assert!(info.read_only);

    let second = entry("b", EntryKind::Create, &[], 2, 1, "{}");
    let err = fx.store.commit(local(fx.table, &second)).unwrap_err();
    assert!(
        matches!(err, Error::ReadOnlyTable(ref name) if name == "crm2025"),
        "{err}"
    );
    // Imports (sync, move) are writes too.
    let err = fx
        .store
        .commit(import(fx.table, std::slice::from_ref(&second)))
        .unwrap_err();
    assert!(matches!(err, Error::ReadOnlyTable(_)), "{err}");
    assert_eq!(fx.store.snapshot().last_seq(fx.table).unwrap(), Seq(1));

    let dir = fx.dir;
    drop(fx.store);
    let store = Store::open(dir.path(), &config()).unwrap();
    assert!(store.table(tenant, "crm2025").unwrap().read_only);
    assert!(
        store
            .snapshot()
            .doc(fx.table, &doc_id("a"))
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store.commit(local(fx.table, &second)),
        Err(Error::ReadOnlyTable(_))
    ));

    store.set_read_only(tenant, "crm2025", false).unwrap();
    store.commit(local(fx.table, &second)).unwrap();
    assert_eq!(store.snapshot().last_seq(fx.table).unwrap(), Seq(2));
    assert!(matches!(
        store.set_read_only(tenant, "nope", true),
        Err(Error::NoSuchTable(_))
    ));
}

#[test]
fn stats_count_documents_deletions_and_entries() {
    let fx = fixture();
    assert_eq!(
        fx.store.snapshot().stats(fx.table).unwrap(),
        TableStats {
            documents: 0,
            deleted: 0,
            entries: 0,
            last_seq: Seq(0),
            bytes_on_disk: 0,
        }
    );
    let a = entry("a", EntryKind::Create, &[], 1, 1, "{\"n\":1}");
    let a2 = entry("a", EntryKind::Update, &[a.hash()], 2, 1, "{\"n\":2}");
    let b = entry("b", EntryKind::Create, &[], 3, 1, "{}");
    let b2 = entry("b", EntryKind::Delete, &[b.hash()], 4, 1, "");
    for e in [&a, &a2, &b, &b2] {
        fx.store.commit(local(fx.table, e)).unwrap();
    }
    let stats = fx.store.snapshot().stats(fx.table).unwrap();
    assert_eq!(
        (
            stats.documents,
            stats.deleted,
            stats.entries,
            stats.last_seq
        ),
        (2, 1, 4, Seq(4))
    );
}

#[test]
fn ids_with_prefix_page_in_id_order_and_stop_at_the_prefix_end() {
    let fx = fixture();
    for id in ["acme-3", "b-1", "acme-1", "ac", "acme-2", "acmf"] {
        fx.store
            .commit(local(
                fx.table,
                &entry(id, EntryKind::Create, &[], 1, 1, "{}"),
            ))
            .unwrap();
    }
    let snap = fx.store.snapshot();
    let first = snap.ids_with_prefix(fx.table, "acme-", None, 2).unwrap();
    let names: Vec<&str> = first.iter().map(|d| d.as_str()).collect();
    assert_eq!(names, ["acme-1", "acme-2"]);
    let rest = snap
        .ids_with_prefix(fx.table, "acme-", Some(&first[1]), 10)
        .unwrap();
    let names: Vec<&str> = rest.iter().map(|d| d.as_str()).collect();
    assert_eq!(names, ["acme-3"]);
    assert_eq!(
        snap.ids_with_prefix(fx.table, "", None, 10).unwrap().len(),
        6
    );
    assert!(
        snap.ids_with_prefix(fx.table, "zz", None, 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_secondary_reads_what_the_primary_committed_and_refuses_writes() {
    let fx = fixture();
    let a = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &a)).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let secondary = Store::open_secondary(fx.dir.path(), scratch.path(), &config()).unwrap();
    let tenant = secondary.tenant("acme").unwrap().id;
    let table = secondary.table(tenant, "crm2025").unwrap().table;
    let snap = secondary.snapshot();
    assert_eq!(snap.last_seq(table).unwrap(), Seq(1));
    assert_eq!(
        snap.doc(table, &doc_id("a"))
            .unwrap()
            .unwrap()
            .winner
            .hash(),
        a.hash()
    );
    assert_eq!(snap.verify(table).unwrap().entries, 1);
    drop(snap);
    let b = entry("b", EntryKind::Create, &[], 2, 1, "{}");
    assert!(matches!(
        secondary.commit(local(table, &b)),
        Err(Error::ReadOnlyStore)
    ));
    assert!(matches!(
        secondary.create_tenant("other"),
        Err(Error::ReadOnlyStore)
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open_secondary(empty.path(), scratch.path(), &config()),
        Err(Error::Corrupted(_))
    ));
}
