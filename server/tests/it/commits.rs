//! Signed commits end to end (issue 21): every transaction a session writes — a multi-row
//! INSERT, an UPDATE of many rows, a `BEGIN ... COMMIT` block over two tables — is stored as
//! format-2 entries under one commit, signed once and chained to the author's previous commit;
//! a rolled-back block leaves none. The entries travel alone with their carried proofs: a keyless
//! hub pulls one table of a two-table commit and verifies it, a third server gets them by
//! binary COPY, and a client checks a document's proof. Once a second the server signs a
//! receipt over the commits it stored, which proofs carry.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use mindoodb_client::{ProofError, verify_proof};
use mindoodb_protocol::{DocId, UnverifiedCommit, commit_len};
use tokio_postgres::Client;

use crate::feeds::proof_of;
use crate::support::{TestServer, USER, conninfo, keyed};

/// `(commit, leaf)` of every entry of `table`, in seq order.
async fn commits_of(client: &Client, table: &str) -> Vec<(String, i32)> {
    client
        .query(
            "SELECT commit, leaf FROM mindoo.entries($1, 0) ORDER BY seq",
            &[&table],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

async fn verified(client: &Client, table: &str) -> bool {
    client
        .query_one("SELECT ok FROM mindoo.verify($1)", &[&table])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn every_transaction_is_one_signed_commit() {
    let (_server, client, _) = keyed(&["a", "b"]).await;
    client
        .batch_execute(r#"INSERT INTO a (id, data) VALUES ('x', '{}'), ('y', '{}'), ('z', '{}')"#)
        .await
        .unwrap();
    let first = commits_of(&client, "a").await;
    assert_eq!(first.len(), 3);
    assert!(
        first.iter().all(|(commit, _)| *commit == first[0].0),
        "one INSERT, one commit: {first:?}"
    );
    assert_eq!(
        first.iter().map(|(_, leaf)| *leaf).collect::<Vec<_>>(),
        [0, 1, 2],
        "leaves in the statement's order"
    );

    client
        .batch_execute(
            r#"BEGIN;
               UPDATE a SET data = '{"n":1}';
               INSERT INTO b (id, data) VALUES ('w', '{}');
               DELETE FROM a WHERE id = 'z';
               COMMIT;
               BEGIN;
               INSERT INTO b (id, data) VALUES ('gone', '{}');
               ROLLBACK;
               INSERT INTO b (id, data) VALUES ('v', '{}')"#,
        )
        .await
        .unwrap();
    let a = commits_of(&client, "a").await;
    let b = commits_of(&client, "b").await;
    assert_eq!((a.len(), b.len()), (7, 2), "{a:?} {b:?}");
    let block: BTreeSet<&String> = a[3..]
        .iter()
        .chain(&b[..1])
        .map(|(commit, _)| commit)
        .collect();
    assert_eq!(block.len(), 1, "the block spans two tables in one commit");
    let block = *block.iter().next().unwrap();
    assert_ne!(block, &first[0].0);
    assert_ne!(
        &b[1].0, block,
        "the autocommit INSERT after the rollback has its own"
    );
    let mut leaves: Vec<i32> = a[3..].iter().chain(&b[..1]).map(|(_, l)| *l).collect();
    leaves.sort_unstable();
    assert_eq!(
        leaves,
        [0, 1, 2, 3, 4],
        "three updates, an insert and a delete"
    );

    // Each commit names the author's previous one: one chain.
    let record = |table: &'static str, seq: i64| {
        let client = &client;
        async move {
            let proof: Vec<u8> = client
                .query_one(
                    "SELECT proof FROM mindoo.entries($1, $2, 1)",
                    &[&table, &(seq - 1)],
                )
                .await
                .unwrap()
                .get(0);
            let len = commit_len(&proof).unwrap();
            UnverifiedCommit::parse(&proof[..len]).unwrap()
        }
    };
    let (c1, c2, c3) = (
        record("a", 1).await,
        record("a", 4).await,
        record("b", 2).await,
    );
    assert_eq!(c1.hash().to_string(), first[0].0);
    assert_eq!(
        c1.prev(),
        None,
        "the session's first commit starts the chain"
    );
    assert_eq!(c2.prev(), Some(c1.hash()));
    assert_eq!(c3.prev(), Some(c2.hash()));
    assert_eq!(c2.count(), 5);
    assert!(verified(&client, "a").await && verified(&client, "b").await);
}

#[tokio::test]
async fn one_table_of_a_commit_travels_alone_and_verifies() {
    let (node, client, _) = keyed(&["a", "b"]).await;
    client
        .batch_execute(
            r#"BEGIN;
               INSERT INTO a (id, data) VALUES ('doc', '{"v":1}'), ('other', '{}');
               INSERT INTO b (id, data) VALUES ('elsewhere', '{}');
               COMMIT;
               UPDATE a SET data = '{"v":2}' WHERE id = 'doc'"#,
        )
        .await
        .unwrap();

    // A keyless hub pulls only table a: part of the first commit, all of the second.
    let hub = TestServer::start();
    let hub_sql = hub.connect().await;
    hub_sql.batch_execute("CREATE TABLE a ()").await.unwrap();
    let node_info = conninfo(&node, USER);
    let pulled: i64 = hub_sql
        .query_one(
            "SELECT pulled FROM mindoo.sync($1, 'a', 'pull')",
            &[&node_info],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(pulled, 3);
    assert_eq!(
        commits_of(&hub_sql, "a").await,
        commits_of(&client, "a").await
    );
    assert!(
        verified(&hub_sql, "a").await,
        "the hub proves each entry by its path"
    );

    // From the hub, by binary COPY, into a third server.
    let third = TestServer::start();
    let third_sql = third.connect().await;
    third_sql.batch_execute("CREATE TABLE a ()").await.unwrap();
    let pushed: i64 = hub_sql
        .query_one(
            "SELECT pushed FROM mindoo.sync($1, 'a', 'push')",
            &[&conninfo(&third, USER)],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(pushed, 3);
    assert!(verified(&third_sql, "a").await);

    // The client checks a document's history from the hub, commits and paths included.
    let proof = proof_of(&hub_sql, "a", "doc").await;
    assert_eq!(proof.len(), 2);
    let doc = DocId::new("doc").unwrap();
    let history = verify_proof(&doc, &proof).expect("the hub's proof verifies");
    assert_eq!(history.entries.len(), 2);
    let mut cut = proof.clone();
    let path_at = cut[0].proof.as_ref().unwrap().len() - 1;
    cut[0].proof.as_mut().unwrap()[path_at] ^= 0x01;
    assert!(
        verify_proof(&doc, &cut).is_err(),
        "an altered path is caught"
    );
    let mut bare = proof;
    bare[1].proof = None;
    assert!(
        verify_proof(&doc, &bare).is_err(),
        "format 2 needs its proof"
    );
}

/// The server key and last covered commit of every receipt of `table`'s database, once at
/// least `n` exist (the signer runs once a second).
async fn receipts(client: &Client, table: &str, n: usize) -> Vec<(String, i64)> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let rows: Vec<(String, i64)> = client
            .query(
                "SELECT server, last_commit FROM mindoo.receipts($1, 0) ORDER BY seq",
                &[&table],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        if rows.len() >= n || Instant::now() > deadline {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn receipts_say_which_server_stored_a_commit_by_when() {
    let (server, client, token) = keyed(&["t"]).await;
    client
        .batch_execute(r#"INSERT INTO t (id, data) VALUES ('doc', '{"v":1}')"#)
        .await
        .unwrap();
    let first = receipts(&client, "t", 1).await;
    assert_eq!(first.len(), 1, "one receipt over the one commit");
    assert_eq!(first[0].1, 1);
    let doc = DocId::new("doc").unwrap();
    let history = verify_proof(&doc, &proof_of(&client, "t", "doc").await).unwrap();
    let stored = history.stored[0].expect("the proof carries the receipt");
    assert_eq!(stored.server.to_string(), first[0].0);

    // After a restart the server signs with a new key, only for what it stores from then on;
    // the proof still shows the receipt of the run that stored the first revision.
    drop(client);
    let server = server.restart();
    let client = server.connect_keyed(&token).await;
    client
        .batch_execute(r#"UPDATE t SET data = '{"v":2}' WHERE id = 'doc'"#)
        .await
        .unwrap();
    let all = receipts(&client, "t", 2).await;
    assert_eq!(all.len(), 2, "{all:?}");
    assert_ne!(all[1].0, all[0].0, "a new key after the restart");
    assert_eq!(all[1].1, 2, "it covers only the new commit");
    let mut rows = proof_of(&client, "t", "doc").await;
    let history = verify_proof(&doc, &rows).unwrap();
    let servers: Vec<String> = history
        .stored
        .iter()
        .map(|s| s.expect("every revision has a receipt").server.to_string())
        .collect();
    assert_eq!(servers, [all[0].0.clone(), all[1].0.clone()]);

    // A receipt moved to another entry's row does not cover that entry's commit.
    let (a, b) = (rows[0].receipt.take(), rows[1].receipt.take());
    (rows[0].receipt, rows[1].receipt) = (b, a);
    assert!(matches!(
        verify_proof(&doc, &rows),
        Err(ProofError::BadReceipt { .. })
    ));
}
