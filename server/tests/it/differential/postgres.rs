//! A throwaway PostgreSQL 15 cluster (Debian's `postgresql-15` binaries): initdb in a temp
//! dir, the postmaster on a free loopback port, trust authentication, the role and database
//! named like MindooDB's first role, as the `postgres` user when the test runs as root.
//!
//! Invariants:
//! - The cluster's session defaults are those MindooDB reports (UTF8, `TimeZone` UTC,
//!   `DateStyle` ISO, MDY); its locale is C.UTF-8: byte-order collation like MindooDB's
//!   (docs/SQL.md: collation `C`) with Unicode-aware character classes, as users' clusters have;
//!   full-text search defaults to `english`, as on clusters made with an English locale.
//! - Dropping a `Postgres` stops the postmaster (immediate shutdown) before its dir is deleted.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::wire::{Conn, Login};

/// Debian's PostgreSQL 15 server binaries.
const BIN_DIR: &str = "/usr/lib/postgresql/15/bin";
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A running cluster.
pub(crate) struct Postgres {
    pub(crate) port: u16,
    child: Child,
    /// Declared last: the directory outlives the process.
    root: TempDir,
}

impl Postgres {
    /// Creates the cluster, starts it and creates `database` owned by `user`.
    pub(crate) fn start(user: &str, database: &str) -> Postgres {
        let bin = Path::new(BIN_DIR);
        assert!(
            bin.join("initdb").exists() && bin.join("postgres").exists(),
            "the differential test needs PostgreSQL 15's server binaries in {BIN_DIR}: install \
             Debian's postgresql-15 (`bash scripts/deps.sh postgresql-15`; scripts/test.sh \
             does this)"
        );
        let root = tempfile::Builder::new()
            .prefix("mindoodb-differential-pg")
            .tempdir()
            .expect("temp dir for PostgreSQL");
        // PostgreSQL refuses to run as root; the Debian package's `postgres` user runs it then.
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(root.path()));
        }
        let data = root.path().join("data");
        run(command(&bin.join("initdb"), as_postgres)
            .arg("-D")
            .arg(&data)
            .args(["-U", user, "--auth=trust", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync"]));
        let port = free_port();
        let log = std::fs::File::create(root.path().join("server.log")).expect("PostgreSQL log");
        let child = command(&bin.join("postgres"), as_postgres)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string()])
            .arg("-k")
            .arg(root.path())
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .args(["-c", "TimeZone=UTC", "-c", "DateStyle=ISO, MDY"])
            .args(["-c", "default_text_search_config=pg_catalog.english"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("PostgreSQL log"))
            .stderr(log)
            .spawn()
            .expect("start PostgreSQL 15");
        let mut postgres = Postgres { port, child, root };
        let mut admin = postgres.wait_ready(user);
        let created = admin
            .simple(&format!("CREATE DATABASE {database} OWNER {user}"))
            .expect("create the database");
        assert!(created.error.is_none(), "CREATE DATABASE: {created:?}");
        postgres
    }

    /// A connection to the `postgres` database once the postmaster accepts one.
    fn wait_ready(&mut self, user: &str) -> Conn {
        let began = Instant::now();
        let login = Login {
            port: self.port,
            user,
            password: "",
            database: "postgres",
            startup: &[],
        };
        loop {
            if let Ok(conn) = Conn::connect(&login) {
                return conn;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("PostgreSQL exited at start ({status}):\n{}", self.log());
            }
            assert!(
                began.elapsed() < START_TIMEOUT,
                "PostgreSQL did not accept connections within {START_TIMEOUT:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.root.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-QUIT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let uids = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
            Some(uids.split_whitespace().next()? == "0")
        })
        .unwrap_or(false)
}

/// `program`, run as the `postgres` user when `as_postgres` (setpriv execs, so the child's
/// pid is the program's own and signals reach it).
fn command(program: &Path, as_postgres: bool) -> Command {
    if !as_postgres {
        return Command::new(program);
    }
    let mut cmd = Command::new("setpriv");
    cmd.args([
        "--reuid=postgres",
        "--regid=postgres",
        "--init-groups",
        "--",
    ])
    .arg(program);
    cmd
}

fn run(cmd: &mut Command) {
    let what = format!("{cmd:?}");
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

fn free_port() -> u16 {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    socket.local_addr().expect("its address").port()
}
