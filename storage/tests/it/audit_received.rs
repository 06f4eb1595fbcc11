//! Read-audit chains received from other nodes (issue 19, item 5: "backed up and mirrored like
//! any table"): a chain starts only at its record 1, whose hash is its id; a record is stored
//! only when it extends the chain held (a fork, a gap or a record 1 under another id is refused
//! and changes nothing); re-adding is idempotent; the node's own chain takes nothing from
//! elsewhere and is never mixed with received ones; a flipped byte in a stored received record
//! is corruption; received chains go with their table, and backups carry them and restore them
//! as received chains, byte for byte.

use mindoodb_protocol::{AuditBody, AuditChainId, AuditRecord, ServerTime, sign_audit};
use mindoodb_storage::{
    AuditAdded, AuditChain, AuditRead, Error, Progress, Store, Table, Until, restore,
    verify_backups,
};

use crate::verify::raw;
use crate::{config, fixture, identity};

/// `n` records of a hub's own chain of its table, signed by alternating keys.
fn hub_chain(n: usize) -> Vec<AuditRecord> {
    let fx = fixture();
    for idx in 0..n {
        let ids = vec![format!("p{idx}")];
        let read = AuditRead {
            time: ServerTime(1_000 + idx as i64),
            login: "alice",
            role: "nurses",
            fingerprint: "SELECT * FROM crm2025 WHERE id = ?",
            ids: &ids,
        };
        fx.store
            .append_audit(fx.table, &identity(1 + (idx % 2) as u8), &read)
            .unwrap();
    }
    fx.store.audit_log(fx.table, 0, 100).unwrap()
}

/// A record `seq` after `prev`, signed by `signer`, listing `id`.
fn forged(signer: u8, seq: u64, prev: [u8; 32], id: &str) -> AuditRecord {
    let ids = vec![id.to_owned()];
    let body = AuditBody {
        prev,
        seq,
        time: ServerTime(9_999),
        login: "mallory",
        role: "mallory",
        fingerprint: "SELECT * FROM crm2025",
        ids: &ids,
    };
    sign_audit(&identity(signer), &body).unwrap()
}

fn added(appended: u64, known: u64, refused: Option<u64>) -> AuditAdded {
    AuditAdded {
        appended,
        known,
        refused: refused.map(|seq| (seq, String::new())),
    }
}

/// `res` without its refusal's reason (the reasons are for logs).
fn outcome(res: AuditAdded) -> AuditAdded {
    AuditAdded {
        refused: res.refused.map(|(seq, _)| (seq, String::new())),
        ..res
    }
}

fn bytes(records: &[AuditRecord]) -> Vec<Vec<u8>> {
    records.iter().map(|r| r.bytes().to_vec()).collect()
}

fn chain_log(store: &Store, table: Table, chain: &AuditChainId) -> Vec<Vec<u8>> {
    bytes(&store.audit_chain_log(table, chain, 0, 100).unwrap())
}

