//! Trusted writers and quarantine (issue 19, items 3 and 4), with four real servers: a keyless
//! hub, a keyless mirror that pulls from it with `mindoo.sync`, and a laptop that pulls from
//! the mirror and pushes to the hub. Only the tenant's owner holding a list admin's identity
//! changes the list; the signed list travels hub → mirror → laptop; once a tenant trusts
//! writers, `mindoo.apply` refuses others (42501) and keeps them in quarantine; a revocation on
//! the hub makes the hub refuse a later push of the revoked key's entry and the mirror refuse
//! such entries even when a compromised hub serves them, while the entries stored before stay;
//! a batch holding untrusted and forged entries between trusted ones stores the trusted ones,
//! quarantines the rest and counts them per peer; only superusers drop quarantined entries.

use std::collections::BTreeSet;

use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryKind, Identity, KeyName, Nonce, UnverifiedEntry,
    VerifiedEntry, seal,
};
use mindoodb_storage::{Store, StoreConfig, Transaction, Write};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::feeds::{flip_log_byte, message};
use crate::support::{TestServer, USER, column, conninfo, expect_err, scrape};

/// A new document `id` written by `signer`, sealed under `key`.
fn entry(id: &str, signer: &Identity, key: &DataKey) -> VerifiedEntry {
    seal(
        Draft {
            kind: EntryKind::Create,
            doc_id: DocId::new(id).unwrap(),
            parents: Vec::new(),
            clock: AuthorClock(1),
            signer_role: String::new(),
        },
        br#"{"n":1}"#,
        key,
        signer,
        Nonce::random().unwrap(),
    )
    .unwrap()
}

async fn apply(client: &Client, sealed: &VerifiedEntry) -> Result<bool, tokio_postgres::Error> {
    client
        .query_one(
            "SELECT applied FROM mindoo.apply('ledger', $1)",
            &[&sealed.bytes()],
        )
        .await
        .map(|row| row.get(0))
}

/// The list as `mindoo.writers()` shows it, without times.
async fn writers(client: &Client) -> Vec<Option<String>> {
    column(
        client,
        "SELECT writer || ' ' || coalesce(label, '-') || ' ' || admin || ' ' || revoked \
         FROM mindoo.writers() ORDER BY writer",
    )
    .await
}

async fn hashes(client: &Client, sql: &str) -> BTreeSet<String> {
    column(client, sql).await.into_iter().flatten().collect()
}

async fn stored(client: &Client) -> BTreeSet<String> {
    hashes(client, "SELECT hash FROM mindoo.entries('ledger', 0)").await
}

async fn quarantined(client: &Client) -> BTreeSet<String> {
    hashes(client, "SELECT hash FROM mindoo.quarantine('ledger')").await
}

/// Runs `mindoo.sync` on `node`; returns (pulled, pushed, quarantined).
async fn sync(node: &Client, peer: &str, direction: &str) -> (i64, i64, i64) {
    let row = node
        .query_one(
            "SELECT pulled, pushed, quarantined FROM mindoo.sync($1, 'ledger', $2)",
            &[&peer, &direction],
        )
        .await
        .expect("mindoo.sync");
    (row.get(0), row.get(1), row.get(2))
}

fn set_identity(identity: &Identity) -> String {
    format!("SET mindoo.keys = '{}'", identity.token().as_str())
}

