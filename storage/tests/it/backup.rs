//! Backups (issue 7): a chain of a full and incremental backups restores to each point, with
//! identical feeds and seqs; a damaged or missing file is detected before anything is
//! restored; an incremental backup refuses a data directory that does not extend the chain;
//! backup files hold no plaintext.

use mindoodb_protocol::{AuthorClock, EntryKind};
use mindoodb_storage::{BackupError, Progress, Seq, Store, Table, Until, restore, verify_backups};

use crate::{config, doc_id, entry, fixture, local};

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
                .create_table(tenant, "crm2026", None)
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
