//! Backups (issue 7): a chain of a full and incremental backups restores to each point, with
//! identical feeds and seqs; a damaged or missing file is detected before anything is
//! restored; an incremental backup refuses a data directory that does not extend the chain;
//! backup files hold no plaintext; commits and receipts travel and restore at their seqs.

use mindoodb_protocol::{AuthorClock, EntryKind, Identity, ServerTime, sign_receipt};
use mindoodb_storage::{
    BackupError, CommitSeq, Progress, ReceiptSeq, Seq, Store, Table, TenantId, Until, restore,
    verify_backups,
};

use crate::{config, doc_id, entry, fixture, local, sealed, signing};

/// Progress that counts what it was told, to check the totals add up.
#[derive(Default)]
struct Count {
    started: Vec<(String, u64)>,
    advanced: u64,
}

impl Progress for Count {
    fn start(&mut self, step: &str, total: u64) {
        self.started.push((step.to_owned(), total));
    }
    fn advance(&mut self, n: u64) {
        self.advanced += n;
    }
    fn finish(&mut self) {}
}

/// Every (seq, id, rev) of `table`'s feed.
fn feed(store: &Store, table: Table) -> Vec<(u64, String, String)> {
    store
        .snapshot()
        .changes(table, Seq(0), usize::MAX)
        .unwrap()
        .into_iter()
        .map(|c| {
            (
                c.seq.0,
                c.doc.id.to_string(),
                c.doc.winner.hash().to_string(),
            )
        })
        .collect()
}

fn write_docs(store: &Store, table: Table, from: i64, n: i64) {
    for i in from..from + n {
        let e = entry(
            &format!("d{i}"),
            EntryKind::Create,
            &[],
            i,
            1,
            "{\"secret\":\"plaintext-marker\"}",
        );
        store.commit(local(table, &e)).unwrap();
    }
}

#[test]
fn an_incremental_chain_of_three_restores_to_each_point() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap().id;
    let backups = tempfile::tempdir().unwrap();
    let mut feeds = Vec::new();
    let mut progress = Count::default();
    for (round, clock) in [(0, 100), (1, 200), (2, 300)] {
        write_docs(&fx.store, fx.table, clock, 5);
        if round == 1 {
            // A second table appears in the middle of the chain, then is archived.
            let other = fx
                .store
                .create_table(tenant, "crm2026", None, Default::default())
                .unwrap()
                .table;
            write_docs(&fx.store, other, 250, 3);
            fx.store.set_read_only(tenant, "crm2026", true).unwrap();
        }
        let info = fx
            .store
            .backup(backups.path(), clock, &mut progress)
            .unwrap();
        assert_eq!(info.number, round + 1);
        assert_eq!(info.entries, if round == 1 { 8 } else { 5 });
        feeds.push(feed(&fx.store, fx.table));
    }
    assert!(
        progress
            .started
            .iter()
            .any(|(step, total)| step == "backup" && *total == 5)
    );

    let infos = verify_backups(backups.path(), &mut Count::default()).unwrap();
    assert_eq!(infos.len(), 3);
    for file in &infos {
        let bytes = std::fs::read(&file.path).unwrap();
        assert!(
            !bytes.windows(16).any(|w| w == b"plaintext-marker"),
            "{} holds plaintext",
            file.path.display()
        );
    }

    // Everything, then each point by seq and by author clock.
    let cases = [
        (Until::End, 2),
        (Until::Seq(Seq(5)), 0),
        (Until::Seq(Seq(10)), 1),
        (Until::Clock(AuthorClock(204)), 1),
        (Until::Clock(AuthorClock(99)), usize::MAX),
    ];
    for (until, point) in cases {
        let target = tempfile::tempdir().unwrap();
        let dir = target.path().join("restored");
        let summary = restore(
            backups.path(),
            &dir,
            &config(),
            until,
            &mut Count::default(),
        )
        .unwrap();
        assert_eq!(summary.files, 3);
        let store = Store::open(&dir, &config()).unwrap();
        let info = store.table(tenant, "crm2025").unwrap();
        assert_eq!(info.table, fx.table);
        let want = feeds.get(point).cloned().unwrap_or_default();
        assert_eq!(feed(&store, fx.table), want, "{until:?}");
        let report = store.snapshot().verify(fx.table).unwrap();
        assert!(report.is_ok(), "{until:?}: {report:?}");
        let archived = store.table(tenant, "crm2026").unwrap();
        assert!(archived.read_only, "the read-only flag is restored");
        if until == Until::End {
            assert_eq!(store.snapshot().last_seq(archived.table).unwrap(), Seq(3));
            assert_eq!(store.roles().unwrap(), fx.store.roles().unwrap());
        }
    }
}

