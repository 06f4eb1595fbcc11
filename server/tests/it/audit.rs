//! Read audit (issue 19, item 5): with `ALTER TABLE t SET (audit_reads = on)` every statement
//! that returns documents of `t` appends signed records naming the role, the statement without
//! its literals and exactly the ids it returned, through every read path (scans with LIMIT and
//! WHERE, point reads of the simple and the extended protocol, views, `mindoo.changes` and
//! `mindoo.history`, cursors and portals fetched in pages, and the documents UPDATE, DELETE
//! and INSERT ... ON CONFLICT read, on the direct path and DataFusion's alike);
//! `mindoo.audit` shows them to the owner only (42501 for others); only the owner turns it on
//! or off; the records survive a restart, and a backup and restore with the `mindoodb`
//! command.
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use std::path::Path;

use crate::support::{Options, TestServer, USER, code, column, keyed, mindoodb, one};

/// One record as `mindoo.audit` shows it.
#[derive(Debug)]
struct Record {
    seq: i64,
    login: String,
    role: String,
    fingerprint: String,
    ids: Vec<String>,
}

/// The records of `patients` after `since` (read by the owner).
async fn records(owner: &Client, since: i64) -> Vec<Record> {
    owner
        .query(
            &format!(
                "SELECT seq, login, role, fingerprint, ids FROM mindoo.audit('patients', {since})"
            ),
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| Record {
            seq: row.get(0),
            login: row.get(1),
            role: row.get(2),
            fingerprint: row.get(3),
            ids: row.get(4),
        })
        .collect()
}

/// The ids recorded after `*since`, moving `*since` to the last record.
async fn read_since(owner: &Client, since: &mut i64) -> Vec<String> {
    let new = records(owner, *since).await;
    if let Some(last) = new.last() {
        *since = last.seq;
    }
    let mut ids: Vec<String> = new.into_iter().flat_map(|r| r.ids).collect();
    ids.sort();
    ids
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// alice's `patients` (p1..p5, wards a and b) with reads audited, a view over ward b, and
/// bob, who may SELECT both and holds the key.
pub(crate) async fn audited_patients() -> (TestServer, Client, Client, String) {
    let (server, alice, token) = keyed(&["patients"]).await;
    alice
        .batch_execute(&format!(
            r#"INSERT INTO patients (id, data) VALUES
                 ('p1', '{{"ward":"a"}}'), ('p2', '{{"ward":"b"}}'), ('p3', '{{"ward":"a"}}'),
                 ('p4', '{{"ward":"b"}}'), ('p5', '{{"ward":"a"}}');
               UPDATE patients SET data = '{{"ward":"a","seen":true}}' WHERE id = 'p5';
               CREATE VIEW ward_b AS SELECT id, data FROM patients WHERE data->>'ward' = 'b';
               CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
               GRANT CONNECT ON DATABASE {USER} TO bob;
               GRANT SELECT ON patients, ward_b TO bob;
               ALTER TABLE patients SET (audit_reads = on)"#
        ))
        .await
        .unwrap();
    let bob = server.connect_as("bob", "bob-pw", USER).await.unwrap();
    bob.batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    (server, alice, bob, token)
}

#[tokio::test]
async fn every_read_path_records_exactly_the_ids_it_returned() {
    let (_server, alice, bob, _) = audited_patients().await;
    assert_eq!(
        one(
            &alice,
            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'patients'"
        )
        .await,
        "audit_reads=on"
    );
    // The owner's own statements before this were not recorded: auditing was off.
    let mut since = 0;
    assert!(read_since(&alice, &mut since).await.is_empty());

    // LIMIT reaches the scan: only the rows returned are recorded.
    let got = column(&bob, "SELECT id FROM patients LIMIT 2").await;
    assert_eq!(got, vec![Some("p1".into()), Some("p2".into())]);
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p1", "p2"]));

    // WHERE on the data: the audited scan applies the filter itself.
    let got = column(
        &bob,
        "SELECT id FROM patients WHERE data->>'ward' = 'b' ORDER BY id",
    )
    .await;
    assert_eq!(got, vec![Some("p2".into()), Some("p4".into())]);
    let new = records(&alice, since).await;
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].login, "bob");
    assert_eq!(new[0].role, "bob");
    assert!(
        new[0].fingerprint.contains("WHERE") && !new[0].fingerprint.contains("'b'"),
        "the fingerprint keeps no literal: {}",
        new[0].fingerprint
    );
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p2", "p4"]));

    // WHERE and LIMIT together.
    let got = column(
        &bob,
        "SELECT id FROM patients WHERE data->>'ward' = 'a' LIMIT 2",
    )
    .await;
    assert_eq!(got, vec![Some("p1".into()), Some("p3".into())]);
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p1", "p3"]));

    // Point reads: simple protocol, and a prepared statement (the fast path) run twice.
    assert_eq!(
        one(&bob, "SELECT data->>'ward' FROM patients WHERE id = 'p4'").await,
        "b"
    );
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p4"]));
    let statement = bob
        .prepare("SELECT data::text FROM patients WHERE id = $1")
        .await
        .unwrap();
    for id in ["p3", "p5", "nobody"] {
        bob.query(&statement, &[&id]).await.unwrap();
    }
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p3", "p5"]));

    // A view over the audited table, and an aggregate: the rows the scan handed up.
    assert_eq!(one(&bob, "SELECT count(*) FROM ward_b").await, "2");
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p2", "p4"]));

    // Feeds and history return data: recorded; mindoo.entries returns sealed bytes: not.
    let got = column(&bob, "SELECT id FROM mindoo.changes('patients', 0, 2)").await;
    assert_eq!(got, vec![Some("p1".into()), Some("p2".into())]);
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p1", "p2"]));
    let got = column(&bob, "SELECT id FROM mindoo.history('patients', 'p5')").await;
    assert_eq!(got.len(), 2);
    assert_eq!(read_since(&alice, &mut since).await, ids(&["p5", "p5"]));
    assert_eq!(
        one(&bob, "SELECT count(*) FROM mindoo.entries('patients', 0)").await,
        "6"
    );
    assert!(read_since(&alice, &mut since).await.is_empty());

    // A statement that returns nothing records nothing.
    assert!(
        column(&bob, "SELECT id FROM patients WHERE data->>'ward' = 'c'")
            .await
            .is_empty()
    );
    assert!(read_since(&alice, &mut since).await.is_empty());
}

