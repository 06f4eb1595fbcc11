//! Read-audit logs travel with the tenant (issue 19, item 5: "backed up and mirrored like any
//! table"), with real servers: a hub whose audited table was read; a node that pulls it with
//! `mindoo.sync` holds the hub's chain exactly (same records, byte for byte, same chain id),
//! audits the table as the hub does (the flag travels, on only), and keeps a chain of its own
//! for its own reads beside the hub's; a keyless mirror of that
//! node (`--mirror-of`) receives both; a role that may not read the audit log syncs entries
//! and no audit, without error; `mindoodb backup --from` and a restore hold the hub's chain; a
//! push gives the hub the node's own chain; a record with a flipped byte on the hub is refused
//! by the puller, which keeps the records before it and goes on syncing;
//! `mindoo.add_audit_record` refuses a bad record and a gap.

use std::path::Path;
use std::time::{Duration, Instant};

use rocksdb::{DB, Options as DbOptions};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::audit::audited_patients;
use crate::support::{Options, TestServer, USER, code, column, conninfo, mindoodb};

/// One record as `mindoo.audit` shows it, every column.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    chain: String,
    seq: i64,
    login: String,
    role: String,
    fingerprint: String,
    ids: Vec<String>,
    signer: String,
    hash: Vec<u8>,
    record: Vec<u8>,
    received: bool,
}

async fn audit(client: &Client) -> Vec<Row> {
    client
        .query(
            "SELECT chain, seq, login, role, fingerprint, ids, signer, hash, record, received \
             FROM mindoo.audit('patients', 0) ORDER BY chain, seq",
            &[],
        )
        .await
        .expect("mindoo.audit")
        .iter()
        .map(|row| Row {
            chain: row.get(0),
            seq: row.get(1),
            login: row.get(2),
            role: row.get(3),
            fingerprint: row.get(4),
            ids: row.get(5),
            signer: row.get(6),
            hash: row.get(7),
            record: row.get(8),
            received: row.get(9),
        })
        .collect()
}

/// `rows` as a node that received them shows them.
fn as_received(rows: &[Row]) -> Vec<Row> {
    rows.iter()
        .map(|row| Row {
            received: true,
            ..row.clone()
        })
        .collect()
}

/// `mindoo.sync` of `patients` on `node`: (pulled, audit_pulled, audit_refused, audit_skipped).
async fn sync(node: &Client, peer: &str) -> (i64, i64, i64, bool) {
    let row = node
        .query_one(
            "SELECT pulled, audit_pulled, audit_refused, audit_skipped \
             FROM mindoo.sync($1, 'patients', 'pull')",
            &[&peer],
        )
        .await
        .expect("mindoo.sync");
    (row.get(0), row.get(1), row.get(2), row.get(3))
}

/// Waits until `mirror` shows `want` records of `patients`.
async fn wait_audit(mirror: &Client, want: usize) -> Vec<Row> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let rows = match mirror
            .query_opt("SELECT 1 FROM mindoo.tables('patients')", &[])
            .await
            .expect("mindoo.tables")
        {
            Some(_) => audit(mirror).await,
            None => Vec::new(),
        };
        if rows.len() >= want {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "the mirror holds {} of {want} audit records",
            rows.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn audit_chains_travel_to_nodes_mirrors_and_backups() {
    let (hub, alice, bob, token) = audited_patients().await;
    column(&bob, "SELECT id FROM patients LIMIT 2").await;
    column(&bob, "SELECT data FROM patients WHERE id = 'p4'").await;
    let on_hub = audit(&alice).await;
    assert_eq!(on_hub.len(), 2);
    assert_eq!(on_hub[0].ids, ids(&["p1", "p2"]));
    assert_eq!(on_hub[1].ids, ids(&["p4"]));
    assert!(on_hub.iter().all(|row| !row.received && row.login == "bob"));
    let hub_chain = on_hub[0].chain.clone();
    assert_eq!(hub_chain.len(), 64);
    assert_eq!(
        on_hub[0].hash,
        hex_bytes(&hub_chain),
        "a chain is named by its record 1's hash"
    );
    let hub_info = conninfo(&hub, USER);

    // A role that may read the table but not its audit log: entries, no audit, no error.
    let node = TestServer::start();
    let node_sql = node.connect().await;
    let bob_info = format!(
        "host=127.0.0.1 port={} user=bob password='bob-pw' dbname={USER} sslmode=disable",
        hub.addr.port()
    );
    assert_eq!(sync(&node_sql, &bob_info).await, (6, 0, 0, true));
    assert!(audit(&node_sql).await.is_empty());
    assert!(node.logged("may not read this table's read-audit log"));

    // The owner's sync brings the hub's chain, exactly; a second one brings nothing new.
    assert_eq!(sync(&node_sql, &hub_info).await, (0, 2, 0, false));
    assert_eq!(audit(&node_sql).await, as_received(&on_hub));
    assert_eq!(sync(&node_sql, &hub_info).await, (0, 0, 0, false));

    // The hub audits the table, so the node that pulled it audits it too (sync turned the
    // flag on); its own reads form its own chain, beside the hub's.
    assert_eq!(
        column(
            &node_sql,
            "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'patients'"
        )
        .await,
        vec![Some("audit_reads=on".to_owned())]
    );
    let reader = node.connect_keyed(&token).await;
    assert_eq!(
        column(&reader, "SELECT id FROM patients WHERE id = 'p3'").await,
        vec![Some("p3".to_owned())]
    );
    let on_node = audit(&node_sql).await;
    assert_eq!(on_node.len(), 3);
    let own: Vec<&Row> = on_node.iter().filter(|row| !row.received).collect();
    assert_eq!(own.len(), 1);
    assert_eq!((own[0].seq, own[0].ids.clone()), (1, ids(&["p3"])));
    assert_ne!(own[0].chain, hub_chain);
    assert_eq!(own[0].login, "alice");
    let received: Vec<Row> = on_node.iter().filter(|r| r.received).cloned().collect();
    assert_eq!(received, as_received(&on_hub));

    // More reads on the hub arrive incrementally.
    column(&bob, "SELECT id FROM patients WHERE id = 'p5'").await;
    let on_hub = audit(&alice).await;
    assert_eq!(on_hub.len(), 3);
    assert_eq!(sync(&node_sql, &hub_info).await, (0, 1, 0, false));

    // A keyless mirror of the node receives every chain the node holds.
    let mirror = TestServer::start_with(Options {
        args: vec!["--mirror-of".into(), conninfo(&node, USER)],
        ..Options::default()
    });
    let mirror_sql = mirror.connect().await;
    let on_node = audit(&node_sql).await;
    assert_eq!(on_node.len(), 4);
    let on_mirror = wait_audit(&mirror_sql, 4).await;
    assert_eq!(on_mirror, as_received(&on_node));
    let chains: std::collections::BTreeSet<&str> =
        on_mirror.iter().map(|row| row.chain.as_str()).collect();
    assert_eq!(chains.len(), 2);
    assert!(chains.contains(hub_chain.as_str()));

    // A backup over the wire holds the hub's chain; restored, it is a received chain.
    let backups = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["backup", "--from", &hub_info, "--to"])
        .arg(backups.path())
        .env_remove("MINDOODB_DATA_DIR")
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
    assert_eq!(audit(&copy.connect().await).await, as_received(&on_hub));

    // A push offers the node's own chain to the hub, which keeps it as received; the hub's
    // own chain, which the node holds, is not sent back.
    let pushed = node_sql
        .query_one(
            "SELECT audit_pushed, audit_refused FROM mindoo.sync($1, 'patients', 'push')",
            &[&hub_info],
        )
        .await
        .unwrap();
    assert_eq!((pushed.get::<_, i64>(0), pushed.get::<_, i64>(1)), (1, 0));
    let node_own: Vec<Row> = on_node.iter().filter(|r| !r.received).cloned().collect();
    let mut want = on_hub.clone();
    want.extend(as_received(&node_own));
    want.sort_by(|a, b| (&a.chain, a.seq).cmp(&(&b.chain, b.seq)));
    assert_eq!(audit(&alice).await, want);
}

