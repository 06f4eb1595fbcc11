//! The catalog: tenants, tables, roles, grants, keys; persistence across reopen; isolation.

use mindoodb_protocol::{EntryKind, KdfParams, KeyName, KeyRef};
use mindoodb_storage::{Error, KeyRecord, RoleRecord, Seq, Store, SyncCursor};

use crate::{config, doc_id, entry, fixture, key, local};

#[test]
fn everything_survives_a_reopen() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap();
    let e = entry("a", EntryKind::Create, &[], 1, 1, "{}");
    fx.store.commit(local(fx.table, &e)).unwrap();
    fx.store
        .create_role(&RoleRecord {
            name: "alice".into(),
            auth: b"verifier".to_vec(),
            login: true,
            superuser: false,
            inherit: true,
            member_of: Vec::new(),
            created: 0,
        })
        .unwrap();
    fx.store.grant("alice", "acme").unwrap();
    let record = KeyRecord {
        name: KeyName::new("default").unwrap(),
        version: 1,
        kcv: key().kcv(),
        kdf: Some(KdfParams::with_cost(256, 1, 1).unwrap()),
    };
    fx.store.register_key(tenant.id, &record).unwrap();
    let dir = fx.dir;
    drop(fx.store);

    let store = Store::open(dir.path(), &config()).unwrap();
    let tenant = store.tenant("acme").unwrap();
    let table = store.table(tenant.id, "crm2025").unwrap();
    assert_eq!(table.table, fx.table);
    assert_eq!(
        store
            .snapshot()
            .doc(table.table, &doc_id("a"))
            .unwrap()
            .unwrap()
            .winner
            .hash(),
        e.hash()
    );
    assert_eq!(store.grants("alice").unwrap(), ["acme"]);
    assert_eq!(store.role("alice").unwrap().unwrap().auth, b"verifier");
    let key_ref = KeyRef {
        name: record.name.clone(),
        version: 1,
    };
    assert_eq!(store.key(tenant.id, &key_ref).unwrap(), Some(record));
    // Seqs continue after reopen.
    let next = entry("b", EntryKind::Create, &[], 1, 1, "{}");
    assert_eq!(
        store.commit(local(table.table, &next)).unwrap().outcomes,
        vec![mindoodb_storage::Outcome::Appended(Seq(2))]
    );
}

#[test]
fn roles_keep_their_place_in_the_creation_order() {
    let fx = fixture();
    let role = |name: &str, created| RoleRecord {
        name: name.into(),
        auth: Vec::new(),
        login: false,
        superuser: false,
        inherit: true,
        member_of: Vec::new(),
        created,
    };
    // Whatever the caller says, a new role numbers after every role and table there is.
    fx.store.create_role(&role("zed", 40)).unwrap();
    fx.store.create_role(&role("amy", 0)).unwrap();
    let created = |store: &Store, name: &str| store.role(name).unwrap().unwrap().created;
    let (zed, amy) = (created(&fx.store, "zed"), created(&fx.store, "amy"));
    assert!(zed > u64::from(fx.table.id.0) && amy > zed, "{zed} {amy}");
    // An update (ALTER ROLE, a membership) keeps the place.
    fx.store
        .update_role(&RoleRecord {
            login: true,
            ..role("zed", 0)
        })
        .unwrap();
    // A dropped role's number is not given again, also after a reopen.
    fx.store.drop_role("amy").unwrap();
    let dir = fx.dir;
    drop(fx.store);
    let store = Store::open(dir.path(), &config()).unwrap();
    store.create_role(&role("bob", 0)).unwrap();
    assert!(store.role("zed").unwrap().unwrap().login);
    assert_eq!(created(&store, "zed"), zed);
    assert!(created(&store, "bob") > amy);
}

#[test]
fn dropping_a_table_removes_its_data_and_a_new_one_starts_empty() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap();
    fx.store
        .commit(local(
            fx.table,
            &entry("a", EntryKind::Create, &[], 1, 1, "{}"),
        ))
        .unwrap();
    fx.store.drop_table(tenant.id, "crm2025").unwrap();
    assert!(fx.store.table(tenant.id, "crm2025").is_none());
    let again = fx
        .store
        .create_table(tenant.id, "crm2025", None, Default::default())
        .unwrap();
    assert_ne!(again.table, fx.table, "ids are never reused");
    let snap = fx.store.snapshot();
    assert!(snap.scan(again.table, None, 10).unwrap().is_empty());
    assert!(
        snap.log(fx.table, Seq(0), 10).unwrap().is_empty(),
        "old data is gone"
    );
}

