//! Change feeds, history, time travel, verification, proofs and import as SQL functions, end
//! to end through tokio-postgres (issue 4): every function binds `$n` parameters in the
//! extended protocol, a resuming consumer sees every final state exactly once while writers
//! run, deleted documents come back in the past, a byte flipped on disk is named by
//! `mindoo.verify`, proofs verify in the client crate, and imports verify before writing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, SystemTime};

use mindoodb_client::{ProofEntry, verify_proof};
use mindoodb_protocol::{DocId, SIGNATURE_LEN, UnverifiedEntry, entry_len};
use mindoodb_storage::{Store, StoreConfig, Table};
use serde_json::{Value, json};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Row};

use crate::support::{USER, expect_err, keyed};

async fn rows(
    client: &Client,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Vec<Row> {
    client
        .query(sql, params)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub(crate) fn message(err: &tokio_postgres::Error) -> String {
    err.as_db_error()
        .map_or_else(|| err.to_string(), |db| db.message().to_owned())
}

fn ids(rows: &[Row]) -> Vec<String> {
    rows.iter().map(|r| r.get("id")).collect()
}

#[tokio::test]
async fn prepared_statements_bind_every_function() {
    let (_server, client, _) = keyed(&["crm"]).await;
    client
        .batch_execute(
            r#"INSERT INTO crm (id, data) VALUES ('a', '{"n":1}'), ('b', '{"n":2}');
               UPDATE crm SET data = '{"n":3}' WHERE id = 'a'"#,
        )
        .await
        .unwrap();

    // Each function: its Describe types, then a run with bound values.
    let changes = client
        .prepare("SELECT * FROM mindoo.changes($1, $2, $3)")
        .await
        .unwrap();
    assert_eq!(changes.params(), [Type::TEXT, Type::INT8, Type::INT4]);
    let types: Vec<Type> = changes
        .columns()
        .iter()
        .map(|c| c.type_().clone())
        .collect();
    assert_eq!(
        types,
        [
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TIMESTAMPTZ,
            Type::JSONB
        ]
    );
    let all = client
        .query(&changes, &[&"crm", &0i64, &10i32])
        .await
        .unwrap();
    assert_eq!(ids(&all), ["b", "a"]);
    assert_eq!(all[1].get::<_, String>("op"), "update");
    assert_eq!(all[1].get::<_, Value>("data"), json!({"n": 3}));
    // The same prepared statement, bound again: the plan is reused with new arguments.
    let later = client
        .query(&changes, &[&"crm", &2i64, &10i32])
        .await
        .unwrap();
    assert_eq!(ids(&later), ["a"]);
    let first = client
        .query(&changes, &[&"crm", &0i64, &1i32])
        .await
        .unwrap();
    assert_eq!(ids(&first), ["b"]);

    let entries = client
        .prepare("SELECT seq, sealed, proof FROM mindoo.entries($1, $2)")
        .await
        .unwrap();
    assert_eq!(entries.params(), [Type::TEXT, Type::INT8]);
    assert_eq!(entries.columns()[1].type_(), &Type::BYTEA);
    let log = client.query(&entries, &[&"crm", &0i64]).await.unwrap();
    assert_eq!(log.len(), 3);
    let sealed: Vec<u8> = log[0].get("sealed");
    let sealed_proof: Vec<u8> = log[0].get("proof");

    let history = client
        .prepare("SELECT op, data FROM mindoo.history($1, $2)")
        .await
        .unwrap();
    assert_eq!(history.params(), [Type::TEXT, Type::TEXT]);
    let revisions = client.query(&history, &[&"crm", &"a"]).await.unwrap();
    let ops: Vec<String> = revisions.iter().map(|r| r.get("op")).collect();
    assert_eq!(ops, ["insert", "update"]);

    let as_of = client
        .prepare("SELECT id FROM mindoo.as_of($1, $2) ORDER BY id")
        .await
        .unwrap();
    assert_eq!(as_of.params(), [Type::TEXT, Type::TIMESTAMPTZ]);
    let now = client
        .query(&as_of, &[&"crm", &SystemTime::now()])
        .await
        .unwrap();
    assert_eq!(ids(&now), ["a", "b"]);

    let as_of_seq = client
        .prepare("SELECT id, data FROM mindoo.as_of_seq($1, $2)")
        .await
        .unwrap();
    assert_eq!(as_of_seq.params(), [Type::TEXT, Type::INT8]);
    let at_one = client.query(&as_of_seq, &[&"crm", &1i64]).await.unwrap();
    assert_eq!(ids(&at_one), ["a"]);
    assert_eq!(at_one[0].get::<_, Value>("data"), json!({"n": 1}));

    let conflicts = client
        .prepare("SELECT * FROM mindoo.conflicts($1)")
        .await
        .unwrap();
    assert_eq!(conflicts.params(), [Type::TEXT]);
    assert!(
        client
            .query(&conflicts, &[&"crm"])
            .await
            .unwrap()
            .is_empty()
    );

    let verify = client
        .prepare("SELECT ok, entries FROM mindoo.verify($1)")
        .await
        .unwrap();
    assert_eq!(verify.params(), [Type::TEXT]);
    let report = client.query_one(&verify, &[&"crm"]).await.unwrap();
    assert!(report.get::<_, bool>("ok"));
    assert_eq!(report.get::<_, i64>("entries"), 3);

    let proof = client
        .prepare("SELECT seq FROM mindoo.proof($1, $2)")
        .await
        .unwrap();
    assert_eq!(proof.params(), [Type::TEXT, Type::TEXT]);
    assert_eq!(
        client.query(&proof, &[&"crm", &"a"]).await.unwrap().len(),
        2
    );

    let changes_all = client
        .prepare("SELECT table_name, id, cursors FROM mindoo.changes_all($1, $2, $3)")
        .await
        .unwrap();
    assert_eq!(changes_all.params(), [Type::TEXT, Type::JSONB, Type::INT4]);
    assert_eq!(changes_all.columns()[2].type_(), &Type::JSONB);
    let everything = client
        .query(&changes_all, &[&"cr*", &json!({}), &100i32])
        .await
        .unwrap();
    assert_eq!(ids(&everything), ["b", "a"]);

    for sql in [
        "SELECT * FROM mindoo.apply($1, $2, $3)",
        "SELECT mindoo.apply($1, $2, $3)",
    ] {
        let apply = client.prepare(sql).await.unwrap();
        assert_eq!(
            apply.params(),
            [Type::TEXT, Type::BYTEA, Type::BYTEA],
            "{sql}"
        );
        let outcome = client
            .query_one(&apply, &[&"crm", &sealed, &sealed_proof])
            .await
            .unwrap();
        assert!(
            !outcome.get::<_, bool>("applied"),
            "an entry the table holds"
        );
        assert_eq!(outcome.get::<_, i64>("seq"), 1);
    }

    // Casts, joins and filters with parameters on both sides of the function.
    let joined = rows(
        &client,
        "SELECT c.id, t.data FROM mindoo.changes($1::text, $2::bigint) c \
         JOIN crm t ON t.id = c.id WHERE c.op = $3",
        &[&"crm", &0i64, &"update"],
    )
    .await;
    assert_eq!(ids(&joined), ["a"]);
    let counted = rows(
        &client,
        "SELECT count(*) AS n FROM crm WHERE id IN (SELECT id FROM mindoo.history($1, $2))",
        &[&"crm", &"b"],
    )
    .await;
    assert_eq!(counted[0].get::<_, i64>("n"), 1);
    let ordered = rows(
        &client,
        "SELECT seq FROM mindoo.entries($1, 0) WHERE doc_id <> $2 ORDER BY seq DESC",
        &[&"crm", &"nobody"],
    )
    .await;
    let seqs: Vec<i64> = ordered.iter().map(|r| r.get(0)).collect();
    assert_eq!(seqs, [3, 2, 1]);
}

#[tokio::test]
async fn bad_arguments_are_clear_errors() {
    let (_server, client, _) = keyed(&["crm"]).await;
    let cases: [(&str, SqlState); 6] = [
        (
            "SELECT * FROM mindoo.changes('nope', 0)",
            SqlState::UNDEFINED_TABLE,
        ),
        (
            "SELECT * FROM mindoo.changes('crm')",
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT * FROM mindoo.changes('crm', -1)",
            SqlState::INVALID_PARAMETER_VALUE,
        ),
        (
            "SELECT * FROM mindoo.changes('crm', NULL)",
            SqlState::INVALID_PARAMETER_VALUE,
        ),
        (
            "SELECT * FROM mindoo.changes_all('*', '[1]')",
            SqlState::INVALID_PARAMETER_VALUE,
        ),
        (
            "SELECT * FROM mindoo.apply('crm', '\\x00')",
            SqlState::INVALID_PARAMETER_VALUE,
        ),
    ];
    for (sql, code) in cases {
        let err = expect_err(client.simple_query(sql).await, sql);
        assert_eq!(err.code(), Some(&code), "{sql}: {err}");
    }
    client.simple_query("SELECT 1").await.expect("still usable");
}

#[tokio::test]
async fn time_travel_brings_deleted_documents_back() {
    let (_server, client, _) = keyed(&["crm"]).await;
    client
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('a', '{"v":"old"}')"#)
        .await
        .unwrap();
    let inserted: SystemTime = client
        .query_one("SELECT updated_at FROM crm WHERE id = 'a'", &[])
        .await
        .unwrap()
        .get(0);
    client
        .batch_execute(
            r#"INSERT INTO crm (id, data) VALUES ('b', '{"v":"b"}');
               DELETE FROM crm WHERE id = 'a'"#,
        )
        .await
        .unwrap();
    assert_eq!(ids(&rows(&client, "SELECT id FROM crm", &[]).await), ["b"]);

    let then = rows(
        &client,
        "SELECT id, data, seq FROM mindoo.as_of($1, $2) ORDER BY id",
        &[&"crm", &inserted],
    )
    .await;
    assert_eq!(ids(&then), ["a"], "as of the insert, only a existed");
    assert_eq!(then[0].get::<_, Value>("data"), json!({"v": "old"}));
    let by_seq = rows(
        &client,
        "SELECT id FROM mindoo.as_of_seq('crm', 2) ORDER BY id",
        &[],
    )
    .await;
    assert_eq!(ids(&by_seq), ["a", "b"]);
    let now = rows(&client, "SELECT id FROM mindoo.as_of_seq('crm', 3)", &[]).await;
    assert_eq!(ids(&now), ["b"]);
    let before = rows(
        &client,
        "SELECT id FROM mindoo.as_of($1, $2)",
        &[&"crm", &(inserted - Duration::from_secs(1))],
    )
    .await;
    assert!(before.is_empty());

    let history = rows(
        &client,
        "SELECT op, data FROM mindoo.history('crm', 'a')",
        &[],
    )
    .await;
    let ops: Vec<String> = history.iter().map(|r| r.get("op")).collect();
    assert_eq!(ops, ["insert", "delete"]);
    assert_eq!(history[1].get::<_, Option<Value>>("data"), None);
    let feed = rows(
        &client,
        "SELECT id, op, data FROM mindoo.changes('crm', 0)",
        &[],
    )
    .await;
    assert_eq!(ids(&feed), ["b", "a"]);
    assert_eq!(feed[1].get::<_, String>("op"), "delete");
    assert_eq!(feed[1].get::<_, Option<Value>>("data"), None);
}

#[tokio::test]
async fn a_session_without_keys_sees_metadata_only() {
    let (server, client, token) = keyed(&["crm"]).await;
    client
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('a', '{"secret":1}')"#)
        .await
        .unwrap();
    let stranger = server.connect().await;
    let feed = rows(
        &stranger,
        "SELECT id, data FROM mindoo.changes('crm', 0)",
        &[],
    )
    .await;
    assert_eq!(ids(&feed), ["a"]);
    assert_eq!(feed[0].get::<_, Option<Value>>("data"), None);
    let log = rows(
        &stranger,
        "SELECT sealed FROM mindoo.entries('crm', 0)",
        &[],
    )
    .await;
    assert_eq!(log.len(), 1);
    let history = rows(
        &stranger,
        "SELECT data FROM mindoo.history('crm', 'a')",
        &[],
    )
    .await;
    assert_eq!(history[0].get::<_, Option<Value>>("data"), None);
    assert!(
        rows(&stranger, "SELECT id FROM mindoo.as_of_seq('crm', 1)", &[])
            .await
            .is_empty()
    );

    // No function returns key material: the token's secret part appears in no cell.
    let secret = token.rsplit('.').next().unwrap();
    for sql in [
        "SELECT * FROM mindoo.changes('crm', 0)",
        "SELECT * FROM mindoo.history('crm', 'a')",
        "SELECT seq, rev, op, parents, signer, key_id FROM mindoo.proof('crm', 'a')",
    ] {
        for message in client.simple_query(sql).await.unwrap() {
            if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
                for idx in 0..row.len() {
                    let cell = row.get(idx).unwrap_or_default();
                    assert!(!cell.contains(secret) && !cell.contains("mdbk1."), "{sql}");
                }
            }
        }
    }
}

#[tokio::test]
async fn verify_names_a_byte_flipped_on_disk() {
    let (server, client, _) = keyed(&["crm"]).await;
    client
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('a', '{"n":1}'), ('b', '{"n":2}'), ('c', '{"n":3}')"#)
        .await
        .unwrap();
    let before = client
        .query_one(
            "SELECT ok, entries, head_seq FROM mindoo.verify('crm')",
            &[],
        )
        .await
        .unwrap();
    assert!(before.get::<_, bool>("ok"));
    assert_eq!(before.get::<_, i64>("head_seq"), 3);
    drop(client);

    let mut flipped_hash = None;
    let server = server.restart_after(|dir| flipped_hash = Some(flip_log_byte(dir, "crm", 2)));
    let client = server.connect().await;
    let report = client
        .query_one("SELECT * FROM mindoo.verify('crm')", &[])
        .await
        .unwrap();
    assert!(!report.get::<_, bool>("ok"));
    assert_eq!(report.get::<_, i64>("entries"), 3);
    assert_eq!(report.get::<_, i64>("signatures_ok"), 2);
    assert_eq!(report.get::<_, Option<i64>>("first_bad_seq"), Some(2));
    assert_eq!(
        report.get::<_, Option<String>>("first_bad_rev"),
        flipped_hash,
        "the report names the damaged entry"
    );
    let problem: String = report.get("first_problem");
    assert!(problem.contains("seq 2"), "{problem}");
    // The damaged entry is never returned as data.
    let err = expect_err(
        client
            .query("SELECT data FROM crm WHERE id = 'b'", &[])
            .await,
        "reading the damaged document",
    );
    assert_eq!(err.code(), Some(&SqlState::DATA_CORRUPTED), "{err}");
}

/// Flips a ciphertext byte of `table`'s entry at `seq` through raw RocksDB (the server is
/// stopped) and returns the entry's new hash.
pub(crate) fn flip_log_byte(dir: &Path, table: &str, seq: u64) -> String {
    let table = {
        let store = Store::open(
            dir,
            &StoreConfig {
                cache_bytes: 1 << 20,
            },
        )
        .unwrap();
        let tenant = store.tenant(USER).unwrap();
        store.table(tenant.id, table).unwrap().table
    };
    let cfs = rocksdb::DB::list_cf(&rocksdb::Options::default(), dir).unwrap();
    let db = rocksdb::DB::open_cf(&rocksdb::Options::default(), dir, cfs).unwrap();
    let log = db.cf_handle("log").unwrap();
    let key = log_key(table, seq);
    let mut bytes = db.get_cf(&log, &key).unwrap().unwrap();
    let at = last_ciphertext_byte(&bytes);
    bytes[at] ^= 0x01;
    db.put_cf(&log, &key, &bytes).unwrap();
    let end = entry_len(&bytes).unwrap();
    UnverifiedEntry::parse(&bytes[..end])
        .unwrap()
        .hash()
        .to_string()
}

/// Where the last ciphertext byte (of the AEAD tag) of the entry at the front of `bytes` is: a
/// log value holds its commit's leaf after a format-2 entry, and a format-1 entry ends with
/// its signature.
pub(crate) fn last_ciphertext_byte(bytes: &[u8]) -> usize {
    let end = entry_len(bytes).unwrap();
    let signature = if bytes[4] == 1 { SIGNATURE_LEN } else { 0 };
    end - signature - 1
}

#[allow(clippy::big_endian_bytes, reason = "mirrors the store's key layout")]
fn log_key(table: Table, seq: u64) -> Vec<u8> {
    let mut key = table.tenant.0.to_be_bytes().to_vec();
    key.extend_from_slice(&table.id.0.to_be_bytes());
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

#[tokio::test]
async fn proofs_verify_in_the_client_and_fail_after_tampering() {
    let (_server, client, _) = keyed(&["crm"]).await;
    client
        .batch_execute(
            r#"INSERT INTO crm (id, data) VALUES ('doc', '{"v":1}');
               UPDATE crm SET data = '{"v":2}' WHERE id = 'doc';
               INSERT INTO crm (id, data) VALUES ('other', '{}');
               UPDATE crm SET data = '{"v":3}' WHERE id = 'doc'"#,
        )
        .await
        .unwrap();
    let proof = proof_of(&client, "crm", "doc").await;
    assert_eq!(proof.len(), 3);
    let doc = DocId::new("doc").unwrap();
    let history = verify_proof(&doc, &proof).expect("the server's proof verifies");
    let rev: String = client
        .query_one("SELECT rev FROM crm WHERE id = 'doc'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        history.winner.to_string(),
        rev,
        "the table shows the proven winner"
    );

    let mut flipped = proof.clone();
    let at = flipped[1].sealed.len() / 2;
    flipped[1].sealed[at] ^= 0x01;
    assert!(verify_proof(&doc, &flipped).is_err());
    let mut dropped = proof.clone();
    dropped.remove(1);
    assert!(verify_proof(&doc, &dropped).is_err());
    let mut crowned = proof.clone();
    crowned[2].winner = false;
    crowned[0].winner = true;
    assert!(verify_proof(&doc, &crowned).is_err());
    assert!(verify_proof(&DocId::new("other").unwrap(), &proof).is_err());
}

/// `mindoo.proof(table, id)` as the client crate takes it.
pub(crate) async fn proof_of(client: &Client, table: &str, id: &str) -> Vec<ProofEntry> {
    rows(client, "SELECT * FROM mindoo.proof($1, $2)", &[&table, &id])
        .await
        .iter()
        .map(|row| ProofEntry {
            seq: row.get("seq"),
            rev: row.get("rev"),
            signer: row.get("signer"),
            header: row.get("header"),
            signature: row.get("signature"),
            sealed: row.get("sealed"),
            head: row.get("head"),
            winner: row.get("winner"),
            proof: row.get("proof"),
            receipt: row.get("receipt"),
        })
        .collect()
}

#[tokio::test]
async fn apply_and_copy_import_verified_entries_once() {
    let (_server, client, _) = keyed(&["src", "dst", "copied"]).await;
    client
        .batch_execute(
            r#"INSERT INTO src (id, data) VALUES ('a', '{"n":1}'), ('b', '{"n":2}');
               UPDATE src SET data = '{"n":3}' WHERE id = 'a'"#,
        )
        .await
        .unwrap();
    // Each entry with the proof it carries: its signed commit and inclusion path.
    let sealed: Vec<(Vec<u8>, Option<Vec<u8>>)> = rows(
        &client,
        "SELECT sealed, proof FROM mindoo.entries('src', 0)",
        &[],
    )
    .await
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    assert!(
        sealed.iter().all(|(_, proof)| proof.is_some()),
        "entries written here are format 2, proven by their commit"
    );

    // Without its proof, or with a proof whose commit signature was altered, a format-2
    // entry is refused.
    let (entry, proof) = &sealed[0];
    let err = expect_err(
        client
            .query("SELECT * FROM mindoo.apply('dst', $1)", &[entry])
            .await,
        "applying a format-2 entry without its proof",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_PARAMETER_VALUE),
        "{err}"
    );
    let mut forged = proof.clone().unwrap();
    let commit_len = mindoodb_protocol::commit_len(&forged).unwrap();
    forged[commit_len - 1] ^= 0x01;
    let err = expect_err(
        client
            .query(
                "SELECT * FROM mindoo.apply('dst', $1, $2)",
                &[entry, &forged],
            )
            .await,
        "applying with a forged commit signature",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_PARAMETER_VALUE),
        "{err}"
    );

    // A tampered entry fails with 22023 naming it, and nothing is written.
    let mut tampered = sealed[0].0.clone();
    let at = last_ciphertext_byte(&tampered);
    tampered[at] ^= 0x01;
    let bad_hash = UnverifiedEntry::parse(tampered.clone())
        .unwrap()
        .hash()
        .to_string();
    let err = expect_err(
        client
            .query(
                "SELECT * FROM mindoo.apply('dst', $1, $2)",
                &[&tampered, &sealed[0].1],
            )
            .await,
        "applying a tampered entry",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_PARAMETER_VALUE),
        "{err}"
    );
    assert!(message(&err).contains(&bad_hash), "{err:?}");
    assert!(
        rows(&client, "SELECT seq FROM mindoo.entries('dst', 0)", &[])
            .await
            .is_empty()
    );

    for (round, expect_applied) in [(1, true), (2, false)] {
        for (bytes, proof) in &sealed {
            let outcome = client
                .query_one(
                    "SELECT applied FROM mindoo.apply('dst', $1, $2)",
                    &[bytes, proof],
                )
                .await
                .unwrap();
            assert_eq!(outcome.get::<_, bool>(0), expect_applied, "round {round}");
        }
    }
    let copied = rows(&client, "SELECT id, data FROM dst ORDER BY id", &[]).await;
    assert_eq!(ids(&copied), ["a", "b"]);
    assert_eq!(copied[0].get::<_, Value>("data"), json!({"n": 3}));
    assert!(
        client
            .query_one("SELECT ok FROM mindoo.verify('dst')", &[])
            .await
            .unwrap()
            .get::<_, bool>(0)
    );

    // Inside a transaction block an import would bypass the block's atomicity: refused.
    client.batch_execute("BEGIN").await.unwrap();
    let err = expect_err(
        client
            .query(
                "SELECT * FROM mindoo.apply('dst', $1, $2)",
                &[&sealed[0].0, &sealed[0].1],
            )
            .await,
        "apply in a block",
    );
    assert_eq!(err.code(), Some(&SqlState::ACTIVE_SQL_TRANSACTION), "{err}");
    client.batch_execute("ROLLBACK").await.unwrap();

    // COPY FROM STDIN (FORMAT binary): one transaction; a row that fails verification goes
    // to the table's quarantine and the rest are imported (a push never stops at one entry).
    let mut with_bad = sealed.clone();
    with_bad.push((tampered.clone(), sealed[0].1.clone()));
    assert_eq!(copy_in(&client, &with_bad).await.unwrap(), 4);
    assert_eq!(
        rows(&client, "SELECT seq FROM mindoo.entries('copied', 0)", &[])
            .await
            .len(),
        3
    );
    let kept = rows(
        &client,
        "SELECT reason FROM mindoo.quarantine('copied')",
        &[],
    )
    .await;
    assert_eq!(kept.len(), 1);
    let reason: String = kept[0].get(0);
    assert!(
        reason.contains("row 4") && reason.contains("failed verification"),
        "{reason}"
    );
    assert_eq!(copy_in(&client, &sealed).await.unwrap(), 3);
    assert_eq!(copy_in(&client, &sealed).await.unwrap(), 3, "idempotent");
    let log = rows(&client, "SELECT seq FROM mindoo.entries('copied', 0)", &[]).await;
    assert_eq!(log.len(), 3);
    assert_eq!(
        ids(&rows(&client, "SELECT id FROM copied ORDER BY id", &[]).await),
        ["a", "b"]
    );

    // CopyFail (a client that gives up) writes nothing.
    client
        .batch_execute("CREATE TABLE abandoned ()")
        .await
        .unwrap();
    {
        let sink = client
            .copy_in("COPY abandoned FROM STDIN (FORMAT binary)")
            .await
            .unwrap();
        let writer = BinaryCopyInWriter::new(sink, &[Type::BYTEA, Type::BYTEA]);
        futures::pin_mut!(writer);
        writer
            .as_mut()
            .write(&[&sealed[0].0, &sealed[0].1])
            .await
            .unwrap();
        // Dropped unfinished: tokio-postgres sends CopyFail.
    }
    assert!(
        rows(
            &client,
            "SELECT seq FROM mindoo.entries('abandoned', 0)",
            &[]
        )
        .await
        .is_empty()
    );
    // Binary rows hold sealed entries only: documents travel as text or CSV.
    let err = expect_err(
        client
            .simple_query("COPY abandoned (id, data) FROM STDIN (FORMAT binary)")
            .await,
        "a binary COPY of document columns",
    );
    assert_eq!(err.code(), Some(&SqlState::FEATURE_NOT_SUPPORTED), "{err}");
    // Like mindoo.apply, a binary import commits by itself: refused inside a block.
    client.batch_execute("BEGIN").await.unwrap();
    let err = expect_err(
        client
            .simple_query("COPY abandoned FROM STDIN (FORMAT binary)")
            .await,
        "a binary COPY in a block",
    );
    assert_eq!(err.code(), Some(&SqlState::ACTIVE_SQL_TRANSACTION), "{err}");
    client.batch_execute("ROLLBACK").await.unwrap();
}