#[test]
fn a_received_chain_is_stored_only_as_it_extends() {
    let hub = hub_chain(4);
    let chain = AuditChainId(hub[0].hash());
    let fx = fixture();
    let (store, table) = (&fx.store, fx.table);
    let add =
        |records: &[AuditRecord]| outcome(store.add_audit_records(table, &chain, records).unwrap());

    // A chain is not held yet: only its record 1 starts it.
    assert_eq!(add(&hub[1..2]), added(0, 0, Some(2)));
    // Record 1 of another chain under this id.
    let other = forged(7, 1, [0; 32], "x");
    assert_eq!(add(std::slice::from_ref(&other)), added(0, 0, Some(1)));
    assert!(store.audit_chains(table).unwrap().is_empty());

    // Records 1 and 2, then again: idempotent.
    assert_eq!(add(&hub[..2]), added(2, 0, None));
    assert_eq!(add(&hub[..2]), added(0, 2, None));
    // A gap: 4 after 2.
    assert_eq!(add(&hub[3..4]), added(0, 0, Some(4)));
    // Stops at the first refused record: 3 is stored, the forged fork of 4 is not, and
    // nothing after it is looked at.
    let fork = forged(8, 4, [5; 32], "y");
    assert_eq!(
        add(&[hub[2].clone(), fork.clone(), hub[3].clone()]),
        added(1, 0, Some(4))
    );
    // A different record at a seq held (a fork of the past).
    let rewrite = forged(8, 2, hub[0].hash(), "z");
    assert_eq!(add(std::slice::from_ref(&rewrite)), added(0, 0, Some(2)));
    assert_eq!(add(&hub[3..4]), added(1, 0, None));

    assert_eq!(chain_log(store, table, &chain), bytes(&hub));
    assert_eq!(
        store.audit_chains(table).unwrap(),
        [AuditChain {
            id: chain,
            last_seq: 4,
            head: hub[3].hash(),
            received: true,
        }]
    );
    // Paging from a position, as stored.
    let raw_page = store.audit_chain_raw(table, &chain, 1, 2).unwrap();
    assert_eq!(
        raw_page
            .iter()
            .map(|(seq, bytes)| (*seq, bytes.to_vec()))
            .collect::<Vec<_>>(),
        vec![(2, hub[1].bytes().to_vec()), (3, hub[2].bytes().to_vec())]
    );
    let verified = store.audit_chain_log(table, &chain, 2, 1).unwrap();
    assert_eq!(bytes(&verified), bytes(&hub[2..3]));
}

#[test]
fn the_own_chain_takes_nothing_from_elsewhere_and_stays_apart() {
    let hub = hub_chain(2);
    let hub_id = AuditChainId(hub[0].hash());
    let fx = fixture();
    let (store, table) = (&fx.store, fx.table);
    store.add_audit_records(table, &hub_id, &hub).unwrap();
    let ids = vec!["m1".to_owned()];
    let read = AuditRead {
        time: ServerTime(5),
        login: "bob",
        role: "bob",
        fingerprint: "SELECT * FROM crm2025",
        ids: &ids,
    };
    // The node's own reads start its own chain at 1, beside the received one.
    let own = store.append_audit(table, &identity(3), &read).unwrap();
    assert_eq!(own.seq(), 1);
    let own_id = AuditChainId(own.hash());
    let mut want = vec![
        AuditChain {
            id: hub_id,
            last_seq: 2,
            head: hub[1].hash(),
            received: true,
        },
        AuditChain {
            id: own_id,
            last_seq: 1,
            head: own.hash(),
            received: false,
        },
    ];
    want.sort_by_key(|chain| chain.id);
    assert_eq!(store.audit_chains(table).unwrap(), want);
    assert_eq!(
        bytes(&store.audit_log(table, 0, 10).unwrap()),
        bytes(std::slice::from_ref(&own))
    );

    // Its own record offered back is known; anything else under its id is refused.
    let back = store
        .add_audit_records(table, &own_id, std::slice::from_ref(&own))
        .unwrap();
    assert_eq!(outcome(back), added(0, 1, None));
    let next = forged(4, 2, own.hash(), "m2");
    let refused = store
        .add_audit_records(table, &own_id, std::slice::from_ref(&next))
        .unwrap();
    assert_eq!(outcome(refused), added(0, 0, Some(2)));
    assert_eq!(
        bytes(&store.audit_log(table, 0, 10).unwrap()),
        bytes(&[own])
    );
    assert_eq!(chain_log(store, table, &hub_id), bytes(&hub));
}