#[test]
fn views_persist_share_the_table_namespace_and_drop_atomically() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap();
    let sql = "SELECT * FROM crm2025 UNION ALL SELECT * FROM crm2026";
    fx.store
        .create_view(tenant.id, "crm", sql, Default::default())
        .unwrap();
    assert!(matches!(
        fx.store
            .create_view(tenant.id, "crm", sql, Default::default()),
        Err(Error::AlreadyExists(_))
    ));
    assert!(matches!(
        fx.store
            .create_view(tenant.id, "crm2025", sql, Default::default()),
        Err(Error::AlreadyExists(_))
    ));
    assert!(matches!(
        fx.store
            .create_table(tenant.id, "crm", None, Default::default()),
        Err(Error::AlreadyExists(_))
    ));
    assert!(matches!(
        fx.store
            .replace_view(tenant.id, "crm2025", sql, Default::default()),
        Err(Error::AlreadyExists(_))
    ));
    fx.store
        .replace_view(
            tenant.id,
            "crm",
            "SELECT * FROM crm2025",
            Default::default(),
        )
        .unwrap();
    fx.store
        .create_view(
            tenant.id,
            "customers",
            "SELECT * FROM crm",
            Default::default(),
        )
        .unwrap();
    let dir = fx.dir;
    drop(fx.store);

    let store = Store::open(dir.path(), &config()).unwrap();
    let tenant = store.tenant("acme").unwrap();
    let names: Vec<(String, String)> = store
        .views(tenant.id)
        .into_iter()
        .map(|v| (v.name, v.sql))
        .collect();
    assert_eq!(
        names,
        [
            ("crm".to_owned(), "SELECT * FROM crm2025".to_owned()),
            ("customers".to_owned(), "SELECT * FROM crm".to_owned()),
        ]
    );
    // One missing name and nothing is dropped.
    assert!(matches!(
        store.drop_relations(tenant.id, &["crm2025"], &["crm", "nope"]),
        Err(Error::NoSuchView(_))
    ));
    assert!(store.view(tenant.id, "crm").is_some());
    assert!(store.table(tenant.id, "crm2025").is_some());
    store
        .drop_relations(tenant.id, &["crm2025"], &["crm", "customers"])
        .unwrap();
    assert!(store.views(tenant.id).is_empty());
    assert!(store.table(tenant.id, "crm2025").is_none());
    store
        .create_view(tenant.id, "v", "SELECT 1", Default::default())
        .unwrap();
    drop(store);

    let store = Store::open(dir.path(), &config()).unwrap();
    assert!(store.table(tenant.id, "crm2025").is_none());
    assert_eq!(store.views(tenant.id).len(), 1);
    store.drop_tenant("acme").unwrap();
    store.create_tenant("acme").unwrap();
    let again = store.tenant("acme").unwrap();
    assert!(store.views(again.id).is_empty());
    drop(store);
    let store = Store::open(dir.path(), &config()).unwrap();
    assert!(store.views(tenant.id).is_empty(), "dropped with its tenant");
}

#[test]
fn tenants_are_isolated() {
    let fx = fixture();
    let other = fx.store.create_tenant("globex").unwrap();
    let theirs = fx
        .store
        .create_table(other.id, "crm2025", None, Default::default())
        .unwrap()
        .table;
    fx.store
        .commit(local(
            fx.table,
            &entry("a", EntryKind::Create, &[], 1, 1, "{}"),
        ))
        .unwrap();
    let snap = fx.store.snapshot();
    assert!(snap.scan(theirs, None, 10).unwrap().is_empty());
    assert_eq!(snap.last_seq(theirs).unwrap(), Seq(0));
    assert_eq!(fx.store.tables(other.id).len(), 1);
    fx.store.drop_tenant("globex").unwrap();
    assert!(fx.store.tenant("globex").is_none());
    assert_eq!(
        snap.scan(fx.table, None, 10).unwrap().len(),
        1,
        "acme untouched"
    );
}

