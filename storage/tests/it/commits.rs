//! Format-2 commits in the store (issue 21): a transaction's entries and its one signed commit
//! land in one WriteBatch across tables; the commit thread chains an author's commits however
//! many write at once; entries read back with their commits and paths; a mirror can take one
//! table of a multi-table commit; format-1 and format-2 entries share a table.

use std::collections::HashSet;
use std::sync::Arc;

use mindoodb_protocol::{AuthorClock, CommitDraft, EntryKind, UnverifiedEntry, sign_commit};
use mindoodb_storage::{
    CommitImport, CommitSeq, Error, Outcome, Seq, Store, Table, Transaction, Write,
};

use crate::{doc_id, entry, fixture, identity, local, sealed, signing};

/// A second table of the fixture's tenant.
fn second_table(store: &Store, first: Table) -> Table {
    store
        .create_table(first.tenant, "crm2026", None, Default::default())
        .unwrap()
        .table
}

#[test]
fn a_signed_commit_stores_its_entries_across_tables_with_one_signature() {
    let fx = fixture();
    let other = second_table(&fx.store, fx.table);
    let writes = vec![
        (fx.table, sealed("a", EntryKind::Create, &[], 1, 1, "{}")),
        (other, sealed("b", EntryKind::Create, &[], 1, 1, "{}")),
        (fx.table, sealed("c", EntryKind::Create, &[], 1, 1, "{}")),
    ];
    let stored = fx.store.commit_signed(signing(1, writes)).unwrap();
    assert_eq!(stored.seq, CommitSeq(1));
    assert_eq!(
        stored.outcomes,
        [
            Outcome::Appended(Seq(1)),
            Outcome::Appended(Seq(1)),
            Outcome::Appended(Seq(2))
        ]
    );
    let commit = stored.tree.commit();
    assert_eq!((commit.count(), commit.prev()), (3, None));
    assert_eq!(commit.author(), identity(1).public());

    let snap = fx.store.snapshot();
    let page = snap.log_page(fx.table, Seq(0), 10).unwrap();
    assert_eq!(page.records.len(), 2);
    assert_eq!(page.commits.len(), 1, "both entries name the one commit");
    assert_eq!(page.commits[0].commit.hash(), commit.hash());
    assert_eq!(
        page.commits[0].leaves.as_deref(),
        Some(stored.tree.leaves())
    );
    let indexes: Vec<u32> = page
        .records
        .iter()
        .map(|r| r.leaf.as_ref().unwrap().path.index())
        .collect();
    assert_eq!(indexes, [0, 2]);

    // A proof a reader who holds nothing else checks: the commit's signature, then the path.
    let proof = snap.entry_proof(other, Seq(1)).unwrap().unwrap();
    let verified = Arc::new(proof.commit.commit.clone().verify().unwrap());
    let entry = snap.doc(other, &doc_id("b")).unwrap().unwrap().winner;
    assert_eq!(proof.hash, entry.hash());
    entry.verify_in(&verified, proof.path).unwrap();

    for table in [fx.table, other] {
        let report = snap.verify(table).unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert_eq!(report.commits, 1, "one signature checked per commit");
        assert_eq!(report.signatures_ok, report.entries);
    }
    let commits = snap.verify_commits(fx.table.tenant).unwrap();
    assert!(commits.is_ok(), "{:?}", commits.problems);
    assert_eq!((commits.commits, commits.authors), (1, 1));
}

#[test]
fn concurrent_signing_transactions_of_one_author_form_one_chain() {
    let fx = fixture();
    std::thread::scope(|s| {
        for thread in 0..8 {
            let (store, table) = (&fx.store, fx.table);
            s.spawn(move || {
                for i in 0..10 {
                    let doc = format!("t{thread}-{i}");
                    let writes = vec![(table, sealed(&doc, EntryKind::Create, &[], i, 1, "{}"))];
                    store.commit_signed(signing(1, writes)).unwrap();
                }
            });
        }
    });
    let snap = fx.store.snapshot();
    let commits = snap.commits(fx.table.tenant, CommitSeq(0), 1000).unwrap();
    assert_eq!(commits.len(), 80);
    let mut prev = None;
    for stored in &commits {
        assert_eq!(
            stored.commit.prev(),
            prev,
            "commit {} breaks the chain",
            stored.seq.0
        );
        prev = Some(stored.commit.hash());
    }
    let head = snap
        .chain_head(fx.table.tenant, &identity(1).public())
        .unwrap();
    assert_eq!(head, Some((CommitSeq(80), prev.unwrap())));
    assert!(snap.verify_commits(fx.table.tenant).unwrap().is_ok());
}

