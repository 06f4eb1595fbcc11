//! Client-held keys end to end (issue 6): four real servers on loopback — A a laptop node with
//! a keyring, B a hub without keys, C a read-only mirror of B, D a second laptop — and the CLI.
//! A writes offline; A and D sync through B with `mindoo.sync` and `mindoodb sync`; C mirrors
//! B. Both laptops converge, including a same-document conflict and its resolution; B's and
//! C's files and logs hold no plaintext and no key; C verifies and refuses writes; a table goes
//! to another tenant and is read there with the client library; entries forged or altered on B
//! are quarantined by A and D, whose syncs go on; an interrupted mirror resumes without
//! duplicates. The client
//! examples run against a keyless server; `mindoodb sync --watch` follows both sides; a mirror
//! started with `--mirror-accept-keys` serves plaintext to sessions that bring keys;
//! `mindoodb mirror --watch` follows new entries, resumes at its cursor after a restart, keeps
//! no plaintext or key, and its replica verifies and serves read-only.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mindoodb_client::{Client as KeyClient, Keyring};
use mindoodb_protocol::{
    AuthorClock, DataKey, DocId, Draft, EntryKind, Identity, KeyName, Nonce, seal,
};
use mindoodb_storage::{Seq, Store, StoreConfig};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::feeds::flip_log_byte;
use crate::support::{Options, PASSWORD, TestServer, USER, column, conninfo, expect_err};

const CONVERGE_TIMEOUT: Duration = Duration::from_secs(60);

/// Keyring files and their passphrases, in one temporary directory.
struct Keys {
    dir: TempDir,
}

impl Keys {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `mindoodb <args>` against keyring `name`, unlocked with its passphrase.
    fn cli(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let keyring = self.path(name);
        let mut all: Vec<&str> = args.to_vec();
        let keyring = keyring.to_str().expect("utf-8 path");
        all.extend(["--keyring", keyring]);
        let mut env = env.to_vec();
        env.push(("MINDOODB_KEYRING_PASSPHRASE", name));
        cli(&all, &env)
    }

