//! A full disk (issue 9): the server's data directory on a real 64 MiB tmpfs, filled to the
//! last byte by another file. Writes fail with 53100 and nothing else happens: committed
//! documents read back unchanged, the connection and new ones keep reading, the store
//! verifies. Once space returns and the server restarts (the store refuses writes until it is
//! reopened, ARCHITECTURE.md#durability), writes succeed again and the log is gap-free.
//!
//! Invariants:
//! - The filesystem is mounted and unmounted by the test (it needs root, as in CI); a test run
//!   as root that cannot mount fails, and only a non-root run skips, saying why.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::support::{Options, TestServer, column, one};

/// Size of the filesystem: room for the store, small enough to fill in a moment.
const FS_SIZE: &str = "size=64m";

/// A tmpfs of `FS_SIZE` mounted on a temporary directory, unmounted on drop.
struct SmallFs {
    mount_point: TempDir,
}

impl SmallFs {
    /// Mounts it; `None` (the test is skipped) only when not running as root.
    fn mount() -> Option<SmallFs> {
        let mount_point = TempDir::new().expect("mount point");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", FS_SIZE, "tmpfs"])
            .arg(mount_point.path())
            .status();
        match status {
            Ok(status) if status.success() => Some(SmallFs { mount_point }),
            _ if !is_root() => {
                eprintln!(
                    "disk_full: skipped, mounting a tmpfs needs root (run the tests as root)"
                );
                None
            }
            other => panic!("disk_full: running as root but mount -t tmpfs failed: {other:?}"),
        }
    }

    fn path(&self) -> &Path {
        self.mount_point.path()
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.mount_point.path())
            .status();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// Writes zeros to `path` until the filesystem is full.
fn fill(path: &Path) {
    let mut file = File::create(path).expect("create the filler");
    let chunk = vec![0u8; 64 << 10];
    loop {
        match file.write_all(&chunk) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::StorageFull => break,
            Err(err) => panic!("filling the disk: {err}"),
        }
    }
    // Then byte by byte up to the very end.
    while file.write_all(&[0]).is_ok() {}
}

async fn insert(client: &Client, id: &str) -> Result<u64, tokio_postgres::Error> {
    client
        .execute(
            "INSERT INTO notes (id, data) VALUES ($1, $2::text::jsonb)",
            &[
                &id,
                &format!(r#"{{"id":"{id}","text":"{}"}}"#, "x".repeat(2000)),
            ],
        )
        .await
}

async fn ids(client: &Client) -> Vec<String> {
    column(client, "SELECT data->>'id' FROM notes ORDER BY id")
        .await
        .into_iter()
        .flatten()
        .collect()
}

#[tokio::test]
async fn a_full_disk_refuses_writes_with_53100_and_loses_nothing() {
    let Some(fs) = SmallFs::mount() else {
        return;
    };
    let data_dir = TempDir::new_in(fs.path()).expect("data dir on the small filesystem");
    let server = TestServer::start_in(data_dir, Options::default());
    let client = server.connect().await;
    let token: String = client
        .query_one("SELECT mindoo.create_key('default')", &[])
        .await
        .unwrap()
        .get(0);
    client
        .batch_execute(&format!(
            "SET mindoo.keys = '{token}'; CREATE TABLE notes ()"
        ))
        .await
        .unwrap();
    let mut committed: Vec<String> = (0..20).map(|i| format!("a{i:04}")).collect();
    for id in &committed {
        insert(&client, id).await.unwrap();
    }

    let filler: PathBuf = fs.path().join("filler");
    fill(&filler);
    // Writes go on while RocksDB still has room it allocated earlier, then fail for lack of
    // space, the first and every one after it.
    let mut failed = 0;
    for i in 0..5000 {
        let id = format!("b{i:04}");
        match insert(&client, &id).await {
            Ok(_) if failed == 0 => committed.push(id),
            Ok(_) => panic!("{id} was written after a write failed for lack of space"),
            Err(err) => {
                assert_eq!(err.code(), Some(&SqlState::DISK_FULL), "{err}");
                failed += 1;
                if failed == 3 {
                    break;
                }
            }
        }
    }
    assert_eq!(failed, 3, "writes never failed on a full disk");

    // Nothing committed is lost or damaged, and the connection and new ones keep reading.
    assert_eq!(ids(&client).await, committed);
    assert_eq!(
        one(&client, "SELECT ok FROM mindoo.verify('notes')").await,
        "t"
    );
    let other = server.connect_keyed(&token).await;
    assert_eq!(ids(&other).await, committed);
    assert!(
        server.logged("53100"),
        "the failure is logged for operators"
    );
    drop((client, other));

    // Space returns; the reopened store writes again and the log stays gap-free.
    std::fs::remove_file(&filler).expect("free the space");
    let server = server.restart();
    let client = server.connect_keyed(&token).await;
    assert_eq!(ids(&client).await, committed);
    insert(&client, "c").await.unwrap();
    let seqs = column(
        &client,
        "SELECT seq FROM mindoo.changes('notes', 0) ORDER BY seq",
    )
    .await;
    let gap_free: Vec<Option<String>> = (1..=committed.len() + 1)
        .map(|s| Some(s.to_string()))
        .collect();
    assert_eq!(seqs, gap_free);
    assert_eq!(
        one(&client, "SELECT ok FROM mindoo.verify('notes')").await,
        "t"
    );
    drop(client);
    drop(server);
}