#[tokio::test]
async fn cursors_and_portals_record_what_was_fetched() {
    let (_server, alice, mut bob, _) = audited_patients().await;
    let mut since = 0;
    let all = ids(&["p1", "p2", "p3", "p4", "p5"]);

    // A cursor fetched in pages: each fetch's rows are recorded by the time they arrive;
    // the whole cursor records each document once.
    bob.batch_execute("BEGIN; DECLARE c CURSOR FOR SELECT id FROM patients")
        .await
        .unwrap();
    let first = column(&bob, "FETCH 2 FROM c").await;
    assert_eq!(first, vec![Some("p1".into()), Some("p2".into())]);
    let recorded = read_since(&alice, &mut since).await;
    assert!(
        recorded.contains(&"p1".to_owned()) && recorded.contains(&"p2".to_owned()),
        "{recorded:?}"
    );
    let rest = column(&bob, "FETCH ALL FROM c").await;
    assert_eq!(rest.len(), 3);
    bob.batch_execute("COMMIT").await.unwrap();
    let mut whole = recorded;
    whole.extend(read_since(&alice, &mut since).await);
    whole.sort();
    assert_eq!(whole, all);

    // A portal of the extended protocol read two rows at a time.
    let txn = bob.transaction().await.unwrap();
    let statement = txn
        .prepare("SELECT id, data FROM patients WHERE data->>'ward' = 'a'")
        .await
        .unwrap();
    let portal = txn.bind(&statement, &[]).await.unwrap();
    let mut fetched = Vec::new();
    loop {
        let page = txn.query_portal(&portal, 2).await.unwrap();
        if page.is_empty() {
            break;
        }
        fetched.extend(page.iter().map(|row| row.get::<_, String>(0)));
    }
    txn.commit().await.unwrap();
    assert_eq!(fetched, ids(&["p1", "p3", "p5"]));
    assert_eq!(read_since(&alice, &mut since).await, fetched);
}

