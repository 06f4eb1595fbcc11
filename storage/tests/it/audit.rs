//! Read-audit logs (issue 19, item 5): a table's `audit_reads` flag persists; its records form
//! a signed chain from seq 1 that survives a reopen; an edited, removed or reordered record is
//! reported as corruption when the log is read; the log goes with its table; a full and an
//! incremental backup carry it and a restore puts every record back at its seq, byte for byte.

use mindoodb_protocol::ServerTime;
use mindoodb_storage::{AuditRead, Error, Progress, Store, Table, Until, restore, verify_backups};
use rocksdb::DB;

use crate::verify::{log_key, raw};
use crate::{config, fixture, identity};

fn read<'a>(ids: &'a [String]) -> AuditRead<'a> {
    AuditRead {
        time: ServerTime(42),
        login: "alice",
        role: "nurses",
        fingerprint: "SELECT * FROM crm2025 WHERE id = ?",
        ids,
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// Three records of one id each ("a", "b", "c"), by two signers; the store is closed.
fn three_records() -> (tempfile::TempDir, Table) {
    let fx = fixture();
    fx.store
        .set_audit_reads(fx.table.tenant, "crm2025", true)
        .unwrap();
    for (idx, id) in ["a", "b", "c"].into_iter().enumerate() {
        let signer = identity(1 + (idx % 2) as u8);
        let record = fx
            .store
            .append_audit(fx.table, &signer, &read(&ids(&[id])))
            .unwrap();
        assert_eq!(record.seq(), idx as u64 + 1);
    }
    (fx.dir, fx.table)
}

fn log(dir: &std::path::Path, table: Table) -> Result<Vec<(u64, Vec<String>)>, Error> {
    let store = Store::open(dir, &config()).unwrap();
    let records = store.audit_log(table, 0, 100)?;
    Ok(records
        .iter()
        .map(|r| (r.seq(), r.ids().to_vec()))
        .collect())
}

#[test]
fn records_chain_persist_and_page() {
    let (dir, table) = three_records();
    let store = Store::open(dir.path(), &config()).unwrap();
    assert!(store.audits_reads(table));
    assert!(store.table(table.tenant, "crm2025").unwrap().audit_reads);
    let all = store.audit_log(table, 0, 100).unwrap();
    assert_eq!(all.iter().map(|r| r.seq()).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(all[0].prev(), &[0; 32]);
    assert_eq!(all[1].prev(), &all[0].hash());
    assert_eq!(all[2].prev(), &all[1].hash());
    assert_eq!(all[1].ids(), ids(&["b"]).as_slice());
    assert_eq!(all[0].role(), "nurses");
    assert_eq!(all[0].server(), identity(1).public());
    assert_eq!(all[1].server(), identity(2).public());
    // Paging: after seq 1, at most one.
    let page = store.audit_log(table, 1, 1).unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].seq(), 2);
    // The chain goes on after a reopen.
    let next = store
        .append_audit(table, &identity(3), &read(&ids(&["d"])))
        .unwrap();
    assert_eq!(next.seq(), 4);
    assert_eq!(next.prev(), &all[2].hash());
    store
        .set_audit_reads(table.tenant, "crm2025", false)
        .unwrap();
    assert!(!store.audits_reads(table));
}