#[test]
#[allow(clippy::big_endian_bytes, reason = "mirrors the store's key layout")]
fn a_flipped_byte_in_a_received_record_is_corruption() {
    let hub = hub_chain(3);
    let chain = AuditChainId(hub[0].hash());
    let fx = fixture();
    fx.store.add_audit_records(fx.table, &chain, &hub).unwrap();
    let (dir, table) = (fx.dir, fx.table);
    drop(fx.store);
    {
        let db = raw(dir.path());
        let cf = db.cf_handle("audit_received").unwrap();
        let mut key = table.tenant.0.to_be_bytes().to_vec();
        key.extend_from_slice(&table.id.0.to_be_bytes());
        key.extend_from_slice(&chain.0);
        key.extend_from_slice(&2u64.to_be_bytes());
        let mut value = db.get_cf(cf, &key).unwrap().unwrap();
        let at = value.len() - 70;
        value[at] ^= 1;
        db.put_cf(cf, &key, value).unwrap();
    }
    let store = Store::open(dir.path(), &config()).unwrap();
    assert!(matches!(
        store.audit_chain_log(table, &chain, 0, 10),
        Err(Error::Corrupted(_))
    ));
    // The flipped record goes out as stored; the receiver's verification refuses it.
    let sent = store.audit_chain_raw(table, &chain, 1, 1).unwrap();
    assert_eq!(sent.len(), 1);
    assert!(mindoodb_protocol::verify_audit(&sent[0].1).is_err());
}

#[test]
fn received_chains_go_with_their_table() {
    let hub = hub_chain(2);
    let chain = AuditChainId(hub[0].hash());
    let fx = fixture();
    fx.store.add_audit_records(fx.table, &chain, &hub).unwrap();
    fx.store.drop_table(fx.table.tenant, "crm2025").unwrap();
    let again = fx
        .store
        .create_table(fx.table.tenant, "crm2025", None, Default::default())
        .unwrap();
    assert!(fx.store.audit_chains(fx.table).unwrap().is_empty());
    assert!(fx.store.audit_chains(again.table).unwrap().is_empty());
}

struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _step: &str, _total: u64) {}
    fn advance(&mut self, _n: u64) {}
    fn finish(&mut self) {}
}

#[test]
fn backups_carry_received_chains_and_restore_them_as_received() {
    let hub = hub_chain(5);
    let chain = AuditChainId(hub[0].hash());
    let fx = fixture();
    let (store, table) = (&fx.store, fx.table);
    store.add_audit_records(table, &chain, &hub[..3]).unwrap();
    let ids = vec!["m1".to_owned()];
    let read = AuditRead {
        time: ServerTime(5),
        login: "bob",
        role: "bob",
        fingerprint: "SELECT * FROM crm2025",
        ids: &ids,
    };
    let own = store.append_audit(table, &identity(3), &read).unwrap();
    let backups = tempfile::tempdir().unwrap();
    let full = store.backup(backups.path(), 1, &mut Quiet).unwrap();
    assert_eq!(full.received.len(), 1);
    assert_eq!(full.received[0].chain, chain);
    assert_eq!(
        (full.received[0].range.first.0, full.received[0].range.count),
        (1, 3)
    );
    assert_eq!(full.received[0].range.end_hash, hub[2].hash());

    store.add_audit_records(table, &chain, &hub[3..]).unwrap();
    let incremental = store.backup(backups.path(), 2, &mut Quiet).unwrap();
    let range = incremental.received[0].range;
    assert_eq!((range.first.0, range.count), (4, 2));
    assert_eq!(verify_backups(backups.path(), &mut Quiet).unwrap().len(), 2);

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
    assert_eq!(
        restored.audit_chains(table).unwrap(),
        store.audit_chains(table).unwrap()
    );
    assert_eq!(chain_log(&restored, table, &chain), bytes(&hub));
    assert_eq!(
        bytes(&restored.audit_log(table, 0, 10).unwrap()),
        bytes(&[own])
    );

    // A backup file whose received record was altered does not verify.
    let second = backups.path().join("000002.mdbbackup");
    let mut file = std::fs::read(&second).unwrap();
    let at = file
        .windows(hub[4].bytes().len())
        .position(|w| w == hub[4].bytes())
        .unwrap();
    file[at + 90] ^= 1;
    std::fs::write(&second, file).unwrap();
    assert!(verify_backups(backups.path(), &mut Quiet).is_err());
}