#[tokio::test]
async fn writes_record_the_documents_they_read_on_every_path() {
    let (_server, alice, bob, _) = audited_patients().await;
    alice
        .batch_execute("GRANT INSERT, UPDATE, DELETE ON patients TO bob")
        .await
        .unwrap();
    let mut since = 0;
    // Each statement with the ids it reads: `id = '<constant>'` with constant data takes the
    // direct path (no plan), the others DataFusion's; both record the same.
    let cases: [(&str, &[&str]); 9] = [
        (
            r#"UPDATE patients SET data = '{"ward":"c"}' WHERE id = 'p1' RETURNING id"#,
            &["p1"],
        ),
        (
            r#"UPDATE patients SET data = data || '{"x":1}' WHERE id = 'p2'"#,
            &["p2"],
        ),
        (
            r#"UPDATE patients SET data = '{"ward":"c"}' WHERE id = 'nobody'"#,
            &[],
        ),
        (
            "DELETE FROM patients WHERE id = 'p3' RETURNING data",
            &["p3"],
        ),
        (
            r#"DELETE FROM patients WHERE data->>'ward' = 'c' RETURNING id"#,
            &["p1"],
        ),
        (
            r#"INSERT INTO patients (id, data) VALUES ('p4', '{"n":1}')
               ON CONFLICT (id) DO UPDATE SET data = patients.data || excluded.data
               RETURNING id, data"#,
            &["p4"],
        ),
        (
            r#"INSERT INTO patients AS p (id, data) VALUES ('p5', '{}')
               ON CONFLICT (id) DO UPDATE SET data = excluded.data WHERE p.data ? 'nope'"#,
            &["p5"],
        ),
        (
            r#"INSERT INTO patients (id, data) VALUES ('p5', '{}'), ('p6', '{}')
               ON CONFLICT DO NOTHING"#,
            &[],
        ),
        (
            r#"INSERT INTO patients (id, data) VALUES ('p7', '{}')
               ON CONFLICT (id) DO UPDATE SET data = excluded.data"#,
            &[],
        ),
    ];
    for (sql, read) in cases {
        bob.batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let new = records(&alice, since).await;
        if let Some(last) = new.last() {
            since = last.seq;
        }
        let mut got: Vec<String> = new.iter().flat_map(|r| r.ids.clone()).collect();
        got.sort();
        assert_eq!(got, ids(read), "{sql}");
        for record in &new {
            assert_eq!(
                (record.login.as_str(), record.role.as_str()),
                ("bob", "bob")
            );
            assert!(
                !record.fingerprint.contains("ward") && !record.fingerprint.contains("p4"),
                "literals are not kept: {}",
                record.fingerprint
            );
        }
    }
    let rows: Vec<(String, String)> = alice
        .query("SELECT id, data::text FROM patients ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let expected = [
        ("p2", r#"{"x": 1, "ward": "b"}"#),
        ("p4", r#"{"n": 1, "ward": "b"}"#),
        ("p5", r#"{"seen": true, "ward": "a"}"#),
        ("p6", "{}"),
        ("p7", "{}"),
    ]
    .map(|(id, data)| (id.to_owned(), data.to_owned()));
    assert_eq!(rows, expected);
}

#[tokio::test]
async fn only_the_owner_reads_the_log_and_turns_it_off() {
    let (server, alice, bob, token) = audited_patients().await;
    assert_eq!(one(&bob, "SELECT count(*) FROM patients").await, "5");
    for sql in [
        "SELECT * FROM mindoo.audit('patients', 0)",
        "ALTER TABLE patients SET (audit_reads = off)",
    ] {
        assert_eq!(
            code(&bob, sql).await,
            SqlState::INSUFFICIENT_PRIVILEGE,
            "{sql}"
        );
    }
    let err = bob
        .simple_query("SELECT * FROM mindoo.audit('patients', 0)")
        .await
        .unwrap_err();
    assert_eq!(
        err.as_db_error().map(|e| e.message()),
        Some("must be owner of table patients")
    );
    assert_eq!(
        code(&alice, "SELECT * FROM mindoo.audit('nope', 0)").await,
        SqlState::UNDEFINED_TABLE
    );
    assert_eq!(
        code(&alice, "ALTER TABLE patients SET (audit_reads = maybe)").await,
        SqlState::INVALID_PARAMETER_VALUE
    );

    // Records survive a restart, and the chain goes on from where it was.
    let before = records(&alice, 0).await;
    assert_eq!(before.len(), 1);
    let server = server.restart();
    let alice = server.connect().await;
    let after = records(&alice, 0).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].ids, before[0].ids);

    // Off: reads are no longer recorded, and reloptions says so. A statement prepared while
    // the table was audited (its filter applied in the scan) still filters after.
    let bob = server.connect_as("bob", "bob-pw", USER).await.unwrap();
    bob.batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    let ward_b = bob
        .prepare("SELECT id FROM patients WHERE data->>'ward' = 'b' ORDER BY id")
        .await
        .unwrap();
    alice
        .batch_execute("ALTER TABLE patients SET (audit_reads = off)")
        .await
        .unwrap();
    let got: Vec<String> = bob
        .query(&ward_b, &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(got, ids(&["p2", "p4"]));
    assert_eq!(one(&bob, "SELECT count(*) FROM ward_b").await, "2");
    assert_eq!(records(&alice, 0).await.len(), 1);
    assert_eq!(
        column(
            &alice,
            "SELECT reloptions::text FROM pg_class WHERE relname = 'patients'"
        )
        .await,
        vec![None]
    );

    // A backup taken beside the running server, restored: the same records, byte for byte.
    let backups = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .arg("backup")
        .arg("--data-dir")
        .arg(server.data_dir())
        .arg("--to")
        .arg(backups.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let target = tempfile::tempdir().unwrap();
    let out = mindoodb(
        &["restore"],
        &[backups.path(), Path::new("--to-data-dir"), target.path()],
    );
    assert!(out.status.success(), "{out:?}");
    let copy = TestServer::start_in(target, Options::default());
    let copy_owner = copy.connect().await;
    assert_eq!(
        signed_records(&copy_owner).await,
        signed_records(&alice).await
    );
    assert_eq!(signed_records(&alice).await.len(), 1);
}

/// The signed bytes of every record of `patients`.
async fn signed_records(owner: &Client) -> Vec<Vec<u8>> {
    owner
        .query("SELECT record FROM mindoo.audit('patients', 0)", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}