#[test]
fn edited_removed_or_moved_records_are_corruption() {
    type Edit = fn(&DB, &rocksdb::ColumnFamily, Table);
    let edits: [(&str, Edit); 3] = [
        ("flipped byte", |db, cf, table| {
            let key = log_key(table, 2);
            let mut value = db.get_cf(cf, &key).unwrap().unwrap();
            let last = value.len() - 70;
            value[last] ^= 1;
            db.put_cf(cf, &key, value).unwrap();
        }),
        ("removed record", |db, cf, table| {
            db.delete_cf(cf, log_key(table, 2)).unwrap();
        }),
        ("record under another seq", |db, cf, table| {
            let value = db.get_cf(cf, log_key(table, 3)).unwrap().unwrap();
            db.put_cf(cf, log_key(table, 2), value).unwrap();
        }),
    ];
    for (what, edit) in edits {
        let (dir, table) = three_records();
        {
            let db = raw(dir.path());
            let cf = db.cf_handle("audit").unwrap();
            edit(&db, cf, table);
        }
        match log(dir.path(), table) {
            Err(Error::Corrupted(_)) => {}
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn the_log_goes_with_its_table() {
    let (dir, table) = three_records();
    let store = Store::open(dir.path(), &config()).unwrap();
    store.drop_table(table.tenant, "crm2025").unwrap();
    assert!(matches!(
        store.append_audit(table, &identity(1), &read(&ids(&["x"]))),
        Err(Error::NoSuchTable(_))
    ));
    assert!(store.audit_log(table, 0, 10).unwrap().is_empty());
    let again = store
        .create_table(table.tenant, "crm2025", None, Default::default())
        .unwrap();
    assert!(!again.audit_reads);
    assert!(store.audit_log(again.table, 0, 10).unwrap().is_empty());
}

#[test]
fn concurrent_appends_form_one_gap_free_chain_per_table() {
    let fx = fixture();
    let second = fx
        .store
        .create_table(fx.table.tenant, "crm2026", None, Default::default())
        .unwrap()
        .table;
    let (threads, each) = (8, 25);
    let appended: Vec<Vec<(Table, u64, [u8; 32])>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|n| {
                let store = &fx.store;
                let table = if n % 2 == 0 { fx.table } else { second };
                scope.spawn(move || {
                    let signer = identity(1 + n as u8);
                    (0..each)
                        .map(|i| {
                            let id = ids(&[&format!("{n}-{i}")]);
                            let record = store.append_audit(table, &signer, &read(&id)).unwrap();
                            (table, record.seq(), record.hash())
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let dir = fx.dir;
    drop(fx.store);
    let store = Store::open(dir.path(), &config()).unwrap();
    for table in [fx.table, second] {
        // Every record any caller was given is stored, at its seq, in one gap-free chain.
        let log = store.audit_log(table, 0, 1000).unwrap();
        let half = threads / 2 * each;
        assert_eq!(
            log.iter().map(|r| r.seq()).collect::<Vec<_>>(),
            (1..=half as u64).collect::<Vec<_>>()
        );
        let given: Vec<(u64, [u8; 32])> = appended
            .iter()
            .flatten()
            .filter(|(t, _, _)| *t == table)
            .map(|(_, seq, hash)| (*seq, *hash))
            .collect();
        assert_eq!(given.len(), half);
        for (seq, hash) in given {
            assert_eq!(log[seq as usize - 1].hash(), hash);
        }
    }
}

struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _step: &str, _total: u64) {}
    fn advance(&mut self, _n: u64) {}
    fn finish(&mut self) {}
}

#[test]
fn backups_carry_the_log_and_restore_puts_it_back() {
    let (dir, table) = three_records();
    let store = Store::open(dir.path(), &config()).unwrap();
    let backups = tempfile::tempdir().unwrap();
    let full = store.backup(backups.path(), 1, &mut Quiet).unwrap();
    assert_eq!(full.audits.iter().map(|r| r.count).sum::<u64>(), 3);
    store
        .append_audit(table, &identity(4), &read(&ids(&["d", "e"])))
        .unwrap();
    let incremental = store.backup(backups.path(), 2, &mut Quiet).unwrap();
    let range = incremental
        .audits
        .iter()
        .find(|r| r.table == table)
        .unwrap();
    assert_eq!((range.first.0, range.count), (4, 1));
    assert_eq!(verify_backups(backups.path(), &mut Quiet).unwrap().len(), 2);
    let original: Vec<Vec<u8>> = store
        .audit_log(table, 0, 100)
        .unwrap()
        .iter()
        .map(|r| r.bytes().to_vec())
        .collect();
    assert_eq!(original.len(), 4);

    let target = tempfile::tempdir().unwrap();
    let restored_dir = target.path().join("restored");
    restore(
        backups.path(),
        &restored_dir,
        &config(),
        Until::End,
        &mut Quiet,
    )
    .unwrap();
    let restored = Store::open(&restored_dir, &config()).unwrap();
    assert!(restored.audits_reads(table));
    let again: Vec<Vec<u8>> = restored
        .audit_log(table, 0, 100)
        .unwrap()
        .iter()
        .map(|r| r.bytes().to_vec())
        .collect();
    assert_eq!(again, original);
    // The restored chain goes on.
    let next = restored
        .append_audit(table, &identity(5), &read(&ids(&["f"])))
        .unwrap();
    assert_eq!(next.seq(), 5);
}
