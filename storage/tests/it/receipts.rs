//! Trusted-time receipts in the store (issue 21): the commits no receipt of a server covers
//! yet, receipts stored once and listed by seq, the one covering a commit, and overlapping or
//! inconsistent receipts refused.

use mindoodb_protocol::{CommitHash, EntryKind, Identity, ServerTime, merkle_path, sign_receipt};
use mindoodb_storage::{CommitSeq, Error, ReceiptSeq, Store, Table};

use crate::{fixture, sealed, signing};

fn server() -> Identity {
    Identity::from_seed(&[0x5e; 32])
}

fn write_commits(store: &Store, table: Table, from: i64, n: i64) {
    for i in from..from + n {
        let doc = format!("d{i}");
        let writes = vec![(table, sealed(&doc, EntryKind::Create, &[], i, 1, "{}"))];
        store.commit_signed(signing(1, writes)).unwrap();
    }
}

/// Signs and stores the next receipt over what is unreceipted (at most `max` commits).
fn receipt_now(store: &Store, table: Table, time: i64, max: usize) -> Option<ReceiptSeq> {
    let pending = store
        .snapshot()
        .unreceipted(table.tenant, &server().public(), CommitSeq(0), max)
        .unwrap()?;
    let receipt = sign_receipt(
        &server(),
        ServerTime(time),
        pending.first.0,
        &pending.commits,
    )
    .unwrap();
    Some(
        store
            .add_receipt(table.tenant, receipt, pending.commits)
            .unwrap(),
    )
}

#[test]
fn receipts_cover_each_commit_once_in_seq_ranges() {
    let fx = fixture();
    let tenant = fx.table.tenant;
    assert_eq!(
        receipt_now(&fx.store, fx.table, 1, 100),
        None,
        "nothing to cover"
    );
    write_commits(&fx.store, fx.table, 0, 5);
    assert_eq!(receipt_now(&fx.store, fx.table, 2, 3), Some(ReceiptSeq(1)));
    assert_eq!(
        receipt_now(&fx.store, fx.table, 3, 100),
        Some(ReceiptSeq(2))
    );
    assert_eq!(receipt_now(&fx.store, fx.table, 4, 100), None);
    write_commits(&fx.store, fx.table, 5, 1);
    assert_eq!(
        receipt_now(&fx.store, fx.table, 5, 100),
        Some(ReceiptSeq(3))
    );

    let snap = fx.store.snapshot();
    let receipts = snap.receipts(tenant, ReceiptSeq(0), 10).unwrap();
    let ranges: Vec<(u64, u64)> = receipts
        .iter()
        .map(|r| (r.receipt.first(), r.receipt.last()))
        .collect();
    assert_eq!(ranges, [(1, 3), (4, 5), (6, 6)]);
    assert_eq!(snap.receipts(tenant, ReceiptSeq(2), 10).unwrap().len(), 1);

    // "Stored by server S no later than T": the covering receipt and the commit's path in it.
    let commit = snap.commit(tenant, CommitSeq(5)).unwrap().unwrap();
    let covering = snap
        .receipt_covering(tenant, &server().public(), CommitSeq(5))
        .unwrap()
        .unwrap();
    assert_eq!(covering.seq, ReceiptSeq(2));
    let receipt = covering.receipt.clone().verify().unwrap();
    assert_eq!(receipt.time(), ServerTime(3));
    let index = (commit.seq.0 - receipt.first()) as u32;
    let path = merkle_path(covering.commits.iter().map(|c| &c.0), index).unwrap();
    receipt.covers(&commit.commit.hash(), &path).unwrap();
    assert!(
        snap.receipt_covering(tenant, &server().public(), CommitSeq(7))
            .unwrap()
            .is_none()
    );
    // Whatever the server: found by the commit's seq and checked by its hash.
    let (found, found_path) = snap
        .receipt_for(tenant, CommitSeq(5), &commit.commit.hash())
        .unwrap()
        .unwrap();
    assert_eq!((found.seq, &found_path), (ReceiptSeq(2), &path));
    let other = snap.commit(tenant, CommitSeq(4)).unwrap().unwrap();
    assert!(
        snap.receipt_for(tenant, CommitSeq(5), &other.commit.hash())
            .unwrap()
            .is_none(),
        "a receipt names the commit at that seq, not another"
    );
    let report = snap.verify_commits(tenant).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.receipts, 3);
}

#[test]
fn the_same_receipt_is_stored_once_and_an_overlapping_one_is_refused() {
    let fx = fixture();
    let tenant = fx.table.tenant;
    write_commits(&fx.store, fx.table, 0, 3);
    let pending = fx
        .store
        .snapshot()
        .unreceipted(tenant, &server().public(), CommitSeq(0), 100)
        .unwrap()
        .unwrap();
    let receipt = sign_receipt(&server(), ServerTime(1), 1, &pending.commits).unwrap();
    let first = fx
        .store
        .add_receipt(tenant, receipt.clone(), pending.commits.clone())
        .unwrap();
    let again = fx
        .store
        .add_receipt(tenant, receipt, pending.commits.clone())
        .unwrap();
    assert_eq!(first, again);

    let later = sign_receipt(&server(), ServerTime(2), 1, &pending.commits).unwrap();
    let err = fx
        .store
        .add_receipt(tenant, later, pending.commits.clone())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ReceiptConflict {
                first: 1,
                last: 3,
                ..
            }
        ),
        "{err}"
    );
    let overlap = sign_receipt(&server(), ServerTime(2), 3, &pending.commits[2..]).unwrap();
    let err = fx
        .store
        .add_receipt(tenant, overlap, pending.commits[2..].to_vec())
        .unwrap_err();
    assert!(matches!(err, Error::ReceiptConflict { .. }), "{err}");

    let wrong = sign_receipt(&server(), ServerTime(2), 4, &[CommitHash([1; 32])]).unwrap();
    let err = fx
        .store
        .add_receipt(tenant, wrong, vec![CommitHash([2; 32])])
        .unwrap_err();
    assert!(matches!(err, Error::InvalidReceipt(_)), "{err}");
    assert_eq!(
        fx.store.snapshot().last_receipt_seq(tenant).unwrap(),
        ReceiptSeq(1)
    );
}

#[test]
fn another_servers_receipts_are_kept_beside_this_ones() {
    let fx = fixture();
    let tenant = fx.table.tenant;
    write_commits(&fx.store, fx.table, 0, 2);
    let hub = Identity::from_seed(&[0x77; 32]);
    let hub_commits = [CommitHash([3; 32]), CommitHash([4; 32])];
    let hub_receipt = sign_receipt(&hub, ServerTime(9), 40, &hub_commits).unwrap();
    fx.store
        .add_receipt(tenant, hub_receipt, hub_commits.to_vec())
        .unwrap();
    // The hub's receipt covers the hub's seqs; this server still owes a receipt for its own.
    assert_eq!(
        receipt_now(&fx.store, fx.table, 10, 100),
        Some(ReceiptSeq(2))
    );
    let snap = fx.store.snapshot();
    let hub_covering = snap
        .receipt_covering(tenant, &hub.public(), CommitSeq(41))
        .unwrap()
        .unwrap();
    assert_eq!(hub_covering.commits, hub_commits);
    assert!(snap.verify_commits(tenant).unwrap().is_ok());
}