    /// Like `cli`, and it must succeed; returns stdout.
    fn ok(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.cli(name, args, env);
        assert!(
            out.status.success(),
            "mindoodb {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    /// A server that unlocks keyring `name` for its loopback sessions.
    fn local_node(&self, name: &str) -> TestServer {
        TestServer::start_with(Options {
            args: vec!["--keyring".into(), self.path(name).display().to_string()],
            ..Options::default().with_env("MINDOODB_KEYRING_PASSPHRASE", name)
        })
    }
}

fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(args)
        .env_remove("MINDOODB_KEYRING")
        .env_remove("MINDOODB_KEYRING_PASSPHRASE")
        .env_remove("MINDOODB_ONE_TIME_PASSPHRASE")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run mindoodb")
}

/// `mindoo.sync` on `node`: (pulled, pushed) for `table`.
async fn sync_sql(node: &Client, peer: &str, table: &str, direction: &str) -> (i64, i64) {
    let rows = node
        .query(
            "SELECT table_name, pulled, pushed FROM mindoo.sync($1, $2, $3)",
            &[&peer, &table, &direction],
        )
        .await
        .expect("mindoo.sync");
    let mut totals = (0, 0);
    for row in rows {
        totals.0 += row.get::<_, i64>("pulled");
        totals.1 += row.get::<_, i64>("pushed");
    }
    totals
}

/// `id`, `rev` and `data` of every document the session can read, by id.
async fn documents(client: &Client, table: &str) -> Vec<(String, String, Value)> {
    client
        .query(
            &format!("SELECT id, rev, data FROM {table} ORDER BY id"),
            &[],
        )
        .await
        .expect("read documents")
        .iter()
        .map(|r| (r.get("id"), r.get("rev"), r.get("data")))
        .collect()
}

/// Every head of every conflicted document, without the node-local seq.
async fn conflicts(client: &Client, table: &str) -> Vec<(String, String, bool, Option<Value>)> {
    client
        .query(
            "SELECT id, rev, winner, data FROM mindoo.conflicts($1) ORDER BY id, rev",
            &[&table],
        )
        .await
        .expect("read conflicts")
        .iter()
        .map(|r| (r.get("id"), r.get("rev"), r.get("winner"), r.get("data")))
        .collect()
}

async fn last_seq(client: &Client, table: &str) -> i64 {
    client
        .query_opt("SELECT last_seq FROM mindoo.tables($1)", &[&table])
        .await
        .expect("mindoo.tables")
        .map_or(0, |row| row.get(0))
}

/// Waits until `mirror`'s `table` holds as many entries as `source`'s.
async fn wait_mirrored(mirror: &Client, source: &Client, table: &str) {
    let want = last_seq(source, table).await;
    let deadline = Instant::now() + CONVERGE_TIMEOUT;
    while last_seq(mirror, table).await != want {
        assert!(
            Instant::now() < deadline,
            "the mirror did not reach seq {want} of {table}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every file under `dir`, read whole.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The secret parts of the tokens a keyring prints, as text and as raw bytes.
fn secrets(tokens: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for token in tokens.trim().split(',') {
        let secret = token.rsplit('.').next().expect("token secret");
        out.push(secret.as_bytes().to_vec());
        out.push(URL_SAFE_NO_PAD.decode(secret).expect("base64url secret"));
    }
    out
}

#[tokio::test]
async fn laptops_sync_through_a_keyless_hub_and_a_mirror() {
    let keys = Keys {
        dir: TempDir::new().unwrap(),
    };
    // Keyrings: A makes the keys, D gets `default` out of band.
    keys.ok("a", &["keyring", "init"], &[]);
    keys.ok("a", &["key", "new", "default"], &[]);
    keys.ok("a", &["key", "new", "shared"], &[]);
    let a_author = keys.ok("a", &["identity", "new"], &[]).trim().to_owned();
    assert_eq!(a_author.len(), 64, "a public key in hex: {a_author}");
    let export = keys.cli("a", &["key", "export", "default"], &[]);
    assert!(export.status.success());
    let blob = String::from_utf8(export.stdout).unwrap();
    assert!(blob.starts_with("mdbx1."), "{blob}");
    let told = String::from_utf8(export.stderr).unwrap();
    let one_time = told
        .rsplit(": ")
        .next()
        .expect("a one-time passphrase on stderr")
        .trim()
        .to_owned();
    std::fs::write(keys.path("default.export"), &blob).unwrap();
    keys.ok("d", &["keyring", "init"], &[]);
    keys.ok("d", &["identity", "new"], &[]);
    let wrong = keys.cli(
        "d",
        &[
            "key",
            "import",
            keys.path("default.export").to_str().unwrap(),
        ],
        &[("MINDOODB_ONE_TIME_PASSPHRASE", "not it")],
    );
    assert!(
        !wrong.status.success(),
        "a wrong one-time passphrase imports nothing"
    );
    let imported = keys.ok(
        "d",
        &[
            "key",
            "import",
            keys.path("default.export").to_str().unwrap(),
        ],
        &[("MINDOODB_ONE_TIME_PASSPHRASE", &one_time)],
    );
    assert_eq!(imported.trim(), "imported key default.1");
    let a_tokens = keys.ok("a", &["keyring", "token"], &[]);
    let d_tokens = keys.ok("d", &["keyring", "token"], &[]);
    let listed = keys.ok("a", &["key", "list"], &[]);
    assert!(
        listed.contains("default\t1\tkcv ") && listed.contains("shared\t1"),
        "{listed}"
    );
    for secret in secrets(&a_tokens) {
        let text = String::from_utf8_lossy(&secret);
        assert!(!listed.contains(text.as_ref()), "key list shows no key");
    }
    let keyring_file = std::fs::read(keys.path("a")).unwrap();
    for secret in secrets(&a_tokens) {
        assert!(
            !contains(&keyring_file, &secret),
            "the keyring file is sealed"
        );
    }

    // A works offline: nothing else runs yet.
    let a = keys.local_node("a");
    let a_sql = a.connect().await;
    a_sql
        .batch_execute(
            r#"CREATE TABLE crm ();
               INSERT INTO crm (id, data) VALUES
                 ('acme', '{"name":"alpha-secret-acme","revenue":10}'),
                 ('globex', '{"name":"alpha-secret-globex"}'),
                 ('shared-doc', '{"v":"alpha-secret-original"}')"#,
        )
        .await
        .expect("a local node writes with its keyring's keys, no SET needed");
    let author: String = a_sql
        .query_one("SELECT author FROM crm WHERE id = 'acme'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(author, a_author, "A's identity signs A's writes");

    // B, the hub, holds no keys; A pushes and pulls with mindoo.sync.
    let b = TestServer::start();
    let b_sql = b.connect().await;
    let b_info = conninfo(&b, USER);
    assert_eq!(sync_sql(&a_sql, &b_info, "crm", "both").await, (0, 3));
    assert_eq!(
        sync_sql(&a_sql, &b_info, "crm", "both").await,
        (0, 0),
        "a second sync moves nothing"
    );
    let b_rows = b_sql.query("SELECT id FROM crm", &[]).await.unwrap();
    assert!(b_rows.is_empty(), "B cannot read what it stores");
    assert_eq!(last_seq(&b_sql, "crm").await, 3);

    // C mirrors B.
    let c = TestServer::start_with(Options {
        args: vec!["--mirror-of".into(), b_info.clone()],
        ..Options::default()
    });
    let c_sql = c.connect().await;
    wait_mirrored(&c_sql, &b_sql, "crm").await;

    // D, the second laptop, syncs through B with the CLI.
    let d = keys.local_node("d");
    let d_sql = d.connect().await;
    let d_info = conninfo(&d, USER);
    let synced = cli(
        &["sync", "--local", &d_info, "--peer", &b_info, "--all"],
        &[],
    );
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let printed = String::from_utf8(synced.stdout).unwrap();
    assert!(
        printed.contains("crm: pulled 3 (3 new), pushed 0"),
        "{printed}"
    );
    assert_eq!(
        documents(&d_sql, "crm").await,
        documents(&a_sql, "crm").await
    );

    // Both edit offline, including the same document, then sync through B.
    a_sql
        .batch_execute(
            r#"UPDATE crm SET data = '{"v":"alpha-secret-from-a"}' WHERE id = 'shared-doc';
               INSERT INTO crm (id, data) VALUES ('initech', '{"name":"alpha-secret-initech"}')"#,
        )
        .await
        .unwrap();
    d_sql
        .batch_execute(
            r#"UPDATE crm SET data = '{"v":"delta-secret-from-d"}' WHERE id = 'shared-doc';
               INSERT INTO crm (id, data) VALUES ('hooli', '{"name":"delta-secret-hooli"}')"#,
        )
        .await
        .unwrap();
    assert_eq!(sync_sql(&a_sql, &b_info, "crm", "both").await, (0, 2));
    let d_sync = |direction: &'static str| {
        let out = cli(
            &[
                "sync", "--local", &d_info, "--peer", &b_info, "--table", "crm", direction,
            ],
            &[],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let printed = d_sync("--both");
    assert!(
        printed.contains("crm: pulled 2 (2 new), pushed 2"),
        "{printed}"
    );
    assert_eq!(sync_sql(&a_sql, &b_info, "crm", "both").await, (2, 0));
    let on_a = documents(&a_sql, "crm").await;
    assert_eq!(on_a.len(), 5);
    assert_eq!(on_a, documents(&d_sql, "crm").await, "A and D converge");
    let a_conflicts = conflicts(&a_sql, "crm").await;
    assert_eq!(
        a_conflicts.len(),
        2,
        "two heads of shared-doc: {a_conflicts:?}"
    );
    assert!(a_conflicts.iter().all(|c| c.0 == "shared-doc"));
    assert_eq!(
        a_conflicts,
        conflicts(&d_sql, "crm").await,
        "the same conflict on both"
    );

    // An update on A names both heads and resolves the conflict everywhere.
    a_sql
        .batch_execute(
            r#"UPDATE crm SET data = '{"v":"alpha-secret-merged"}' WHERE id = 'shared-doc'"#,
        )
        .await
        .unwrap();
    sync_sql(&a_sql, &b_info, "crm", "push").await;
    d_sync("--pull");
    assert!(conflicts(&a_sql, "crm").await.is_empty());
    assert!(conflicts(&d_sql, "crm").await.is_empty());
    let merged: Value = d_sql
        .query_one("SELECT data FROM crm WHERE id = 'shared-doc'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(merged, json!({"v": "alpha-secret-merged"}));
    assert_eq!(
        documents(&a_sql, "crm").await,
        documents(&d_sql, "crm").await
    );

    // C has it all, verifies it, serves it, and refuses writes and keys.
    wait_mirrored(&c_sql, &b_sql, "crm").await;
    let verified = c_sql
        .query_one("SELECT ok, entries FROM mindoo.verify('crm')", &[])
        .await
        .unwrap();
    assert!(verified.get::<_, bool>("ok"));
    assert_eq!(
        verified.get::<_, i64>("entries"),
        last_seq(&b_sql, "crm").await
    );
    let c_entries = c_sql
        .query(
            "SELECT hash FROM mindoo.entries('crm', 0) ORDER BY hash",
            &[],
        )
        .await
        .unwrap();
    let b_entries = b_sql
        .query(
            "SELECT hash FROM mindoo.entries('crm', 0) ORDER BY hash",
            &[],
        )
        .await
        .unwrap();
    let hashes =
        |rows: &[tokio_postgres::Row]| -> Vec<String> { rows.iter().map(|r| r.get(0)).collect() };
    assert_eq!(hashes(&c_entries), hashes(&b_entries));
    let err = expect_err(
        c_sql
            .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('x', '{}')"#)
            .await,
        "writing to a mirror",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::READ_ONLY_SQL_TRANSACTION),
        "{err}"
    );
    let sealed: Vec<u8> = b_sql
        .query_one("SELECT sealed FROM mindoo.entries('crm', 0, 1)", &[])
        .await
        .unwrap()
        .get(0);
    let err = expect_err(
        c_sql
            .query("SELECT * FROM mindoo.apply('crm', $1)", &[&sealed])
            .await,
        "applying to a mirror",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::READ_ONLY_SQL_TRANSACTION),
        "{err}"
    );
    let err = expect_err(
        c_sql.batch_execute("CREATE TABLE more ()").await,
        "creating a table on a mirror",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::READ_ONLY_SQL_TRANSACTION),
        "{err}"
    );
    let d_token = d_tokens.trim().split(',').next().unwrap().to_owned();
    let err = expect_err(
        c_sql
            .batch_execute(&format!("SET mindoo.keys = '{d_token}'"))
            .await,
        "presenting keys to a mirror that does not take them",
    );
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");

    // Another tenant on B gets one table of A's, filtered, and reads it with the client
    // library and a key handed over out of band.
    b_sql
        .batch_execute("CREATE DATABASE partner")
        .await
        .unwrap();
    a_sql
        .batch_execute(
            r#"CREATE TABLE shared ();
               INSERT INTO shared (id, data, key_id) VALUES ('p1', '{"for":"partner-eyes-only"}', 'shared')"#,
        )
        .await
        .unwrap();
    let partner = conninfo(&b, "partner");
    assert_eq!(sync_sql(&a_sql, &partner, "shared", "push").await, (0, 1));
    let b_partner = b.connect_as(USER, PASSWORD, "partner").await.unwrap();
    let partner_tables: Vec<String> = b_partner
        .query("SELECT table_name FROM mindoo.tables('*')", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        partner_tables,
        ["shared"],
        "only the chosen table crossed over"
    );
    let shared_export = keys.cli(
        "a",
        &["key", "export", "shared"],
        &[("MINDOODB_ONE_TIME_PASSPHRASE", "read it out over the phone")],
    );
    assert!(shared_export.status.success());
    std::fs::write(keys.path("shared.export"), &shared_export.stdout).unwrap();
    keys.ok("p", &["keyring", "init"], &[]);
    keys.ok("p", &["identity", "new"], &[]);
    keys.ok(
        "p",
        &[
            "key",
            "import",
            keys.path("shared.export").to_str().unwrap(),
        ],
        &[("MINDOODB_ONE_TIME_PASSPHRASE", "read it out over the phone")],
    );
    let p_keyring = Keyring::open(&keys.path("p"), b"p").unwrap();
    let partner_client = KeyClient::connect(&partner, p_keyring).await.unwrap();
    let doc = partner_client.get("shared", "p1").await.unwrap().unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(doc.json.as_deref().unwrap()).unwrap(),
        json!({"for": "partner-eyes-only"})
    );
    assert_eq!(doc.author.to_string(), a_author);
    partner_client
        .update("shared", "p1", r#"{"for":"partner-eyes-only","seen":true}"#)
        .await
        .unwrap();
    assert_eq!(sync_sql(&a_sql, &partner, "shared", "pull").await, (1, 0));
    let seen: Value = a_sql
        .query_one("SELECT data FROM shared WHERE id = 'p1'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(seen, json!({"for": "partner-eyes-only", "seen": true}));

    // No plaintext and no key in B's or C's files or logs (nor in A's and D's logs). The doc
    // ids are stored in the clear, so finding them shows the search sees stored bytes.
    let plaintexts: [&[u8]; 4] = [
        b"alpha-secret",
        b"delta-secret",
        b"partner-eyes-only",
        b"revenue",
    ];
    let mut key_material = secrets(&a_tokens);
    key_material.extend(secrets(&d_tokens));
    for (name, server) in [("B", &b), ("C", &c)] {
        let stored = files(server.data_dir());
        assert!(
            stored
                .iter()
                .any(|(_, bytes)| contains(bytes, b"shared-doc")),
            "{name}'s files hold the entries"
        );
        for (path, bytes) in &stored {
            for needle in plaintexts
                .iter()
                .copied()
                .chain(key_material.iter().map(Vec::as_slice))
            {
                assert!(
                    !contains(bytes, needle),
                    "{name}'s {} holds {:?}",
                    path.display(),
                    String::from_utf8_lossy(needle)
                );
            }
        }
    }
    for (name, server) in [("A", &a), ("B", &b), ("C", &c), ("D", &d)] {
        let log = server.output();
        for needle in key_material.iter() {
            assert!(
                !contains(log.as_bytes(), needle),
                "{name}'s log holds a key"
            );
        }
        if name == "B" || name == "C" {
            for needle in plaintexts {
                assert!(
                    !contains(log.as_bytes(), needle),
                    "{name}'s log holds plaintext"
                );
            }
        }
    }

    // An entry forged on B (signed, but not under the real key) is refused by A and D, which
    // hold the key; keyless B cannot tell.
    a_sql
        .batch_execute(
            r#"CREATE TABLE notes (); INSERT INTO notes (id, data) VALUES ('n1', '{"t":1}')"#,
        )
        .await
        .unwrap();
    sync_sql(&a_sql, &b_info, "notes", "push").await;
    let forger = Identity::generate().unwrap();
    let fake_key = DataKey::generate(KeyName::new("default").unwrap(), 1).unwrap();
    let forged = seal(
        Draft {
            kind: EntryKind::Create,
            doc_id: DocId::new("n2").unwrap(),
            parents: Vec::new(),
            clock: AuthorClock(1),
            signer_role: String::new(),
        },
        br#"{"t":"forged"}"#,
        &fake_key,
        &forger,
        Nonce::random().unwrap(),
    )
    .unwrap();
    b_sql
        .query(
            "SELECT * FROM mindoo.apply('notes', $1)",
            &[&forged.bytes()],
        )
        .await
        .expect("a keyless hub stores any signed entry");
    let refused: i64 = a_sql
        .query_one(
            "SELECT quarantined FROM mindoo.sync($1, 'notes', 'pull')",
            &[&b_info],
        )
        .await
        .expect("a forged entry does not stop the sync")
        .get(0);
    assert_eq!(refused, 1, "A quarantines the forgery");
    let why = column(
        &a_sql,
        "SELECT hash || ' ' || reason FROM mindoo.quarantine('notes')",
    )
    .await;
    let why = why[0].as_deref().unwrap_or_default();
    assert!(why.starts_with(&forged.hash().to_string()), "{why}");
    assert!(why.contains("does not decrypt"), "{why}");
    let out = cli(
        &[
            "sync", "--local", &d_info, "--peer", &b_info, "--table", "notes", "--pull",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "D quarantines the forgery and goes on"
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("1 entries refused and quarantined"), "{said}");
    assert_eq!(
        column(&d_sql, "SELECT hash FROM mindoo.quarantine('notes')").await,
        vec![Some(forged.hash().to_string())]
    );
    let n2 = d_sql
        .query("SELECT * FROM mindoo.history('notes', 'n2')", &[])
        .await
        .unwrap();
    assert!(n2.is_empty(), "nothing of the forgery reached D");

    // An interrupted mirror resumes without duplicates.
    a_sql.batch_execute("CREATE TABLE bulk ()").await.unwrap();
    let values: Vec<String> = (0..300)
        .map(|n| format!("('b{n:03}', '{{\"n\":{n}}}')"))
        .collect();
    a_sql
        .batch_execute(&format!(
            "INSERT INTO bulk (id, data) VALUES {}",
            values.join(",")
        ))
        .await
        .unwrap();
    assert_eq!(sync_sql(&a_sql, &b_info, "bulk", "push").await, (0, 300));
    let replica = TempDir::new().unwrap();
    let replica_dir = replica.path().to_str().unwrap();
    let mirror_args = [
        "mirror",
        "--from",
        &b_info,
        "--to-data-dir",
        replica_dir,
        "--table",
        "bulk",
        "--batch",
        "1",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(mirror_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a progress line").unwrap();
    assert!(first.starts_with("bulk: pulled 1 (1 new)"), "{first}");
    child.kill().unwrap();
    child.wait().unwrap();
    let stored_before = {
        let store = Store::open(
            replica.path(),
            &StoreConfig {
                cache_bytes: 1 << 20,
            },
        )
        .unwrap();
        let tenant = store.tenant(USER).unwrap();
        let table = store.table(tenant.id, "bulk").unwrap().table;
        store.snapshot().last_seq(table).unwrap().0
    };
    assert!(
        (1..300).contains(&stored_before),
        "killed part way: {stored_before} of 300 stored"
    );
    let resumed = cli(&mirror_args[..mirror_args.len() - 2], &[]);
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let printed = String::from_utf8(resumed.stdout).unwrap();
    let last = printed.lines().last().unwrap_or_default();
    assert!(last.ends_with("at peer seq 300"), "{printed}");
    let store = Store::open(
        replica.path(),
        &StoreConfig {
            cache_bytes: 1 << 20,
        },
    )
    .unwrap();
    let tenant = store.tenant(USER).unwrap();
    let table = store.table(tenant.id, "bulk").unwrap().table;
    let snapshot = store.snapshot();
    assert_eq!(
        snapshot.last_seq(table).unwrap(),
        Seq(300),
        "no entry stored twice"
    );
    let report = snapshot.verify(table).unwrap();
    assert!(report.is_ok() && report.entries == 300 && report.documents == 300);
    drop(snapshot);
    drop(store);

    // Entries altered on B's disk (B stopped) are refused by A and D.
    let x: String = a_sql
        .query_one(
            r#"INSERT INTO crm (id, data) VALUES ('x-from-a', '{"n":1}') RETURNING rev"#,
            &[],
        )
        .await
        .unwrap()
        .get(0);
    sync_sql(&a_sql, &b_info, "crm", "push").await;
    d_sql
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('y-from-d', '{"n":2}')"#)
        .await
        .unwrap();
    d_sync("--push");
    let seq_of = |rows: &[tokio_postgres::Row], id: &str| -> u64 {
        rows.iter()
            .find(|r| r.get::<_, String>("doc_id") == id)
            .map(|r| r.get::<_, i64>("seq") as u64)
            .expect("entry on B")
    };
    let on_b = b_sql
        .query("SELECT seq, doc_id FROM mindoo.entries('crm', 0)", &[])
        .await
        .unwrap();
    let (x_seq, y_seq) = (seq_of(&on_b, "x-from-a"), seq_of(&on_b, "y-from-d"));
    drop((b_sql, b_partner, partner_client));
    drop(c_sql);
    drop(c);
    let mut altered = Vec::new();
    let b = b.restart_after(|dir| {
        altered.push(flip_log_byte(dir, "crm", x_seq));
        altered.push(flip_log_byte(dir, "crm", y_seq));
    });
    let b_info = conninfo(&b, USER);
    let refused: i64 = a_sql
        .query_one(
            "SELECT quarantined FROM mindoo.sync($1, 'crm', 'pull')",
            &[&b_info],
        )
        .await
        .expect("altered entries do not stop the sync")
        .get(0);
    assert_eq!(refused, 2, "A quarantines both altered entries");
    let kept = column(&a_sql, "SELECT hash FROM mindoo.quarantine('crm')").await;
    for hash in &altered {
        assert!(kept.contains(&Some(hash.clone())), "{kept:?}");
    }
    let out = cli(
        &[
            "sync", "--local", &d_info, "--peer", &b_info, "--table", "crm", "--pull",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "D quarantines altered entries and goes on"
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("2 entries refused and quarantined"), "{said}");
    let x_on_a: String = a_sql
        .query_one("SELECT rev FROM crm WHERE id = 'x-from-a'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(x_on_a, x, "A keeps its own, genuine entry");
}

#[tokio::test]
async fn keyring_commands_refuse_what_they_must() {
    let keys = Keys {
        dir: TempDir::new().unwrap(),
    };
    keys.ok("k", &["keyring", "init"], &[]);
    let again = keys.cli("k", &["keyring", "init"], &[]);
    assert!(!again.status.success(), "init does not overwrite a keyring");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(keys.path("k")).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    keys.ok("k", &["key", "new", "hr"], &[]);
    let dup = keys.cli("k", &["key", "new", "hr"], &[]);
    assert!(
        !dup.status.success(),
        "a name is created once; rotate adds versions"
    );
    assert_eq!(
        keys.ok("k", &["key", "rotate", "hr"], &[]).trim(),
        "created key hr.2; new writes use it"
    );
    let tokens = keys.ok("k", &["keyring", "token", "hr"], &[]);
    assert_eq!(tokens.trim().split(',').count(), 2, "both versions of hr");
    assert!(tokens.starts_with("mdbk1.hr.1."));
    let wrong = cli(
        &["key", "list", "--keyring", keys.path("k").to_str().unwrap()],
        &[("MINDOODB_KEYRING_PASSPHRASE", "wrong")],
    );
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase"));
    let unasked = cli(
        &["key", "list", "--keyring", keys.path("k").to_str().unwrap()],
        &[],
    );
    assert!(
        !unasked.status.success(),
        "no terminal and no variable: no passphrase"
    );
    std::fs::set_permissions(
        keys.path("k"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )
    .unwrap();
    let exposed = keys.cli("k", &["key", "list"], &[]);
    assert!(
        !exposed.status.success(),
        "a keyring others can read is refused"
    );
    assert!(String::from_utf8_lossy(&exposed.stderr).contains("chmod 600"));
}

/// A client example from `client/examples/`, built by `cargo test --workspace` next to this
/// test binary (target/<profile>/examples/).
fn example(name: &str) -> Command {
    let exe = std::env::current_exe().expect("test binary path");
    let path = exe
        .parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("examples").join(name))
        .expect("target directory");
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo test --workspace`, which builds the examples",
        path.display()
    );
    let mut command = Command::new(path);
    command
        .env_remove("MINDOODB_KEYRING")
        .env_remove("MINDOODB_KEYRING_PASSPHRASE")
        .stdin(Stdio::null());
    command
}

/// Runs `command`; it must succeed. Returns stdout.
fn run_ok(command: &mut Command) -> String {
    let out = command.output().expect("run example");
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[tokio::test]
async fn the_client_examples_run_against_a_keyless_server() {
    let keys = Keys {
        dir: TempDir::new().unwrap(),
    };
    keys.ok("k", &["keyring", "init"], &[]);
    keys.ok("k", &["key", "new", "default"], &[]);
    let author = keys.ok("k", &["identity", "new"], &[]).trim().to_owned();
    let server = TestServer::start();
    let info = conninfo(&server, USER);
    let keyring = keys.path("k");
    let with_keyring = |command: &mut Command| {
        command
            .env("MINDOODB_URL", &info)
            .env("MINDOODB_KEYRING", &keyring)
            .env("MINDOODB_KEYRING_PASSPHRASE", "k");
    };

    // seal_and_push: an insert, then an update of the same document.
    let mut first = example("seal_and_push");
    with_keyring(first.args(["notes", "n1", r#"{"text":"example-secret-1"}"#]));
    let printed = run_ok(&mut first);
    assert!(printed.starts_with("stored n1 as revision "), "{printed}");
    assert!(
        printed.contains(&format!(
            r#"n1: {{"text":"example-secret-1"}} (signed by {author}, 1 head(s))"#
        )),
        "{printed}"
    );
    let mut second = example("seal_and_push");
    with_keyring(second.args(["notes", "n1", r#"{"text":"example-secret-2"}"#]));
    let printed = run_ok(&mut second);
    assert!(
        printed.contains(r#"n1: {"text":"example-secret-2"} (signed by"#),
        "{printed}"
    );

    // The server stored two sealed revisions and can read neither.
    let sql = server.connect().await;
    assert_eq!(last_seq(&sql, "notes").await, 2);
    assert!(
        sql.query("SELECT id FROM notes", &[])
            .await
            .unwrap()
            .is_empty()
    );
    let history = sql
        .query("SELECT author FROM mindoo.history('notes', 'n1')", &[])
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|r| r.get::<_, String>(0) == author));

    // The library beyond the examples: entries opened here, a delete, a push of entries
    // sealed elsewhere into another table (twice: the second stores nothing new).
    let client = KeyClient::connect(&info, Keyring::open(&keyring, b"k").unwrap())
        .await
        .unwrap();
    let opened = client.entries("notes", 0, 10).await.unwrap();
    let texts: Vec<String> = opened
        .iter()
        .map(|e| String::from_utf8(e.plaintext.as_ref().unwrap().to_vec()).unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            r#"{"text":"example-secret-1"}"#,
            r#"{"text":"example-secret-2"}"#
        ]
    );
    assert_eq!(opened[1].seq, 2);
    let tombstone = client.delete("notes", "n1").await.unwrap();
    let deleted = client.get("notes", "n1").await.unwrap().unwrap();
    assert_eq!(deleted.rev, tombstone);
    assert!(deleted.json.is_none(), "a delete has no JSON");
    let all: Vec<_> = client
        .entries("notes", 0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.entry)
        .collect();
    assert_eq!(all.len(), 3);
    sql.batch_execute("CREATE TABLE notes_copy ()")
        .await
        .unwrap();
    assert_eq!(client.push("notes_copy", &all).await.unwrap(), 3);
    assert_eq!(client.push("notes_copy", &all).await.unwrap(), 3);
    assert_eq!(last_seq(&sql, "notes_copy").await, 3, "stored once each");
    assert!(
        client
            .get("notes_copy", "n1")
            .await
            .unwrap()
            .unwrap()
            .json
            .is_none()
    );

    // local_replica: pulls the entries, opens the winner here, and resumes from its cursor.
    let replica = TempDir::new().unwrap();
    let replica_dir = replica.path().join("replica");
    let replica_dir = replica_dir.to_str().unwrap();
    let mut pull = example("local_replica");
    with_keyring(pull.args([replica_dir, "notes"]));
    let printed = run_ok(&mut pull);
    assert!(
        printed.contains("notes: 3 entries pulled, 3 new, now at the server's seq 3"),
        "{printed}"
    );
    assert!(printed.contains("n1: <deleted>"), "{printed}");
    assert!(
        printed.contains("verified 3 entries of 1 documents: ok"),
        "{printed}"
    );
    let mut again = example("local_replica");
    with_keyring(again.args([replica_dir, "notes"]));
    let printed = run_ok(&mut again);
    assert!(
        printed.contains("notes: 0 entries pulled, 0 new, now at the server's seq 3"),
        "{printed}"
    );
    for needle in [b"example-secret".as_slice(), b"text"] {
        for (path, bytes) in files(server.data_dir()) {
            assert!(
                !contains(&bytes, needle),
                "the server's {} holds plaintext",
                path.display()
            );
        }
    }
}

/// Waits until `client`'s `table` reaches `seq`.
async fn wait_seq(client: &Client, table: &str, seq: i64, what: &str) {
    let deadline = Instant::now() + CONVERGE_TIMEOUT;
    while last_seq(client, table).await < seq {
        assert!(
            Instant::now() < deadline,
            "{what}: {table} never reached seq {seq}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn sync_watch_follows_both_sides_and_a_mirror_may_accept_keys() {
    let keys = Keys {
        dir: TempDir::new().unwrap(),
    };
    keys.ok("w", &["keyring", "init"], &[]);
    keys.ok("w", &["key", "new", "default"], &[]);
    keys.ok("w", &["identity", "new"], &[]);
    let token = keys.ok("w", &["keyring", "token"], &[]).trim().to_owned();
    let a = keys.local_node("w");
    let a_sql = a.connect().await;
    a_sql
        .batch_execute(
            r#"CREATE TABLE log (); INSERT INTO log (id, data) VALUES ('a1', '{"n":1}')"#,
        )
        .await
        .unwrap();
    let b = TestServer::start();
    let b_sql = b.connect().await;

    let watcher = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args([
            "sync",
            "--local",
            &conninfo(&a, USER),
            "--peer",
            &conninfo(&b, USER),
            "--all",
            "--watch",
        ])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_seq(&b_sql, "log", 1, "the first round pushes").await;

    // A local write reaches the hub, and a write made on the hub (by a session that brought
    // the key) reaches the local node, each on the other side's notification.
    a_sql
        .batch_execute(r#"INSERT INTO log (id, data) VALUES ('a2', '{"n":2}')"#)
        .await
        .unwrap();
    wait_seq(&b_sql, "log", 2, "a local write").await;
    b_sql
        .batch_execute(&format!(
            r#"SET mindoo.keys = '{token}'; INSERT INTO log (id, data) VALUES ('b1', '{{"n":3}}')"#
        ))
        .await
        .unwrap();
    wait_seq(&a_sql, "log", 3, "a write on the hub").await;
    let ids: Vec<String> = a_sql
        .query("SELECT id FROM log ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, ["a1", "a2", "b1"]);
    assert_eq!(last_seq(&b_sql, "log").await, 3, "each entry stored once");

    // A mirror started with --mirror-accept-keys lets a session that brings keys read.
    let c = TestServer::start_with(Options {
        args: vec![
            "--mirror-of".into(),
            conninfo(&b, USER),
            "--mirror-accept-keys".into(),
        ],
        ..Options::default()
    });
    let c_sql = c.connect().await;
    wait_mirrored(&c_sql, &b_sql, "log").await;
    c_sql
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .expect("this mirror accepts keys");
    let on_mirror: Vec<String> = c_sql
        .query("SELECT id FROM log ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(on_mirror, ids);
    let err = expect_err(
        c_sql
            .batch_execute(r#"INSERT INTO log (id, data) VALUES ('c1', '{}')"#)
            .await,
        "writing to a mirror that accepts keys",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::READ_ONLY_SQL_TRANSACTION),
        "{err}"
    );

    let stopped = Command::new("kill")
        .args(["-TERM", &watcher.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let out = watcher.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "SIGTERM stops --watch cleanly: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `mindoodb mirror --watch`, its progress lines read as they come.
struct MirrorCli {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl MirrorCli {
    fn start(from: &str, to: &Path, batch: &str) -> MirrorCli {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
            .args(["mirror", "--from", from, "--to-data-dir"])
            .arg(to)
            .args(["--batch", batch, "--watch"])
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run mindoodb mirror");
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            text
        });
        MirrorCli {
            child,
            lines,
            stderr,
        }
    }

    /// The next progress line.
    fn next_line(&self) -> String {
        self.lines
            .recv_timeout(CONVERGE_TIMEOUT)
            .expect("a progress line from the mirror")
    }

    /// Reads progress lines until one says `table` stands at peer seq `seq`.
    fn wait_for(&self, table: &str, seq: u64) {
        let want = format!("at peer seq {seq}");
        loop {
            let line = self.next_line();
            if line.starts_with(&format!("{table}: ")) && line.ends_with(&want) {
                return;
            }
        }
    }

    /// SIGTERM; the mirror must stop cleanly. Returns what it logged.
    fn stop(mut self) -> String {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        let status = self.child.wait().expect("wait for the mirror");
        assert!(
            status.success(),
            "the mirror exits cleanly on SIGTERM: {status}"
        );
        self.stderr.join().expect("stderr reader")
    }
}

/// Inserts documents `from..to` into `table` through a session that brings `token`.
async fn insert_secret_docs(client: &Client, table: &str, from: u32, to: u32) {
    let values: Vec<String> = (from..to)
        .map(|n| format!("('m{n:03}', '{{\"name\":\"mirror-secret-{n:03}\"}}')"))
        .collect();
    client
        .batch_execute(&format!(
            "INSERT INTO {table} (id, data) VALUES {}",
            values.join(",")
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn mirror_cli_watches_verifies_stays_keyless_and_resumes() {
    let keys = Keys {
        dir: TempDir::new().unwrap(),
    };
    keys.ok("m", &["keyring", "init"], &[]);
    keys.ok("m", &["key", "new", "default"], &[]);
    keys.ok("m", &["identity", "new"], &[]);
    let tokens = keys.ok("m", &["keyring", "token"], &[]);
    let b = TestServer::start();
    let b_sql = b.connect().await;
    let b_info = conninfo(&b, USER);
    b_sql
        .batch_execute(&format!(
            "SET mindoo.keys = '{}'; CREATE TABLE crm ()",
            tokens.trim()
        ))
        .await
        .unwrap();
    insert_secret_docs(&b_sql, "crm", 0, 40).await;

    // The first round copies what is there, in batches of 10; later writes arrive by watch.
    let replica = TempDir::new().unwrap();
    let mirror = MirrorCli::start(&b_info, replica.path(), "10");
    let first = mirror.next_line();
    assert_eq!(first, "crm: pulled 10 (10 new), at peer seq 10");
    mirror.wait_for("crm", 40);
    insert_secret_docs(&b_sql, "crm", 40, 65).await;
    mirror.wait_for("crm", 65);
    let logged = mirror.stop();

    // Written while the mirror is down; a restarted mirror resumes at its cursor.
    insert_secret_docs(&b_sql, "crm", 65, 80).await;
    let mirror = MirrorCli::start(&b_info, replica.path(), "10");
    assert_eq!(
        mirror.next_line(),
        "crm: pulled 10 (10 new), at peer seq 75",
        "resumed after seq 65, not from the start"
    );
    mirror.wait_for("crm", 80);
    insert_secret_docs(&b_sql, "crm", 80, 85).await;
    mirror.wait_for("crm", 85);
    let logged = logged + &mirror.stop();

    // Each entry stored once, and every one verifies.
    {
        let store = Store::open(
            replica.path(),
            &StoreConfig {
                cache_bytes: 1 << 20,
            },
        )
        .unwrap();
        let tenant = store.tenant(USER).unwrap();
        let table = store.table(tenant.id, "crm").unwrap().table;
        let snapshot = store.snapshot();
        assert_eq!(snapshot.last_seq(table).unwrap(), Seq(85), "no duplicates");
        let report = snapshot.verify(table).unwrap();
        assert!(
            report.is_ok() && report.entries == 85 && report.documents == 85,
            "{report:?}"
        );
    }

    // Neither the replica's files nor the mirror's output hold plaintext or a key.
    let mut needles = secrets(&tokens);
    needles.push(b"mirror-secret".to_vec());
    for (path, bytes) in files(replica.path()) {
        for needle in &needles {
            assert!(
                !contains(&bytes, needle),
                "{} holds a secret",
                path.display()
            );
        }
    }
    for needle in &needles {
        assert!(
            !contains(logged.as_bytes(), needle),
            "the mirror logged a secret"
        );
    }

    // Served, the replica is read-only, verifies, and has what B has.
    let c = TestServer::start_in(
        replica,
        Options {
            args: vec!["--mirror-of".into(), b_info.clone()],
            ..Options::default()
        },
    );
    let c_sql = c.connect().await;
    assert_eq!(last_seq(&c_sql, "crm").await, 85);
    let verified = c_sql
        .query_one("SELECT ok, entries FROM mindoo.verify('crm')", &[])
        .await
        .unwrap();
    assert!(verified.get::<_, bool>("ok"));
    assert_eq!(verified.get::<_, i64>("entries"), 85);
    let err = expect_err(
        c_sql
            .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('x', '{}')"#)
            .await,
        "writing to the served replica",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::READ_ONLY_SQL_TRANSACTION),
        "{err}"
    );
}
