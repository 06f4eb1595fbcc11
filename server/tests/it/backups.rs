//! `mindoodb backup`, `restore` and `verify` against a running server (issue 7): a backup
//! taken under write load and an incremental one after it restore to a data directory whose
//! every table has the same feed and verifies, served by a new server; a flipped byte in a
//! backup file makes verify and restore fail without writing anything; progress is plain
//! lines when stderr is not a terminal. `backup --from` takes the same chain over the wire,
//! keyless, from a server under write load, and restores the same way.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio_postgres::Client;

use crate::support::{Options, TestServer, USER, conninfo, files_in, keyed, mindoodb, one};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every (seq, id, rev) of a table's feed, in seq order.
async fn feed(client: &Client, table: &str) -> Vec<(i64, String, String)> {
    client
        .query(
            "SELECT seq, id, rev FROM mindoo.changes($1, 0) ORDER BY seq",
            &[&table],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[tokio::test]
async fn a_backup_under_write_load_restores_to_identical_feeds() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(
            "CREATE TABLE crm2026 ();
             INSERT INTO crm2026 (id, data) VALUES ('x', '{\"secret\":\"plaintext-marker\"}')",
        )
        .await
        .unwrap();
    for i in 0..50 {
        client
            .execute(
                "INSERT INTO crm2025 (id, data) VALUES ($1, '{\"n\":1}')",
                &[&format!("seed{i}")],
            )
            .await
            .unwrap();
    }
    let backups = tempfile::tempdir().unwrap();

    // A writer keeps committing while the first backup runs.
    let writer_client = server.connect().await;
    writer_client
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                writer_client
                    .execute(
                        "INSERT INTO crm2025 (id, data) VALUES ($1, '{\"n\":2}')",
                        &[&format!("load{n}")],
                    )
                    .await
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    let full = {
        let (data_dir, to) = (server.data_dir().to_owned(), backups.path().to_owned());
        tokio::task::spawn_blocking(move || backup(&data_dir, &to))
            .await
            .unwrap()
    };
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(full.status.success(), "{}", text(&full.stderr));
    assert!(text(&full.stdout).contains("backup 1 written and verified"));
    assert!(
        text(&full.stderr).contains("mindoodb backup: "),
        "plain progress lines"
    );
    assert!(written > 0);

    // The incremental backup takes what came after.
    let incremental = backup(server.data_dir(), backups.path());
    assert!(
        incremental.status.success(),
        "{}",
        text(&incremental.stderr)
    );
    assert!(text(&incremental.stdout).contains("backup 2 written and verified"));
    assert!(text(&incremental.stdout).contains("incremental"));
    for file in std::fs::read_dir(backups.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!bytes.windows(16).any(|w| w == b"plaintext-marker"));
    }

    let verified = mindoodb(&["verify", "--backup"], &[backups.path()]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    let online = mindoodb(&["verify", "--data-dir"], &[server.data_dir()]);
    assert!(online.status.success(), "{}", text(&online.stderr));
    assert!(text(&online.stdout).contains("alice.crm2025: ok"));

    let target = tempfile::tempdir().unwrap();
    let restored = mindoodb(
        &["restore"],
        &[backups.path(), Path::new("--to-data-dir"), target.path()],
    );
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(text(&restored.stdout).contains("alice.crm2026: ok"));

    let copy = TestServer::start_in(target, Options::default());
    let copy_client = copy.connect().await;
    copy_client
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    for table in ["crm2025", "crm2026"] {
        let original = feed(&client, table).await;
        assert!(!original.is_empty());
        assert_eq!(feed(&copy_client, table).await, original, "{table}");
        assert_eq!(
            one(
                &copy_client,
                &format!("SELECT ok FROM mindoo.verify('{table}')")
            )
            .await,
            "t"
        );
    }
    assert_eq!(
        one(
            &copy_client,
            "SELECT data->>'secret' FROM crm2026 WHERE id = 'x'"
        )
        .await,
        "plaintext-marker"
    );
}

fn backup(data_dir: &Path, to: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .arg("backup")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--to")
        .arg(to)
        .output()
        .expect("run backup")
}

#[tokio::test]
async fn a_corrupted_backup_is_detected_not_restored() {
    let (server, client, _token) = keyed(&["crm2025"]).await;
    client
        .batch_execute("INSERT INTO crm2025 (id, data) VALUES ('a', '{}'), ('b', '{}')")
        .await
        .unwrap();
    let backups = tempfile::tempdir().unwrap();
    assert!(backup(server.data_dir(), backups.path()).status.success());
    let file = backups.path().join("000001.mdbbackup");
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes.len() - 80;
    bytes[at] ^= 0x40;
    std::fs::write(&file, &bytes).unwrap();

    let verified = mindoodb(&["verify", "--backup"], &[backups.path()]);
    assert!(!verified.status.success());
    assert!(
        text(&verified.stderr).contains("damaged"),
        "{}",
        text(&verified.stderr)
    );
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("restored");
    let restored = mindoodb(
        &["restore"],
        &[backups.path(), Path::new("--to-data-dir"), &dir],
    );
    assert!(!restored.status.success());
    assert!(!dir.exists(), "nothing restored");
    // The server is untouched and a fresh backup directory works.
    let fresh = tempfile::tempdir().unwrap();
    assert!(backup(server.data_dir(), fresh.path()).status.success());
}

fn wire_backup(from: &str, to: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["backup", "--from", from, "--to"])
        .arg(to)
        .env_remove("MINDOODB_DATA_DIR")
        .output()
        .expect("run backup --from")
}