#[test]
fn a_damaged_or_missing_backup_file_is_detected_and_nothing_is_restored() {
    let fx = fixture();
    let backups = tempfile::tempdir().unwrap();
    write_docs(&fx.store, fx.table, 1, 4);
    let first = fx
        .store
        .backup(backups.path(), 1, &mut Count::default())
        .unwrap();
    write_docs(&fx.store, fx.table, 10, 4);
    let second = fx
        .store
        .backup(backups.path(), 2, &mut Count::default())
        .unwrap();

    // One flipped byte in the middle of an entry of the second file.
    let mut bytes = std::fs::read(&second.path).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 0x01;
    std::fs::write(&second.path, &bytes).unwrap();
    let err = verify_backups(backups.path(), &mut Count::default()).unwrap_err();
    assert!(matches!(err, BackupError::Damaged { .. }), "{err}");
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("restored");
    let err = restore(
        backups.path(),
        &dir,
        &config(),
        Until::End,
        &mut Count::default(),
    )
    .unwrap_err();
    assert!(matches!(err, BackupError::Damaged { .. }), "{err}");
    assert!(!dir.exists(), "nothing was written");

    // A missing first file breaks the chain.
    bytes[at] ^= 0x01;
    std::fs::write(&second.path, &bytes).unwrap();
    verify_backups(backups.path(), &mut Count::default()).unwrap();
    std::fs::remove_file(&first.path).unwrap();
    let err = verify_backups(backups.path(), &mut Count::default()).unwrap_err();
    assert!(matches!(err, BackupError::Chain(_)), "{err}");
}