#[test]
fn a_refused_signing_transaction_leaves_no_commit_and_no_hole_in_the_chain() {
    let fx = fixture();
    let first = fx
        .store
        .commit_signed(signing(
            1,
            vec![(fx.table, sealed("a", EntryKind::Create, &[], 1, 1, "{}"))],
        ))
        .unwrap();
    let duplicate = vec![(fx.table, sealed("a", EntryKind::Create, &[], 2, 1, "{}"))];
    let err = fx.store.commit_signed(signing(1, duplicate)).unwrap_err();
    assert!(matches!(err, Error::DuplicateDocument(_)), "{err}");
    let other_author = vec![(fx.table, sealed("x", EntryKind::Create, &[], 2, 2, "{}"))];
    let err = fx
        .store
        .commit_signed(signing(1, other_author))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCommit(_)), "{err}");
    let second = fx
        .store
        .commit_signed(signing(
            1,
            vec![(fx.table, sealed("b", EntryKind::Create, &[], 3, 1, "{}"))],
        ))
        .unwrap();
    assert_eq!(second.seq, CommitSeq(2));
    assert_eq!(
        second.tree.commit().prev(),
        Some(first.tree.commit().hash())
    );
}

#[test]
fn a_local_commit_comes_with_all_its_entries_and_a_stored_previous_commit() {
    let fx = fixture();
    let signer = identity(1);
    let draft = |prev| CommitDraft {
        clock: AuthorClock(1),
        prev,
    };
    let entries = vec![
        sealed("a", EntryKind::Create, &[], 1, 1, "{}"),
        sealed("b", EntryKind::Create, &[], 1, 1, "{}"),
    ];
    let signed = sign_commit(&signer, draft(None), entries).unwrap();
    let only_first = Transaction {
        writes: vec![Write::Local {
            table: fx.table,
            entry: signed.entries[0].clone(),
        }],
    };
    let err = fx.store.commit(only_first).unwrap_err();
    assert!(
        matches!(err, Error::IncompleteCommit { missing: 1, .. }),
        "{err}"
    );
    let both = Transaction {
        writes: signed
            .entries
            .iter()
            .map(|entry| Write::Local {
                table: fx.table,
                entry: entry.clone(),
            })
            .collect(),
    };
    fx.store.commit(both).unwrap();

    let orphan_prev = sign_commit(
        &signer,
        draft(Some(mindoodb_protocol::CommitHash([9; 32]))),
        vec![sealed("c", EntryKind::Create, &[], 1, 1, "{}")],
    )
    .unwrap();
    let err = fx
        .store
        .commit(local(fx.table, &orphan_prev.entries[0]))
        .unwrap_err();
    assert!(matches!(err, Error::UnknownPrevCommit { .. }), "{err}");
    let snap = fx.store.snapshot();
    assert_eq!(snap.last_commit_seq(fx.table.tenant).unwrap(), CommitSeq(1));
    assert!(snap.verify(fx.table).unwrap().is_ok());
}