#[tokio::test]
#[allow(clippy::big_endian_bytes, reason = "finds a key by the store's layout")]
async fn a_refused_audit_record_never_stops_a_sync() {
    let (hub, alice, bob, _) = audited_patients().await;
    for id in ["p1", "p2", "p3"] {
        column(&bob, &format!("SELECT id FROM patients WHERE id = '{id}'")).await;
    }
    let before = audit(&alice).await;
    assert_eq!(before.len(), 3);
    let chain = before[0].chain.clone();
    drop((alice, bob));

    // Record 2 gets a flipped byte on the hub's disk.
    let hub = hub.restart_after(|dir| {
        let cfs = DB::list_cf(&DbOptions::default(), dir).expect("list column families");
        let db = DB::open_cf(&DbOptions::default(), dir, cfs).expect("open the store raw");
        let cf = db.cf_handle("audit").expect("audit column family");
        let (key, mut value) = db
            .iterator_cf(cf, rocksdb::IteratorMode::Start)
            .map(|row| row.expect("read the audit log"))
            .find(|(key, _)| key.len() == 16 && key[8..] == 2u64.to_be_bytes())
            .expect("audit record 2");
        let at = value.len() - 70;
        value[at] ^= 1;
        db.put_cf(cf, key, value).unwrap();
    });
    let alice = hub.connect().await;
    assert_eq!(
        code(&alice, "SELECT * FROM mindoo.audit('patients', 0)").await,
        SqlState::DATA_CORRUPTED
    );

    // The puller takes record 1, refuses record 2, and the sync goes on.
    let node = TestServer::start();
    let node_sql = node.connect().await;
    assert_eq!(
        sync(&node_sql, &conninfo(&hub, USER)).await,
        (6, 1, 1, false)
    );
    assert_eq!(audit(&node_sql).await, as_received(&before[..1]));
    assert!(node.logged("refused a read-audit record"));
    assert_eq!(
        one_i64(
            &node_sql,
            "SELECT count(*) FROM mindoo.entries('patients', 0)"
        )
        .await,
        6
    );

    // Offered directly: a flipped byte is not a record (22023), a gap extends nothing (23000),
    // record 1 again changes nothing.
    let mut flipped = before[1].record.clone();
    flipped[10] ^= 1;
    let add = "SELECT added FROM mindoo.add_audit_record('patients', $1, $2)";
    let err = node_sql
        .query_one(add, &[&chain, &flipped])
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_PARAMETER_VALUE),
        "{err}"
    );
    let err = node_sql
        .query_one(add, &[&chain, &before[2].record])
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&SqlState::INTEGRITY_CONSTRAINT_VIOLATION),
        "{err}"
    );
    let again = node_sql
        .query_one(add, &[&chain, &before[0].record])
        .await
        .unwrap();
    assert!(!again.get::<_, bool>(0));
    // The intact record 2, offered by hand, extends the chain.
    let added = node_sql
        .query_one(add, &[&chain, &before[1].record])
        .await
        .unwrap();
    assert!(added.get::<_, bool>(0));
    assert_eq!(audit(&node_sql).await, as_received(&before[..2]));
}

async fn one_i64(client: &Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|idx| u8::from_str_radix(&text[idx..idx + 2], 16).unwrap())
        .collect()
}