#[tokio::test]
async fn a_backup_over_the_wire_under_write_load_restores_to_identical_feeds() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(
            "CREATE TABLE crm2026 ();
             INSERT INTO crm2026 (id, data) VALUES ('x', '{\"secret\":\"plaintext-marker\"}')",
        )
        .await
        .unwrap();
    for i in 0..50 {
        client
            .execute(
                "INSERT INTO crm2025 (id, data) VALUES ($1, '{\"n\":1}')",
                &[&format!("seed{i}")],
            )
            .await
            .unwrap();
    }
    let backups = tempfile::tempdir().unwrap();
    let from = conninfo(&server, USER);

    let writer_client = server.connect_keyed(&token).await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                writer_client
                    .execute(
                        "INSERT INTO crm2025 (id, data) VALUES ($1, '{\"n\":2}')",
                        &[&format!("load{n}")],
                    )
                    .await
                    .unwrap();
                n += 1;
            }
            (n, writer_client)
        })
    };
    let full = {
        let (from, to) = (from.clone(), backups.path().to_owned());
        tokio::task::spawn_blocking(move || wire_backup(&from, &to))
            .await
            .unwrap()
    };
    assert!(full.status.success(), "{}", text(&full.stderr));
    assert!(text(&full.stdout).contains("backup 1 written and verified"));
    assert!(
        text(&full.stderr).contains("mindoodb pull: "),
        "plain progress lines"
    );

    // The second backup runs while writes continue, and finds no replica: it rebuilds it from
    // the chain, then pulls only what is new.
    std::fs::remove_dir_all(backups.path().join(".wire-replica")).unwrap();
    let second = {
        let (from, to) = (from.clone(), backups.path().to_owned());
        tokio::task::spawn_blocking(move || wire_backup(&from, &to))
            .await
            .unwrap()
    };
    stop.store(true, Ordering::Relaxed);
    let (written, writer_client) = writer.await.unwrap();
    assert!(written > 0);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains("backup 2 written and verified"));
    assert!(text(&second.stdout).contains("incremental"));
    writer_client
        .execute("UPDATE crm2026 SET data = '{\"v\":3}' WHERE id = 'x'", &[])
        .await
        .unwrap();
    let third = wire_backup(&from, backups.path());
    assert!(third.status.success(), "{}", text(&third.stderr));
    assert!(text(&third.stdout).contains("backup 3 written and verified"));

    // Ciphertext only: neither the plaintext nor the key token is in any file, replica included.
    let secret = token.rsplit('.').next().unwrap().as_bytes().to_owned();
    for file in files_in(backups.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(16).any(|w| w == b"plaintext-marker"),
            "{file:?}"
        );
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret),
            "{file:?}"
        );
    }
    let verified = mindoodb(&["verify", "--backup"], &[backups.path()]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(text(&verified.stdout).contains("000003.mdbbackup: ok, backup 3"));
    assert!(
        text(&verified.stderr).contains("mindoodb verify: "),
        "plain progress lines"
    );

    let target = tempfile::tempdir().unwrap();
    let restored = mindoodb(
        &["restore"],
        &[backups.path(), Path::new("--to-data-dir"), target.path()],
    );
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(text(&restored.stdout).contains("alice.crm2026: ok"));
    assert!(
        text(&restored.stderr).contains("mindoodb restore: "),
        "plain progress lines"
    );

    let copy = TestServer::start_in(target, Options::default());
    let copy_client = copy.connect_keyed(&token).await;
    for table in ["crm2025", "crm2026"] {
        let original = feed(&client, table).await;
        assert!(!original.is_empty());
        assert_eq!(feed(&copy_client, table).await, original, "{table}");
        assert_eq!(
            one(
                &copy_client,
                &format!("SELECT ok FROM mindoo.verify('{table}')")
            )
            .await,
            "t"
        );
    }
    assert_eq!(
        one(
            &copy_client,
            "SELECT data->>'v' FROM crm2026 WHERE id = 'x'"
        )
        .await,
        "3"
    );
}
