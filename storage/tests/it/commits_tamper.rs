//! Tamper evidence of format 2 (issue 21): raw edits of entries, their places in commits,
//! commits and receipts (store closed) are named by `verify` and `verify_commits`; an entry
//! whose body is absent but whose hash its commit proves is reported as absent, not damaged.

use std::path::Path;

use mindoodb_protocol::{EntryHash, EntryKind, ServerTime, entry_len, sign_receipt};
use mindoodb_storage::{
    BackupError, CommitProblem, CommitSeq, Problem, Progress, Seq, Store, Table, Until, restore,
    verify_backups,
};
use proptest::prelude::*;
use rocksdb::DB;

use crate::verify::{log_key, raw};
use crate::{config, fixture, identity, sealed, signing};

/// Three format-2 entries in one commit, a second commit of one entry chained to it, and a
/// receipt over both; the store is closed on return.
fn two_commits() -> (tempfile::TempDir, Table) {
    let fx = fixture();
    let first = vec![
        (fx.table, sealed("a", EntryKind::Create, &[], 1, 1, "{}")),
        (fx.table, sealed("b", EntryKind::Create, &[], 1, 1, "{}")),
        (fx.table, sealed("c", EntryKind::Create, &[], 1, 1, "{}")),
    ];
    fx.store.commit_signed(signing(1, first)).unwrap();
    let second = vec![(fx.table, sealed("d", EntryKind::Create, &[], 2, 1, "{}"))];
    fx.store.commit_signed(signing(1, second)).unwrap();
    let tenant = fx.table.tenant;
    let server = identity(9);
    let pending = fx
        .store
        .snapshot()
        .unreceipted(tenant, &server.public(), CommitSeq(0), 10)
        .unwrap()
        .unwrap();
    let receipt = sign_receipt(&server, ServerTime(5), 1, &pending.commits).unwrap();
    fx.store
        .add_receipt(tenant, receipt, pending.commits)
        .unwrap();
    (fx.dir, fx.table)
}

#[allow(clippy::big_endian_bytes, reason = "mirrors the store's key layout")]
fn tagged_key(table: Table, tag: u8, seq: u64) -> Vec<u8> {
    let mut key = table.tenant.0.to_be_bytes().to_vec();
    key.push(tag);
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

fn edit(dir: &Path, cf: &str, key: &[u8], change: impl FnOnce(Option<Vec<u8>>) -> Option<Vec<u8>>) {
    let db: DB = raw(dir);
    let handle = db.cf_handle(cf).unwrap();
    match change(db.get_cf(&handle, key).unwrap()) {
        Some(value) => db.put_cf(&handle, key, value).unwrap(),
        None => db.delete_cf(&handle, key).unwrap(),
    }
}

fn reports(dir: &Path, table: Table) -> (Vec<Problem>, Vec<(Seq, EntryHash)>, Vec<CommitProblem>) {
    let store = Store::open(dir, &config()).unwrap();
    let snap = store.snapshot();
    let report = snap.verify(table).unwrap();
    let commits = snap.verify_commits(table.tenant).unwrap();
    (report.problems, report.absent, commits.problems)
}

#[test]
fn an_untouched_format_2_store_verifies() {
    let (dir, table) = two_commits();
    let (problems, absent, commits) = reports(dir.path(), table);
    assert!(problems.is_empty() && absent.is_empty() && commits.is_empty());
}

/// The log value with its entry's body replaced by the absent-entry stub:
/// "MDBA" ‖ the entry's hash ‖ its trailer (docs/FORMAT.md#storage-layout).
fn stub_of(value: &[u8]) -> (Vec<u8>, EntryHash) {
    let len = entry_len(value).unwrap();
    let hash = EntryHash(*blake3::hash(&value[..len]).as_bytes());
    let mut stub = b"MDBA".to_vec();
    stub.extend_from_slice(hash.as_bytes());
    stub.extend_from_slice(&value[len..]);
    (stub, hash)
}

#[test]
fn an_absent_body_whose_hash_the_commit_proves_is_absent_not_damaged() {
    let (dir, table) = two_commits();
    let mut hash = None;
    edit(dir.path(), "log", &log_key(table, 2), |value| {
        let (stub, h) = stub_of(&value.unwrap());
        hash = Some(h);
        Some(stub)
    });
    let (problems, absent, commits) = reports(dir.path(), table);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(commits.is_empty(), "{commits:?}");
    assert_eq!(absent, [(Seq(2), hash.unwrap())]);
}

#[test]
fn a_backup_carries_an_absent_entry_and_a_restore_refuses_it() {
    let (dir, table) = two_commits();
    edit(dir.path(), "log", &log_key(table, 4), |value| {
        Some(stub_of(&value.unwrap()).0)
    });
    let store = Store::open(dir.path(), &config()).unwrap();
    let backups = tempfile::tempdir().unwrap();
    let info = store.backup(backups.path(), 1, &mut Quiet).unwrap();
    assert_eq!(info.entries, 4);
    verify_backups(backups.path(), &mut Quiet).unwrap();
    let target = tempfile::tempdir().unwrap();
    let err = restore(
        backups.path(),
        &target.path().join("restored"),
        &config(),
        Until::End,
        &mut Quiet,
    )
    .unwrap_err();
    assert!(
        matches!(&err, BackupError::Chain(why) if why.contains("absent")),
        "{err}"
    );
}

struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _: &str, _: u64) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}

