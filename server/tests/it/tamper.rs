//! Tamper evidence over SQL (issue 9): with the server stopped, stored entries are flipped,
//! truncated, reordered and deleted by raw RocksDB edits; after a restart `mindoo.verify` names
//! every damaged entry, a damaged entry is never returned as data (the statement fails with
//! XX001), an untouched table in the same store reads and verifies as before, and
//! `mindoodb verify --data-dir` names the same entries and exits non-zero.

use std::collections::BTreeSet;
use std::path::Path;

use rocksdb::{DB, Options};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::feeds::last_ciphertext_byte;
use crate::support::{code, column, keyed, mindoodb, one};

#[tokio::test]
async fn raw_edits_are_named_by_verify_and_never_read_as_data() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    // One commit per statement: a..e are seqs 1..5, the update of `a` is seq 6.
    for id in ["a", "b", "c", "d", "e"] {
        client
            .batch_execute(&format!(
                r#"INSERT INTO crm2025 (id, data) VALUES ('{id}', '{{"name":"{id}"}}')"#
            ))
            .await
            .unwrap();
    }
    client
        .batch_execute(
            r#"UPDATE crm2025 SET data = '{"name":"a2"}' WHERE id = 'a';
               CREATE TABLE other ();
               INSERT INTO other (id, data) VALUES ('z', '{"name":"z"}')"#,
        )
        .await
        .unwrap();
    assert_eq!(verify_seqs(&client, "crm2025").await, BTreeSet::new());
    drop(client);

    let server = server.restart_after(|dir| {
        let cfs = DB::list_cf(&Options::default(), dir).expect("list column families");
        let db = DB::open_cf(&Options::default(), dir, cfs).expect("open the store raw");
        let log = db.cf_handle("log").expect("log column family");
        let crm = table_prefixes(&db, dir)[0];
        let key = |seq: u64| log_key(crm, seq);
        let get = |seq: u64| db.get_cf(log, key(seq)).unwrap().expect("stored entry");
        // Flip one ciphertext byte of b.
        let mut flipped = get(2);
        let at = last_ciphertext_byte(&flipped);
        flipped[at] ^= 0x20;
        db.put_cf(log, key(2), flipped).unwrap();
        // Truncate c.
        let truncated = get(3)[..40].to_vec();
        db.put_cf(log, key(3), truncated).unwrap();
        // Swap d and e.
        let (d, e) = (get(4), get(5));
        db.put_cf(log, key(4), e).unwrap();
        db.put_cf(log, key(5), d).unwrap();
        // Delete a's newest revision, the last entry of the log.
        db.delete_cf(log, key(6)).unwrap();
        db.flush_cf(log).unwrap();
    });
    let client = server.connect().await;
    client
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();

    let named = verify_seqs(&client, "crm2025").await;
    assert_eq!(
        named,
        BTreeSet::from([2, 3, 4, 5, 6]),
        "verify names exactly the damaged entries"
    );
    assert_eq!(
        one(&client, "SELECT ok FROM mindoo.verify('crm2025')").await,
        "f"
    );
    assert_eq!(
        one(
            &client,
            "SELECT first_bad_seq FROM mindoo.verify('crm2025')"
        )
        .await,
        "2"
    );

    // No damaged entry comes back as data, whichever way it is read.
    for id in ["a", "b", "c", "d", "e"] {
        for sql in [
            format!("SELECT data FROM crm2025 WHERE id = '{id}'"),
            format!("SELECT * FROM mindoo.history('crm2025', '{id}')"),
        ] {
            assert_eq!(code(&client, &sql).await, SqlState::DATA_CORRUPTED, "{sql}");
        }
    }
    for sql in [
        "SELECT * FROM crm2025",
        "SELECT count(*) FROM crm2025",
        "SELECT * FROM mindoo.changes('crm2025', 0)",
        "SELECT * FROM mindoo.entries('crm2025', 0)",
    ] {
        assert_eq!(code(&client, sql).await, SqlState::DATA_CORRUPTED, "{sql}");
    }

    // The damage stays where it is: the other table reads and verifies, the session goes on.
    assert_eq!(
        column(&client, "SELECT data->>'name' FROM other").await,
        [Some("z".to_owned())]
    );
    assert_eq!(verify_seqs(&client, "other").await, BTreeSet::new());
    assert_eq!(
        one(&client, "SELECT ok FROM mindoo.verify('other')").await,
        "t"
    );
    assert!(server.logged("XX001"), "damage is logged for operators");

    // The offline tool names the same entries and fails.
    let verified = mindoodb(&["verify", "--data-dir"], &[server.data_dir()]);
    let stdout = String::from_utf8_lossy(&verified.stdout);
    assert!(!verified.status.success(), "{stdout}");
    let cli_seqs: BTreeSet<i64> = stdout
        .lines()
        .filter_map(|line| line.split_once(".crm2025: seq ")?.1.split_once(':'))
        .map(|(seq, _)| seq.parse().expect("a seq"))
        .collect();
    assert_eq!(cli_seqs, BTreeSet::from([2, 3, 4, 5, 6]), "{stdout}");
    assert!(stdout.contains(".other: ok"), "{stdout}");
}

/// The seqs `mindoo.verify` names in its details (empty when the table is intact).
async fn verify_seqs(client: &Client, table: &str) -> BTreeSet<i64> {
    let row = client
        .query_one(
            &format!("SELECT problems, details FROM mindoo.verify('{table}')"),
            &[],
        )
        .await
        .unwrap();
    let n_problems: i64 = row.get(0);
    let details: serde_json::Value = row.get(1);
    let details = details.as_array().expect("details is an array");
    assert_eq!(details.len() as i64, n_problems, "{details:?}");
    details
        .iter()
        .filter_map(|problem| problem["seq"].as_i64())
        .collect()
}

/// The distinct (tenant, table) key prefixes of the log, in creation order.
fn table_prefixes(db: &DB, dir: &Path) -> Vec<[u8; 8]> {
    let log = db.cf_handle("log").expect("log column family");
    let prefixes: BTreeSet<[u8; 8]> = db
        .iterator_cf(log, rocksdb::IteratorMode::Start)
        .map(|row| {
            let (key, _) = row.expect("read the log");
            key[..8]
                .try_into()
                .expect("log keys start with tenant and table")
        })
        .collect();
    assert!(!prefixes.is_empty(), "{} has a log", dir.display());
    prefixes.into_iter().collect()
}

/// A log key: tenant ‖ table ‖ seq, big-endian (docs/FORMAT.md#storage-layout).
#[allow(clippy::big_endian_bytes, reason = "mirrors the store's key layout")]
fn log_key(prefix: [u8; 8], seq: u64) -> Vec<u8> {
    let mut key = prefix.to_vec();
    key.extend_from_slice(&seq.to_be_bytes());
    key
}