#[test]
fn restore_refuses_a_non_empty_target_and_backup_refuses_a_foreign_chain() {
    let fx = fixture();
    let backups = tempfile::tempdir().unwrap();
    write_docs(&fx.store, fx.table, 1, 2);
    fx.store
        .backup(backups.path(), 1, &mut Count::default())
        .unwrap();
    let err = restore(
        backups.path(),
        fx.dir.path(),
        &config(),
        Until::End,
        &mut Count::default(),
    )
    .unwrap_err();
    assert!(matches!(err, BackupError::NotEmpty(_)), "{err}");

    // Another store with the same table ids but other entries cannot continue this chain.
    let other = fixture();
    write_docs(&other.store, other.table, 50, 3);
    let err = other
        .store
        .backup(backups.path(), 2, &mut Count::default())
        .unwrap_err();
    assert!(matches!(err, BackupError::Chain(_)), "{err}");
    assert_eq!(
        verify_backups(backups.path(), &mut Count::default())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_secondary_backs_up_while_the_primary_writes() {
    let fx = fixture();
    write_docs(&fx.store, fx.table, 1, 20);
    let backups = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let writer = {
        let store = fx.store.clone();
        let table = fx.table;
        std::thread::spawn(move || write_docs(&store, table, 100, 200))
    };
    let secondary = Store::open_secondary(fx.dir.path(), scratch.path(), &config()).unwrap();
    let info = secondary
        .backup(backups.path(), 1, &mut Count::default())
        .unwrap();
    drop(secondary);
    writer.join().unwrap();
    assert!(info.entries >= 20, "{}", info.entries);

    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("restored");
    restore(
        backups.path(),
        &dir,
        &config(),
        Until::End,
        &mut Count::default(),
    )
    .unwrap();
    let store = Store::open(&dir, &config()).unwrap();
    let restored = feed(&store, fx.table);
    assert_eq!(restored.len() as u64, info.entries);
    // What was backed up is exactly a prefix of the primary's feed.
    assert_eq!(restored, feed(&fx.store, fx.table)[..restored.len()]);
    assert!(
        store
            .snapshot()
            .doc(fx.table, &doc_id("d1"))
            .unwrap()
            .is_some()
    );
}

/// Every commit and receipt of `tenant`, as bytes, in seq order.
fn commit_log(store: &Store, tenant: TenantId) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let snap = store.snapshot();
    let commits = snap
        .commits(tenant, CommitSeq(0), usize::MAX)
        .unwrap()
        .into_iter()
        .map(|c| c.commit.bytes().to_vec())
        .collect();
    let receipts = snap
        .receipts(tenant, ReceiptSeq(0), usize::MAX)
        .unwrap()
        .into_iter()
        .map(|r| r.receipt.bytes().to_vec())
        .collect();
    (commits, receipts)
}

fn receipt_now(store: &Store, tenant: TenantId, time: i64) {
    let server = Identity::from_seed(&[0x5e; 32]);
    let pending = store
        .snapshot()
        .unreceipted(tenant, &server.public(), CommitSeq(0), 1000)
        .unwrap()
        .unwrap();
    let receipt =
        sign_receipt(&server, ServerTime(time), pending.first.0, &pending.commits).unwrap();
    store.add_receipt(tenant, receipt, pending.commits).unwrap();
}

#[test]
fn commits_and_receipts_are_backed_up_incrementally_and_restored_at_their_seqs() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap().id;
    let other = fx
        .store
        .create_table(tenant, "crm2026", None, Default::default())
        .unwrap()
        .table;
    let backups = tempfile::tempdir().unwrap();
    for round in 0..2i64 {
        write_docs(&fx.store, fx.table, round * 100, 2);
        for i in 0..3 {
            let doc = format!("s{round}-{i}");
            let writes = vec![
                (
                    fx.table,
                    sealed(&doc, EntryKind::Create, &[], round * 100 + 50, 1, "{}"),
                ),
                (
                    other,
                    sealed(&format!("{doc}-u"), EntryKind::Create, &[], 1, 1, "{}"),
                ),
            ];
            fx.store.commit_signed(signing(1, writes)).unwrap();
        }
        receipt_now(&fx.store, tenant, round);
        let info = fx
            .store
            .backup(backups.path(), round, &mut Count::default())
            .unwrap();
        let range = info.tenants.iter().find(|r| r.tenant == tenant).unwrap();
        assert_eq!(
            (range.commits.first, range.commits.count),
            ((round * 3 + 1) as u64, 3)
        );
        assert_eq!(
            (range.receipts.first, range.receipts.count),
            ((round + 1) as u64, 1)
        );
    }
    let infos = verify_backups(backups.path(), &mut Count::default()).unwrap();
    assert_eq!(infos.len(), 2);

    for until in [Until::End, Until::Seq(Seq(3))] {
        let target = tempfile::tempdir().unwrap();
        let dir = target.path().join("restored");
        restore(
            backups.path(),
            &dir,
            &config(),
            until,
            &mut Count::default(),
        )
        .unwrap();
        let store = Store::open(&dir, &config()).unwrap();
        assert_eq!(
            commit_log(&store, tenant),
            commit_log(&fx.store, tenant),
            "{until:?}: commits and receipts are restored whole"
        );
        let snap = store.snapshot();
        for table in [fx.table, other] {
            let report = snap.verify(table).unwrap();
            assert!(report.is_ok(), "{until:?}: {report:?}");
        }
        let report = snap.verify_commits(tenant).unwrap();
        assert!(report.is_ok(), "{until:?}: {report:?}");
        if until == Until::End {
            assert_eq!(feed(&store, fx.table), feed(&fx.store, fx.table));
            assert_eq!(feed(&store, other), feed(&fx.store, other));
            let head = snap
                .chain_head(tenant, &crate::identity(1).public())
                .unwrap();
            let original = fx
                .store
                .snapshot()
                .chain_head(tenant, &crate::identity(1).public());
            assert_eq!(head, original.unwrap());
        }
    }
}

#[test]
fn a_commit_altered_in_a_backup_file_is_named() {
    let fx = fixture();
    let writes = vec![(fx.table, sealed("a", EntryKind::Create, &[], 1, 1, "{}"))];
    let stored = fx.store.commit_signed(signing(1, writes)).unwrap();
    let backups = tempfile::tempdir().unwrap();
    let info = fx
        .store
        .backup(backups.path(), 1, &mut Count::default())
        .unwrap();
    // Flip the commit's signature wherever the file holds it (the commit log and the table's
    // stream) and put the digest right, so only the signature check can notice.
    let mut bytes = std::fs::read(&info.path).unwrap();
    let signature = &stored.tree.commit().bytes()[stored.tree.commit().bytes().len() - 64..];
    let spots: Vec<usize> = bytes
        .windows(64)
        .enumerate()
        .filter(|(_, w)| *w == signature)
        .map(|(at, _)| at)
        .collect();
    assert_eq!(spots.len(), 2);
    for at in spots {
        bytes[at + 10] ^= 1;
    }
    let body = bytes.len() - 32;
    let digest = *blake3::hash(&bytes[..body]).as_bytes();
    bytes[body..].copy_from_slice(&digest);
    std::fs::write(&info.path, &bytes).unwrap();
    let err = verify_backups(backups.path(), &mut Count::default()).unwrap_err();
    assert!(
        matches!(&err, BackupError::Damaged { why, .. } if why.contains("fails verification")),
        "{err}"
    );
}