#[test]
fn an_absent_body_with_another_hash_is_named_as_not_in_its_commit() {
    let (dir, table) = two_commits();
    edit(dir.path(), "log", &log_key(table, 2), |value| {
        let (mut stub, _) = stub_of(&value.unwrap());
        stub[10] ^= 1;
        Some(stub)
    });
    let (problems, absent, _) = reports(dir.path(), table);
    assert!(absent.is_empty());
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::NotInCommit { seq: Seq(2), .. })),
        "{problems:?}"
    );
}

#[test]
fn a_missing_commit_is_named_for_its_entries_and_in_the_commit_log() {
    let (dir, table) = two_commits();
    edit(dir.path(), "commits", &tagged_key(table, b'c', 1), |_| None);
    let (problems, _, commits) = reports(dir.path(), table);
    for seq in 1..=3 {
        assert!(
            problems.iter().any(|p| matches!(
                p,
                Problem::MissingCommit { seq: s, commit: CommitSeq(1), .. } if *s == Seq(seq)
            )),
            "{problems:?}"
        );
    }
    assert_eq!(
        commits.first(),
        Some(&CommitProblem::MissingCommit { seq: CommitSeq(1) })
    );
    assert!(
        commits.iter().any(|p| matches!(
            p,
            CommitProblem::ChainGap {
                seq: CommitSeq(2),
                ..
            }
        )),
        "the second commit's predecessor is gone: {commits:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any single-bit flip in a stored format-2 log value (entry or trailer) is reported at
    /// that entry's seq.
    #[test]
    fn any_flipped_log_value_bit_is_named_at_its_seq(seq in 1u64..=4, bit in any::<prop::sample::Index>()) {
        let (dir, table) = two_commits();
        edit(dir.path(), "log", &log_key(table, seq), |value| {
            let mut value = value.unwrap();
            let idx = bit.index(value.len() * 8);
            value[idx / 8] ^= 1 << (idx % 8);
            Some(value)
        });
        let (problems, absent, _) = reports(dir.path(), table);
        prop_assert!(absent.is_empty());
        prop_assert!(problems.iter().any(|p| p.seq() == Some(Seq(seq))), "{:?}", problems);
    }

    /// Any single-bit flip in a stored commit record is named by `verify_commits` at that
    /// commit, and its entries are named unproven by `verify`.
    #[test]
    fn any_flipped_commit_bit_is_named(commit in 1u64..=2, bit in any::<prop::sample::Index>()) {
        let (dir, table) = two_commits();
        edit(dir.path(), "commits", &tagged_key(table, b'c', commit), |value| {
            let mut value = value.unwrap();
            let idx = bit.index(value.len() * 8);
            value[idx / 8] ^= 1 << (idx % 8);
            Some(value)
        });
        let (problems, _, commits) = reports(dir.path(), table);
        prop_assert!(!commits.is_empty());
        let named = |p: &CommitProblem| match p {
            CommitProblem::Undecodable { seq, .. }
            | CommitProblem::BadSignature { seq, .. }
            | CommitProblem::BadLeaves { seq, .. }
            | CommitProblem::IndexMismatch { seq, .. } => seq.0 == commit,
            _ => false,
        };
        prop_assert!(commits.iter().any(named), "{:?}", commits);
        let entry_seq = if commit == 1 { 1 } else { 4 };
        prop_assert!(problems.iter().any(|p| p.seq() == Some(Seq(entry_seq))), "{:?}", problems);
    }

    /// Any single-bit flip in a stored receipt record is named by `verify_commits`.
    #[test]
    fn any_flipped_receipt_bit_is_named(bit in any::<prop::sample::Index>()) {
        let (dir, table) = two_commits();
        edit(dir.path(), "commits", &tagged_key(table, b'r', 1), |value| {
            let mut value = value.unwrap();
            let idx = bit.index(value.len() * 8);
            value[idx / 8] ^= 1 << (idx % 8);
            Some(value)
        });
        let (_, _, commits) = reports(dir.path(), table);
        prop_assert!(
            matches!(commits.as_slice(), [CommitProblem::BadReceipt { seq, .. }] if seq.0 == 1),
            "{:?}",
            commits
        );
    }
}
