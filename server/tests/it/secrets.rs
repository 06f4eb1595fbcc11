//! Secrets never leak (docs/SECURITY.md): a full session at `RUST_LOG=debug`, with keys
//! presented by SET and by the startup option, passphrase keys created and unlocked, failing
//! statements that carry keys, passphrases and plaintext, `mindoo.activity` while such a
//! statement runs, SHOW, a restart and a backup, leaves no key secret, passphrase or document
//! text in the log, in any file of the data directory or the backup, or in any error, SHOW or
//! activity reply.

use mindoodb_protocol::{DataKey, Identity, KeyName};
use tokio_postgres::{Client, NoTls, SimpleQueryMessage};

use crate::support::{Options, PASSWORD, TestServer, USER, files_in, mindoodb, one};

const NOTE: &str = "PLAINTEXT-NOTE-4b1d";
const SALARY: &str = "PLAINTEXT-SALARY-77e2";
const PASSPHRASE: &str = "orchid tractor velvet 1987";
const WRONG_PASSPHRASE: &str = "orchid tractor velvet 1988";

#[tokio::test]
async fn a_full_session_leaves_no_secret_anywhere() {
    let server = TestServer::start_with(Options::default().with_env("RUST_LOG", "debug"));
    let owner = server.connect().await;
    let default = one(&owner, "SELECT mindoo.create_key('default')").await;
    let finance = one(
        &owner,
        &format!("SELECT mindoo.create_key('finance', '{PASSPHRASE}')"),
    )
    .await;
    let hr = DataKey::generate(KeyName::new("hr").unwrap(), 1).unwrap();
    let hr = hr.token().as_str().to_owned();
    let identity = Identity::generate().unwrap().token().as_str().to_owned();
    owner
        .batch_execute(&format!(
            "SET mindoo.keys = '{default},{hr},{identity}'; CREATE TABLE crm2025 ()"
        ))
        .await
        .unwrap();
    owner
        .batch_execute(&format!(
            r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{{"note":"{NOTE}"}}');
               INSERT INTO crm2025 (id, data, key_id) VALUES ('h', '{{"salary":"{SALARY}"}}', 'hr')"#
        ))
        .await
        .unwrap();

    // Keys as a startup option (PGOPTIONS), and a passphrase unlock.
    let mut config = server.config(USER, PASSWORD, USER);
    config.options(format!("-c mindoo.keys={default}"));
    let (reader, connection) = config.connect(NoTls).await.expect("connect with keys");
    tokio::spawn(connection);
    assert_eq!(
        one(&reader, "SELECT data->>'note' FROM crm2025 WHERE id = 'a'").await,
        NOTE
    );
    assert_eq!(
        one(
            &reader,
            &format!("SELECT mindoo.unlock('finance', '{PASSPHRASE}')")
        )
        .await,
        "finance.1"
    );

    // Statements that fail with secrets and plaintext inside them.
    let forged = format!("{}AAAA", &default[..default.len() - 4]);
    let failing = [
        format!("SET mindoo.keys = '{forged}'"),
        format!("SET mindoo.keys = '{default},mdbk1.default.1.not-base64!'"),
        format!("SELEC '{default}'"),
        format!("SELECT '{hr}'::int"),
        format!("SELECT * FROM nosuchtable WHERE x = '{identity}'"),
        format!(r#"INSERT INTO crm2025 (data) VALUES ('{{"k":"{default}"')"#),
        format!("SELECT mindoo.unlock('finance', '{WRONG_PASSPHRASE}')"),
        format!("SELECT mindoo.nosuch('{PASSPHRASE}')"),
        "SELECT (data->>'note')::int FROM crm2025".to_owned(),
        "SELECT (data->>'salary')::int FROM crm2025".to_owned(),
        format!("SELECT 1 / 0, '{finance}'"),
    ];
    let mut replies = Vec::new();
    for sql in &failing {
        let err = owner.simple_query(sql).await.expect_err(sql);
        replies.push(err.as_db_error().map(|e| e.message().to_owned()));
    }
    // The extended protocol too, with a secret as a bound parameter.
    let err = owner
        .query("SELECT $1::int", &[&default])
        .await
        .expect_err("a token is no integer");
    replies.push(err.as_db_error().map(|e| e.message().to_owned()));
    for shown in ["SHOW mindoo.keys", "SHOW ALL"] {
        replies.push(Some(all_text(&owner, shown).await));
    }
    assert_eq!(
        one(&owner, "SHOW mindoo.keys").await,
        "default.1,hr.1",
        "SHOW names keys, never their secrets"
    );
    replies.push(Some(all_text(&owner, "SELECT mindoo.keys()").await));

    // `mindoo.activity` while a statement with a key, a passphrase and plaintext runs.
    let running = format!("SELECT pg_sleep(2), '{hr}', '{PASSPHRASE}', '{NOTE}'");
    let watch = async {
        for _ in 0..200 {
            let seen = all_text(&owner, "SELECT * FROM mindoo.activity").await;
            if seen.contains("pg_sleep") {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("mindoo.activity never showed the running statement");
    };
    let (ran, activity) = tokio::join!(reader.simple_query(&running), watch);
    ran.expect("the sleeping statement runs");
    assert!(
        activity.contains(USER),
        "the activity row is read: {activity}"
    );
    drop((owner, reader));

    // Everything reaches the files: a restart flushes and reopens the store.
    let server = server.restart();
    let after = server.connect().await;
    after
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();
    assert_eq!(one(&after, "SELECT count(*) FROM crm2025").await, "1");
    drop(after);
    let backups = tempfile::TempDir::new().unwrap();
    let backed_up = mindoodb(
        &[
            "backup",
            "--to",
            backups.path().to_str().unwrap(),
            "--data-dir",
        ],
        &[server.data_dir()],
    );
    assert!(backed_up.status.success(), "{backed_up:?}");
    let mut server = server;
    assert!(server.terminate().success());

    let needles = [
        secret_of(&default),
        secret_of(&hr),
        secret_of(&finance),
        secret_of(&identity),
        PASSPHRASE.to_owned(),
        WRONG_PASSPHRASE.to_owned(),
        NOTE.to_owned(),
        SALARY.to_owned(),
    ];
    for needle in &needles {
        assert!(
            !activity.contains(needle.as_str()),
            "mindoo.activity holds {needle}: {activity}"
        );
    }
    let log = server.output();
    assert!(log.contains("DEBUG"), "the log is at debug level:\n{log}");
    for needle in &needles {
        assert!(
            !log.contains(needle.as_str()),
            "the log holds {needle}:\n{log}"
        );
    }
    let mut files = files_in(server.data_dir());
    assert!(files.len() > 3, "the data directory is read: {files:?}");
    let backup_files = files_in(backups.path());
    assert!(!backup_files.is_empty(), "the backup is read");
    files.extend(backup_files);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in &needles {
            let needle = needle.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds {}",
                file.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    // Replies may quote decrypted text to the session that holds its key, never a secret.
    for reply in replies.iter().flatten() {
        for needle in &needles[..6] {
            assert!(
                !reply.contains(needle.as_str()),
                "a reply holds {needle}: {reply}"
            );
        }
    }
}

/// The part of a token that is the key (after its last dot).
fn secret_of(token: &str) -> String {
    token.rsplit('.').next().unwrap().to_owned()
}

/// Every cell of every row of `sql`, joined.
async fn all_text(client: &Client, sql: &str) -> String {
    let mut text = String::new();
    for message in client.simple_query(sql).await.unwrap() {
        if let SimpleQueryMessage::Row(row) = message {
            for idx in 0..row.len() {
                text.push_str(row.get(idx).unwrap_or(""));
                text.push('\n');
            }
        }
    }
    text
}