/// Rewrites a version-4 file of a store without commits or audit records into the version-1
/// layout it had before commits existed (docs/FORMAT.md#backup-files): no tenant, audit or
/// received-audit ranges, entries without an item kind. What a store written by an older build left behind.
fn as_version_1(v2: &[u8]) -> Vec<u8> {
    let u32_at = |at: usize| u32::from_le_bytes(v2[at..at + 4].try_into().unwrap()) as usize;
    let mut out = v2[..56].to_vec();
    out[8..12].copy_from_slice(&1u32.to_le_bytes());
    let mut at = 56;
    let n_catalog = u32_at(at);
    at += 4;
    for _ in 0..2 * n_catalog {
        at += 4 + u32_at(at);
    }
    let n_tables = u32_at(at);
    let counts: Vec<u64> = (0..n_tables)
        .map(|i| {
            let count = at + 4 + 56 * i + 16;
            u64::from_le_bytes(v2[count..count + 8].try_into().unwrap())
        })
        .collect();
    at += 4 + 56 * n_tables;
    out.extend_from_slice(&v2[56..at]);
    let n_tenants = u32_at(at);
    for tenant in 0..n_tenants {
        let range = at + 4 + 100 * tenant + 4;
        for count in [range + 8, range + 56] {
            assert_eq!(v2[count..count + 8], [0; 8], "the store holds no commits");
        }
    }
    at += 4 + 100 * n_tenants;
    let n_audits = u32_at(at);
    for audit in 0..n_audits {
        let count = at + 4 + 56 * audit + 16;
        assert_eq!(
            v2[count..count + 8],
            [0; 8],
            "the store holds no audit records"
        );
    }
    at += 4 + 56 * n_audits;
    assert_eq!(u32_at(at), 0, "the store holds no received audit chains");
    at += 4;
    for count in counts {
        for _ in 0..count {
            assert_eq!(v2[at], 1, "an entry item");
            let len = u32_at(at + 1);
            out.extend_from_slice(&v2[at + 1..at + 5 + len]);
            at += 5 + len;
        }
    }
    assert_eq!(at, v2.len() - 32);
    let digest = *blake3::hash(&out).as_bytes();
    out.extend_from_slice(&digest);
    out
}

#[test]
fn version_1_files_verify_restore_and_are_continued_by_version_2_files() {
    let fx = fixture();
    write_docs(&fx.store, fx.table, 1, 4);
    let backups = tempfile::tempdir().unwrap();
    let first = fx
        .store
        .backup(backups.path(), 1, &mut Count::default())
        .unwrap();
    let v1 = as_version_1(&std::fs::read(&first.path).unwrap());
    std::fs::write(&first.path, &v1).unwrap();
    let infos = verify_backups(backups.path(), &mut Count::default()).unwrap();
    assert!(
        infos[0].tenants.is_empty(),
        "a version-1 file has no commits"
    );

    let writes = vec![(fx.table, sealed("s", EntryKind::Create, &[], 9, 1, "{}"))];
    fx.store.commit_signed(signing(1, writes)).unwrap();
    write_docs(&fx.store, fx.table, 10, 2);
    let second = fx
        .store
        .backup(backups.path(), 2, &mut Count::default())
        .unwrap();
    assert_eq!(second.entries, 3);
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("restored");
    restore(
        backups.path(),
        &dir,
        &config(),
        Until::End,
        &mut Count::default(),
    )
    .unwrap();
    let store = Store::open(&dir, &config()).unwrap();
    assert_eq!(feed(&store, fx.table), feed(&fx.store, fx.table));
    assert!(store.snapshot().verify(fx.table).unwrap().is_ok());
    assert!(
        store
            .snapshot()
            .verify_commits(fx.table.tenant)
            .unwrap()
            .is_ok()
    );
}