#[test]
fn names_and_duplicates_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &config()).unwrap();
    // Names are Postgres identifiers: any text a quoted identifier may hold, up to 63 bytes,
    // without control characters.
    for bad in ["", "bad\0name", "tab\tname", &"x".repeat(64)] {
        assert!(
            matches!(store.create_tenant(bad), Err(Error::InvalidName(_))),
            "{bad:?}"
        );
    }
    store.create_tenant("Mixed-Case Name").unwrap();
    store.create_tenant("acme").unwrap();
    assert!(matches!(
        store.create_tenant("acme"),
        Err(Error::AlreadyExists(_))
    ));
    assert!(matches!(
        store.grant("nobody", "acme"),
        Err(Error::NoSuchRole(_))
    ));
}

#[test]
fn a_registered_key_version_cannot_change_its_check_value() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap();
    let name = KeyName::new("hr").unwrap();
    let first = KeyRecord {
        name: name.clone(),
        version: 1,
        kcv: key().kcv(),
        kdf: None,
    };
    fx.store.register_key(tenant.id, &first).unwrap();
    fx.store.register_key(tenant.id, &first).unwrap();
    let other = mindoodb_protocol::DataKey::generate(name.clone(), 1).unwrap();
    let clash = KeyRecord {
        name,
        version: 1,
        kcv: other.kcv(),
        kdf: None,
    };
    assert!(matches!(
        fx.store.register_key(tenant.id, &clash),
        Err(Error::AlreadyExists(_))
    ));
    assert_eq!(fx.store.keys(tenant.id).unwrap(), vec![first]);
}

#[test]
fn a_second_process_cannot_open_the_same_dir() {
    let fx = fixture();
    assert!(Store::open(fx.dir.path(), &config()).is_err());
}

#[test]
fn sync_cursors_persist_per_peer_and_go_with_their_table() {
    let fx = fixture();
    let tenant = fx.store.tenant("acme").unwrap();
    let hub = b"host=hub port=5432 dbname=acme table=crm2025".as_slice();
    assert_eq!(
        fx.store.sync_cursor(fx.table, hub).unwrap(),
        SyncCursor::START
    );
    let at = SyncCursor {
        pulled: Seq(41),
        pulled_hash: Some(entry("a", EntryKind::Create, &[], 1, 1, "{}").hash()),
        pushed: Seq(7),
    };
    fx.store.set_sync_cursor(fx.table, hub, &at).unwrap();
    fx.store
        .set_sync_cursor(fx.table, b"other", &SyncCursor::START)
        .unwrap();
    let dir = fx.dir;
    drop(fx.store);

    let store = Store::open(dir.path(), &config()).unwrap();
    assert_eq!(store.sync_cursor(fx.table, hub).unwrap(), at);
    let peers: Vec<Vec<u8>> = store
        .sync_cursors(fx.table)
        .unwrap()
        .into_iter()
        .map(|(peer, _)| peer)
        .collect();
    assert_eq!(peers, [hub.to_vec(), b"other".to_vec()]);

    store.drop_table(tenant.id, "crm2025").unwrap();
    assert!(store.sync_cursors(fx.table).unwrap().is_empty());
    assert!(matches!(
        store.set_sync_cursor(fx.table, hub, &at),
        Err(Error::NoSuchTable(_))
    ));
    let again = store
        .create_table(tenant.id, "crm2025", None, Default::default())
        .unwrap();
    assert_eq!(
        store.sync_cursor(again.table, hub).unwrap(),
        SyncCursor::START,
        "a re-created table syncs from the start"
    );
    store.set_sync_cursor(again.table, hub, &at).unwrap();
    store.drop_relations(tenant.id, &["crm2025"], &[]).unwrap();
    assert!(
        store.sync_cursors(again.table).unwrap().is_empty(),
        "DROP TABLE drops its cursors"
    );
    let third = store
        .create_table(tenant.id, "crm2025", None, Default::default())
        .unwrap();
    store.set_sync_cursor(third.table, hub, &at).unwrap();
    store.drop_tenant("acme").unwrap();
    assert!(store.sync_cursors(third.table).unwrap().is_empty());
}