/// `COPY copied FROM STDIN (FORMAT binary)` of `rows`, one sealed entry and its proof each.
async fn copy_in(
    client: &Client,
    rows: &[(Vec<u8>, Option<Vec<u8>>)],
) -> Result<u64, tokio_postgres::Error> {
    let sink = client
        .copy_in("COPY copied FROM STDIN (FORMAT binary)")
        .await?;
    let writer = BinaryCopyInWriter::new(sink, &[Type::BYTEA, Type::BYTEA]);
    futures::pin_mut!(writer);
    for (entry, proof) in rows {
        writer.as_mut().write(&[entry, proof]).await?;
    }
    writer.finish().await
}

#[tokio::test]
async fn changes_all_follows_every_matching_table_with_cursors() {
    let (_server, client, _) = keyed(&["crm2025", "crm2026", "invoices"]).await;
    client
        .batch_execute(
            r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{}'), ('b', '{}');
               INSERT INTO crm2026 (id, data) VALUES ('c', '{}');
               INSERT INTO invoices (id, data) VALUES ('i', '{}')"#,
        )
        .await
        .unwrap();
    let sql = "SELECT table_name, seq, id, cursors FROM mindoo.changes_all($1, $2)";
    let first = rows(&client, sql, &[&"crm*", &json!({})]).await;
    let seen: Vec<(String, String)> = first
        .iter()
        .map(|r| (r.get("table_name"), r.get("id")))
        .collect();
    assert_eq!(
        seen,
        [
            ("crm2025".into(), "a".into()),
            ("crm2025".into(), "b".into()),
            ("crm2026".into(), "c".into())
        ]
    );
    let cursors: Value = first.last().unwrap().get("cursors");
    assert_eq!(cursors, json!({"crm2025": 2, "crm2026": 1}));
    assert!(rows(&client, sql, &[&"crm*", &cursors]).await.is_empty());

    client
        .batch_execute(r#"UPDATE crm2026 SET data = '{"x":1}' WHERE id = 'c'"#)
        .await
        .unwrap();
    let next = rows(&client, sql, &[&"crm*", &cursors]).await;
    assert_eq!(ids(&next), ["c"]);
    assert_eq!(
        next[0].get::<_, Value>("cursors"),
        json!({"crm2025": 2, "crm2026": 2})
    );
    // A LIMIT mid-way still leaves a cursor to resume from.
    let one = rows(
        &client,
        "SELECT cursors FROM mindoo.changes_all('crm*', '{}') LIMIT 1",
        &[],
    )
    .await;
    assert_eq!(
        one[0].get::<_, Value>(0),
        json!({"crm2025": 1, "crm2026": 0})
    );
}

/// Documents written, by this many concurrent writers, in INSERTs of this many rows.
const N_DOCS: usize = 10_000;
const WRITERS: usize = 4;
const BATCH: usize = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_resuming_consumer_sees_every_final_state_once_while_writers_run() {
    let (server, client, token) = keyed(&["crm"]).await;
    let (consumer, mut notifications) = server.connect_listening().await;
    consumer
        .batch_execute("LISTEN mindoo_changes")
        .await
        .unwrap();

    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let client = server.connect().await;
        client
            .batch_execute(&format!("SET mindoo.keys = '{token}'"))
            .await
            .unwrap();
        writers.push(tokio::spawn(async move {
            let per_writer = N_DOCS / WRITERS;
            for start in (0..per_writer).step_by(BATCH) {
                let values: Vec<String> = (start..start + BATCH)
                    .map(|i| format!(r#"('w{writer}-{i:05}', '{{"v":1}}')"#))
                    .collect();
                client
                    .batch_execute(&format!(
                        "INSERT INTO crm (id, data) VALUES {}",
                        values.join(", ")
                    ))
                    .await
                    .unwrap();
                // Some documents change again while the consumer reads.
                client
                    .batch_execute(&format!(
                        r#"UPDATE crm SET data = '{{"v":2}}' WHERE id = 'w{writer}-{start:05}'"#
                    ))
                    .await
                    .unwrap();
            }
        }));
    }
    let mut done = tokio::spawn(async move {
        for writer in writers {
            writer.await.unwrap();
        }
    });

    let poll = consumer
        .prepare("SELECT seq, id, rev FROM mindoo.changes($1, $2, $3)")
        .await
        .unwrap();
    let mut cursor = 0i64;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut writers_done = false;
    loop {
        let page = consumer
            .query(&poll, &[&"crm", &cursor, &1000i32])
            .await
            .unwrap();
        for row in &page {
            let seq: i64 = row.get("seq");
            assert!(seq > cursor, "seq {seq} after cursor {cursor}");
            cursor = seq;
            seen.push((row.get("id"), row.get("rev")));
        }
        if !page.is_empty() {
            continue;
        }
        if writers_done {
            break;
        }
        // Caught up: wait for the next commit's notification, or for the writers to finish
        // (then one last poll).
        tokio::select! {
            _ = notifications.recv() => {}
            joined = &mut done => {
                joined.unwrap();
                writers_done = true;
            }
        }
    }

    let finals: Vec<(String, String)> = rows(&client, "SELECT id, rev FROM crm", &[])
        .await
        .iter()
        .map(|r| (r.get("id"), r.get("rev")))
        .collect();
    assert_eq!(finals.len(), N_DOCS);
    let mut times_seen: HashMap<&(String, String), usize> = HashMap::new();
    for change in &seen {
        *times_seen.entry(change).or_default() += 1;
    }
    assert!(
        times_seen.values().all(|n| *n == 1),
        "no revision is delivered twice"
    );
    for state in &finals {
        assert_eq!(times_seen.get(state), Some(&1), "final state {state:?}");
    }
    let ids_seen: HashSet<&String> = seen.iter().map(|(id, _)| id).collect();
    assert_eq!(ids_seen.len(), N_DOCS);
}

#[tokio::test]
async fn conflicts_list_every_head_and_proofs_cover_them() {
    let (_server, client, _) = keyed(&["left", "right"]).await;
    // One document edited on two "nodes" (tables) from the same revision, then merged by
    // applying the right side's entries to the left: two heads.
    client
        .batch_execute(r#"INSERT INTO left (id, data) VALUES ('x', '{"v":0}')"#)
        .await
        .unwrap();
    let create = client
        .query_one("SELECT sealed, proof FROM mindoo.entries('left', 0)", &[])
        .await
        .unwrap();
    let (create, create_proof): (Vec<u8>, Vec<u8>) = (create.get(0), create.get(1));
    client
        .query_one(
            "SELECT * FROM mindoo.apply('right', $1, $2)",
            &[&create, &create_proof],
        )
        .await
        .unwrap();
    client
        .batch_execute(
            r#"UPDATE left SET data = '{"v":"left"}' WHERE id = 'x';
               UPDATE right SET data = '{"v":"right"}' WHERE id = 'x'"#,
        )
        .await
        .unwrap();
    let right_edit = client
        .query_one("SELECT sealed, proof FROM mindoo.entries('right', 1)", &[])
        .await
        .unwrap();
    let (right_edit, right_proof): (Vec<u8>, Vec<u8>) = (right_edit.get(0), right_edit.get(1));
    client
        .query_one(
            "SELECT * FROM mindoo.apply('left', $1, $2)",
            &[&right_edit, &right_proof],
        )
        .await
        .unwrap();

    let heads = rows(
        &client,
        "SELECT id, rev, op, author, winner, data FROM mindoo.conflicts('left') ORDER BY rev",
        &[],
    )
    .await;
    assert_eq!(ids(&heads), ["x", "x"]);
    let winners: Vec<bool> = heads.iter().map(|r| r.get("winner")).collect();
    assert_eq!(winners.iter().filter(|w| **w).count(), 1);
    let data: HashSet<String> = heads
        .iter()
        .map(|r| r.get::<_, Value>("data")["v"].to_string())
        .collect();
    assert_eq!(data, HashSet::from(["\"left\"".into(), "\"right\"".into()]));
    for head in &heads {
        assert_eq!(head.get::<_, String>("op"), "update");
        assert_eq!(head.get::<_, String>("author"), USER);
    }
    let shown: String = client
        .query_one("SELECT rev FROM left WHERE id = 'x'", &[])
        .await
        .unwrap()
        .get(0);
    let winner = heads.iter().find(|r| r.get::<_, bool>("winner")).unwrap();
    assert_eq!(winner.get::<_, String>("rev"), shown);

    let proof = proof_of(&client, "left", "x").await;
    let history = verify_proof(&DocId::new("x").unwrap(), &proof).unwrap();
    assert_eq!(history.heads.len(), 2);
    assert_eq!(history.winner.to_string(), shown);
    assert!(
        rows(&client, "SELECT * FROM mindoo.conflicts('right')", &[])
            .await
            .is_empty()
    );
}