#[tokio::test]
async fn trusted_writers_travel_with_the_tenant_and_refused_entries_never_stop_a_sync() {
    let key = DataKey::generate(KeyName::new("default").unwrap(), 1).unwrap();
    let (admin, laptop, worker, stranger) = (
        Identity::generate().unwrap(),
        Identity::generate().unwrap(),
        Identity::generate().unwrap(),
        Identity::generate().unwrap(),
    );
    let hub = TestServer::start();
    let hub_sql = hub.connect().await;
    hub_sql
        .batch_execute(&format!(
            "CREATE TABLE ledger ();
             CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
             GRANT CONNECT ON DATABASE {USER} TO bob;
             GRANT ALL ON ledger TO bob"
        ))
        .await
        .unwrap();
    let trust = format!(
        "SELECT * FROM mindoo.trust_writer('{}', 'laptop')",
        laptop.public()
    );

    // Changing the list takes the tenant's owner and a list admin's identity.
    let err = expect_err(hub_sql.query(&trust, &[]).await, "trust without identity");
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    let bob = hub.connect_as("bob", "bob-pw", USER).await.unwrap();
    bob.batch_execute(&set_identity(&admin)).await.unwrap();
    let err = expect_err(bob.query(&trust, &[]).await, "trust by a non-owner");
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    assert!(message(&err).contains("owner"), "{err:?}");
    hub_sql.batch_execute(&set_identity(&admin)).await.unwrap();
    let err = expect_err(
        hub_sql
            .query("SELECT * FROM mindoo.trust_writer('not-a-key')", &[])
            .await,
        "a malformed key",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_PARAMETER_VALUE),
        "{err}"
    );
    let row = hub_sql.query_one(&trust, &[]).await.unwrap();
    assert_eq!(row.get::<_, String>("writer"), laptop.public().to_string());
    assert_eq!(
        row.get::<_, Option<String>>("label").as_deref(),
        Some("laptop")
    );
    assert!(!row.get::<_, bool>("admin") && !row.get::<_, bool>("revoked"));
    // Trusting again changes nothing; the genesis record made the admin identity the root.
    hub_sql.query_one(&trust, &[]).await.unwrap();
    hub_sql
        .query_one(
            &format!(
                "SELECT * FROM mindoo.trust_writer('{}', 'worker')",
                worker.public()
            ),
            &[],
        )
        .await
        .unwrap();
    let list = writers(&hub_sql).await;
    let mut expected = vec![
        Some(format!("{} root true false", admin.public())),
        Some(format!("{} laptop false false", laptop.public())),
        Some(format!("{} worker false false", worker.public())),
    ];
    expected.sort();
    assert_eq!(list, expected);
    assert_eq!(
        column(&hub_sql, "SELECT max(seq)::text FROM mindoo.writer_log(0)").await,
        vec![Some("2".to_owned())],
        "genesis, laptop, worker: a repeated trust wrote nothing"
    );

    // Trusted signers are applied; others are refused with 42501 and kept in quarantine.
    let l1 = entry("l1", &laptop, &key);
    assert!(apply(&hub_sql, &l1).await.unwrap());
    let s1 = entry("s1", &stranger, &key);
    let err = expect_err(apply(&bob, &s1).await, "an untrusted signer");
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    assert!(message(&err).contains("not a trusted writer"), "{err:?}");
    assert_eq!(
        stored(&hub_sql).await,
        BTreeSet::from([l1.hash().to_string()])
    );
    assert_eq!(
        quarantined(&hub_sql).await,
        BTreeSet::from([s1.hash().to_string()])
    );
    let why = column(
        &hub_sql,
        "SELECT signer || ' | ' || source || ' | ' || reason FROM mindoo.quarantine('ledger')",
    )
    .await;
    let why = why[0].as_deref().unwrap();
    assert!(why.starts_with(&stranger.public().to_string()), "{why}");
    assert!(why.contains("role bob"), "{why}");

    // The list travels hub → keyless mirror → laptop, ahead of the entries.
    let (mirror, mirror_metrics) = TestServer::with_metrics();
    let mirror_sql = mirror.connect().await;
    let (hub_info, mirror_info) = (conninfo(&hub, USER), conninfo(&mirror, USER));
    assert_eq!(sync(&mirror_sql, &hub_info, "pull").await, (1, 0, 0));
    assert_eq!(writers(&mirror_sql).await, expected);
    let node = TestServer::start();
    let node_sql = node.connect().await;
    assert_eq!(sync(&node_sql, &mirror_info, "pull").await, (1, 0, 0));
    assert_eq!(writers(&node_sql).await, expected);
    assert_eq!(stored(&node_sql).await, stored(&hub_sql).await);

    // Revocation on the hub: the laptop, which has not heard of it yet, still stores its own
    // later entry; the hub refuses it on push, and the push goes on.
    let revoked = hub_sql
        .query_one(
            &format!("SELECT * FROM mindoo.revoke_writer('{}')", laptop.public()),
            &[],
        )
        .await
        .unwrap();
    assert!(revoked.get::<_, bool>("revoked"));
    let l2 = entry("l2", &laptop, &key);
    assert!(
        apply(&node_sql, &l2).await.unwrap(),
        "the laptop's list still trusts it"
    );
    let err = expect_err(
        apply(&hub_sql, &l2).await,
        "the hub refuses the revoked key",
    );
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    hub_sql
        .query_one("SELECT dropped FROM mindoo.drop_quarantined('ledger')", &[])
        .await
        .unwrap();
    let (_, pushed, _) = sync(&node_sql, &hub_info, "push").await;
    assert!(pushed >= 1, "the push went on");
    assert_eq!(
        quarantined(&hub_sql).await,
        BTreeSet::from([l2.hash().to_string()])
    );
    assert!(!stored(&hub_sql).await.contains(&l2.hash().to_string()));
    // What the laptop stored before the revocation reached it stays there.
    sync(&node_sql, &hub_info, "pull").await;
    assert!(stored(&node_sql).await.contains(&l2.hash().to_string()));
    assert_eq!(writers(&node_sql).await, writers(&hub_sql).await);

    // A compromised hub serves, between two trusted entries, an untrusted, a revoked and a
    // forged one: the mirror stores the trusted ones, quarantines the rest, and goes on.
    let (w1, w2, w3) = (
        entry("w1", &worker, &key),
        entry("w2", &worker, &key),
        entry("w3", &worker, &key),
    );
    let (s2, l3) = (entry("s2", &stranger, &key), entry("l3", &laptop, &key));
    drop((hub_sql, bob));
    let mut forged = String::new();
    let hub = hub.restart_after(|dir| {
        {
            let store = Store::open(
                dir,
                &StoreConfig {
                    cache_bytes: 1 << 20,
                },
            )
            .unwrap();
            let tenant = store.tenant(USER).unwrap().id;
            let table = store.table(tenant, "ledger").unwrap().table;
            let writes = [&w1, &s2, &l3, &w3, &w2]
                .into_iter()
                .map(|sealed| Write::Import {
                    table,
                    entry: UnverifiedEntry::parse(sealed.bytes().to_vec())
                        .unwrap()
                        .verify()
                        .unwrap(),
                })
                .collect();
            let receipt = store.commit(Transaction { writes }).unwrap();
            assert_eq!(receipt.outcomes.len(), 5);
        }
        // The hub's log held l1 alone before these five: w3 sits at seq 5.
        forged = flip_log_byte(dir, "ledger", 5);
    });
    let hub_info = conninfo(&hub, USER);
    let hub_sql = hub.connect().await;
    assert!(
        stored(&hub_sql).await.contains(&l3.hash().to_string()),
        "the hub was compromised"
    );
    let (pulled, _, refused) = sync(&mirror_sql, &hub_info, "pull").await;
    // The restarted hub listens on another port, so it is another peer: the mirror pulls its
    // log from the start (l1 again) and verifies l1, w1, s2, l3 and w2; s2 and l3 are
    // untrusted, and the forgery fails verification.
    assert_eq!((pulled, refused), (5, 3));
    let on_mirror = stored(&mirror_sql).await;
    for trusted in [&l1, &w1, &w2] {
        assert!(on_mirror.contains(&trusted.hash().to_string()));
    }
    for refused in [&s2, &l3, &w3] {
        assert!(!on_mirror.contains(&refused.hash().to_string()));
    }
    let kept = quarantined(&mirror_sql).await;
    assert!(kept.contains(&s2.hash().to_string()) && kept.contains(&l3.hash().to_string()));
    assert!(
        kept.contains(&forged),
        "the altered entry is kept under the hash it arrived with"
    );
    let reasons = column(
        &mirror_sql,
        "SELECT reason FROM mindoo.quarantine('ledger')",
    )
    .await;
    assert!(
        reasons
            .iter()
            .flatten()
            .any(|r| r.contains("failed verification")),
        "{reasons:?}"
    );
    let (_, body) = scrape(&mirror_metrics);
    assert!(
        body.lines()
            .any(|l| l.starts_with("mindoodb_sync_quarantined_total{") && l.ends_with(" 3")),
        "{body}"
    );
    assert_eq!(
        column(&mirror_sql, "SELECT ok::text FROM mindoo.verify('ledger')").await,
        vec![Some("true".to_owned())]
    );

    // Only superusers drop quarantined entries.
    mirror_sql
        .batch_execute(&format!(
            "CREATE ROLE carol LOGIN PASSWORD 'carol-pw';
             GRANT CONNECT ON DATABASE {USER} TO carol;
             GRANT SELECT ON ledger TO carol"
        ))
        .await
        .unwrap();
    let carol = mirror.connect_as("carol", "carol-pw", USER).await.unwrap();
    assert_eq!(
        quarantined(&carol).await.len(),
        3,
        "SELECT lists the quarantine"
    );
    let drop_one = format!(
        "SELECT dropped FROM mindoo.drop_quarantined('ledger', '{}')",
        s2.hash()
    );
    let err = expect_err(
        carol.query(&drop_one, &[]).await,
        "a non-superuser dropping",
    );
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    let dropped: i64 = mirror_sql.query_one(&drop_one, &[]).await.unwrap().get(0);
    assert_eq!(dropped, 1);
    assert_eq!(quarantined(&mirror_sql).await.len(), 2);
}