#[test]
fn a_mirror_that_receives_one_table_of_a_multi_table_commit_verifies_it() {
    let hub = fixture();
    let hub_other = second_table(&hub.store, hub.table);
    let writes = vec![
        (hub.table, sealed("a", EntryKind::Create, &[], 1, 1, "{}")),
        (hub_other, sealed("b", EntryKind::Create, &[], 1, 1, "{}")),
        (hub_other, sealed("c", EntryKind::Create, &[], 1, 1, "{}")),
    ];
    hub.store.commit_signed(signing(1, writes)).unwrap();

    // What a sync of hub_other ships: the commit once, each entry with its path.
    let snap = hub.store.snapshot();
    let mut shipped = Vec::new();
    for record in snap.log(hub_other, Seq(0), 10).unwrap() {
        let proof = snap.entry_proof(hub_other, record.seq).unwrap().unwrap();
        shipped.push((record.entry.bytes().to_vec(), proof));
    }

    let mirror = fixture();
    let mut writes = Vec::new();
    for (bytes, proof) in shipped {
        let commit = Arc::new(proof.commit.commit.verify().unwrap());
        let entry = UnverifiedEntry::parse(bytes)
            .unwrap()
            .verify_in(&commit, proof.path)
            .unwrap();
        writes.push(Write::Import {
            table: mirror.table,
            entry,
        });
    }
    mirror.store.commit(Transaction { writes }).unwrap();
    let snap = mirror.store.snapshot();
    let stored = snap
        .commit(mirror.table.tenant, CommitSeq(1))
        .unwrap()
        .unwrap();
    assert_eq!(stored.leaves, None, "the mirror never saw every leaf");
    let report = snap.verify(mirror.table).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.entries, report.signatures_ok), (2, 2));
    // Its proofs are the paths it was given.
    let proof = snap.entry_proof(mirror.table, Seq(2)).unwrap().unwrap();
    let commit = Arc::new(proof.commit.commit.verify().unwrap());
    let entry = snap
        .doc(mirror.table, &doc_id("c"))
        .unwrap()
        .unwrap()
        .winner;
    entry.verify_in(&commit, proof.path).unwrap();
}

#[test]
fn commits_imported_alone_then_entries_by_their_leaves() {
    let hub = fixture();
    let stored = hub
        .store
        .commit_signed(signing(
            1,
            vec![
                (hub.table, sealed("a", EntryKind::Create, &[], 1, 1, "{}")),
                (hub.table, sealed("b", EntryKind::Create, &[], 1, 1, "{}")),
            ],
        ))
        .unwrap();
    let mirror = fixture();
    let tenant = mirror.table.tenant;
    let seqs = mirror
        .store
        .import_commits(tenant, vec![CommitImport::Tree(stored.tree.clone())])
        .unwrap();
    assert_eq!(seqs, [CommitSeq(1)]);
    let again = mirror
        .store
        .import_commits(
            tenant,
            vec![CommitImport::Bare(stored.tree.commit().clone())],
        )
        .unwrap();
    assert_eq!(again, [CommitSeq(1)], "a commit is stored once");
    let hub_snap = hub.store.snapshot();
    let b = hub_snap
        .doc(hub.table, &doc_id("b"))
        .unwrap()
        .unwrap()
        .winner;
    let entry = b.verify_leaf(&stored.tree, 1).unwrap();
    mirror
        .store
        .commit(Transaction {
            writes: vec![Write::Import {
                table: mirror.table,
                entry,
            }],
        })
        .unwrap();
    let snap = mirror.store.snapshot();
    assert!(snap.verify(mirror.table).unwrap().is_ok());
    assert!(snap.verify_commits(tenant).unwrap().is_ok());
    assert_eq!(
        snap.log(mirror.table, Seq(0), 1).unwrap()[0]
            .leaf
            .as_ref()
            .unwrap()
            .commit,
        CommitSeq(1)
    );
}

#[test]
fn format_1_and_format_2_entries_share_a_table_and_a_document() {
    let fx = fixture();
    let create = entry("a", EntryKind::Create, &[], 1, 1, r#"{"v":1}"#);
    fx.store.commit(local(fx.table, &create)).unwrap();
    let update = sealed("a", EntryKind::Update, &[create.hash()], 2, 1, r#"{"v":2}"#);
    fx.store
        .commit_signed(signing(1, vec![(fx.table, update.clone())]))
        .unwrap();
    let snap = fx.store.snapshot();
    let doc = snap.doc(fx.table, &doc_id("a")).unwrap().unwrap();
    assert_eq!(doc.winner.hash(), update.hash());
    let history = snap.history(fx.table, &doc_id("a")).unwrap();
    assert!(history[0].leaf.is_none());
    assert_eq!(history[1].leaf.as_ref().unwrap().commit, CommitSeq(1));
    assert!(snap.entry_proof(fx.table, Seq(1)).unwrap().is_none());
    let report = snap.verify(fx.table).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.signatures_ok, report.commits), (2, 1));
    let hashes: HashSet<_> = snap
        .log(fx.table, Seq(0), 10)
        .unwrap()
        .iter()
        .map(|r| r.entry.hash())
        .collect();
    assert_eq!(hashes.len(), 2);
}
