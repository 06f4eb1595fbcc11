//! The two systems under test as child processes: a throwaway PostgreSQL 15 cluster (Debian's
//! binaries, fsync and synchronous_commit on) and a MindooDB release server, each on its own
//! loopback port and temp data dir, and connections to them through the same client.
//!
//! Invariants:
//! - Both systems commit durably: PostgreSQL with `fsync=on`, `synchronous_commit=on`; MindooDB
//!   syncs its WAL before acknowledging, as it always does.
//! - A `System` owns its process and data dir: dropping it stops the process and deletes the dir.
//! - `start` measures from spawning the process to the first answered `SELECT 1`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio_postgres::{Client, NoTls};

use crate::error::{Error, Result};

/// How long a system may take to answer its first query before the run gives up.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const USER: &str = "bench";
/// Only for the throwaway MindooDB instance; PostgreSQL trusts loopback in its temp cluster.
const PASSWORD: &str = "bench";

/// Which system a `System` is; decides the SQL spelling of each workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Postgres,
    Mindoo,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Postgres => "PostgreSQL",
            Kind::Mindoo => "MindooDB",
        }
    }
}

/// A running system under test.
pub(crate) struct System {
    pub(crate) kind: Kind,
    port: u16,
    child: Option<Child>,
    launch: Launch,
    /// The session key token MindooDB sessions set; `None` for PostgreSQL.
    keys: Option<String>,
    /// Owns the data dir; declared last so the process is stopped before the dir goes.
    root: TempDir,
}

/// What starting the process again needs.
enum Launch {
    Postgres { bin: PathBuf, as_postgres: bool },
    Mindoo { bin: PathBuf },
}

impl System {
    /// Creates a PostgreSQL cluster in a temp dir and starts it; also returns the time from
    /// spawning the postmaster to its first answer.
    pub(crate) async fn postgres() -> Result<(System, Duration)> {
        let bin = postgres_bin_dir()?;
        let root = tempfile::Builder::new()
            .prefix("mindoodb-bench-pg")
            .tempdir()
            .map_err(Error::io("temp dir for PostgreSQL"))?;
        // PostgreSQL refuses to run as root; the Debian package's `postgres` user runs it then.
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(root.path()))?;
        }
        let data = root.path().join("data");
        let mut initdb = command(&bin.join("initdb"), as_postgres);
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"]);
        run(&mut initdb)?;
        let mut system = System {
            kind: Kind::Postgres,
            port: 0,
            child: None,
            launch: Launch::Postgres { bin, as_postgres },
            keys: None,
            root,
        };
        let started = system.start().await?;
        Ok((system, started))
    }

    /// Starts a MindooDB server from `bin` on an empty data dir and creates the session key the
    /// workloads write under; also returns the time from spawn to first answer.
    pub(crate) async fn mindoo(bin: &Path) -> Result<(System, Duration)> {
        let mut system = System::mindoo_unstarted(bin)?;
        let started = system.start().await?;
        let client = system.connect().await?;
        let token: String = client
            .query_one("SELECT mindoo.create_key('default')", &[])
            .await
            .map_err(|source| system.sql(source))?
            .get(0);
        system.keys = Some(token);
        Ok((system, started))
    }

    /// Starts a MindooDB server from `bin` on a data dir that `seed` fills first (through the
    /// storage API, for the bench's tenant, named as its second argument).
    pub(crate) async fn mindoo_seeded(
        bin: &Path,
        seed: impl FnOnce(&Path, &str) -> Result<()>,
    ) -> Result<System> {
        let mut system = System::mindoo_unstarted(bin)?;
        seed(&system.root.path().join("data"), USER)?;
        system.start().await?;
        Ok(system)
    }

    /// A MindooDB server from `bin` on a new, empty temporary directory, not started yet.
    fn mindoo_unstarted(bin: &Path) -> Result<System> {
        let root = tempfile::Builder::new()
            .prefix("mindoodb-bench-mdb")
            .tempdir()
            .map_err(Error::io("temp dir for MindooDB"))?;
        Ok(System {
            kind: Kind::Mindoo,
            port: 0,
            child: None,
            launch: Launch::Mindoo {
                bin: bin.to_owned(),
            },
            keys: None,
            root,
        })
    }

    /// The role and database the workloads use.
    pub(crate) fn user(&self) -> &'static str {
        USER
    }

    /// A libpq conninfo for this system's database.
    pub(crate) fn conninfo(&self) -> String {
        format!(
            "host=127.0.0.1 port={} user={USER} password={PASSWORD} dbname={USER} sslmode=disable",
            self.port
        )
    }

    /// Spawns the process on a fresh port and waits until it answers `SELECT 1`.
    pub(crate) async fn start(&mut self) -> Result<Duration> {
        self.port = free_port()?;
        let data = self.root.path().join("data");
        let log = fs::File::options()
            .create(true)
            .append(true)
            .open(self.root.path().join("server.log"))
            .map_err(Error::io("server log"))?;
        let log_err = log.try_clone().map_err(Error::io("server log"))?;
        let mut cmd = match &self.launch {
            Launch::Postgres { bin, as_postgres } => {
                let mut cmd = command(&bin.join("postgres"), *as_postgres);
                cmd.arg("-D")
                    .arg(&data)
                    .arg("-p")
                    .arg(self.port.to_string())
                    .arg("-k")
                    .arg(self.root.path())
                    .args(["-c", "listen_addresses=127.0.0.1"])
                    .args(["-c", "fsync=on", "-c", "synchronous_commit=on"]);
                cmd
            }
            Launch::Mindoo { bin } => {
                let mut cmd = Command::new(bin);
                cmd.arg("serve")
                    .arg("--listen")
                    .arg(format!("127.0.0.1:{}", self.port))
                    .arg("--data-dir")
                    .arg(&data)
                    .env("MINDOODB_USER", USER)
                    .env("MINDOODB_PASSWORD", PASSWORD)
                    .env("MINDOODB_DB", USER)
                    .env("RUST_LOG", "warn");
                cmd
            }
        };
        let began = Instant::now();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| Error::process(format!("starting {}", self.kind.name()), e))?;
        self.child = Some(child);
        loop {
            if let Ok(client) = self.connect_raw().await
                && client.simple_query("SELECT 1").await.is_ok()
            {
                return Ok(began.elapsed());
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                return Err(Error::process(
                    format!("{} exited at start ({status})", self.kind.name()),
                    self.log_tail(),
                ));
            }
            if began.elapsed() > START_TIMEOUT {
                return Err(Error::process(
                    format!(
                        "{} did not answer within {START_TIMEOUT:?}",
                        self.kind.name()
                    ),
                    self.log_tail(),
                ));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Stops the process the way an operator would (PostgreSQL: fast shutdown; MindooDB:
    /// SIGTERM) and waits for it.
    pub(crate) fn stop(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let signal = match self.kind {
            Kind::Postgres => "-INT",
            Kind::Mindoo => "-TERM",
        };
        run(Command::new("kill").arg(signal).arg(child.id().to_string()))?;
        child
            .wait()
            .map_err(|e| Error::process(format!("stopping {}", self.kind.name()), e))?;
        Ok(())
    }

    /// A new session, with the bench key set on MindooDB.
    pub(crate) async fn connect(&self) -> Result<Client> {
        let client = self.connect_raw().await.map_err(|e| self.sql(e))?;
        if let Some(keys) = &self.keys {
            client
                .batch_execute(&format!("SET mindoo.keys = '{keys}'"))
                .await
                .map_err(|e| self.sql(e))?;
        }
        Ok(client)
    }

    async fn connect_raw(&self) -> std::result::Result<Client, tokio_postgres::Error> {
        let dbname = match self.kind {
            Kind::Postgres => "postgres",
            Kind::Mindoo => USER,
        };
        let (client, connection) = tokio_postgres::connect(
            &format!(
                "host=127.0.0.1 port={} user={USER} password={PASSWORD} dbname={dbname}",
                self.port
            ),
            NoTls,
        )
        .await?;
        tokio::spawn(connection);
        Ok(client)
    }

    /// Resident memory of the server: the process and, for PostgreSQL, its backends, in MiB.
    pub(crate) fn rss_mib(&self) -> f64 {
        let Some(pid) = self.child.as_ref().map(Child::id) else {
            return 0.0;
        };
        let mut kib = vm_rss_kib(pid);
        if self.kind == Kind::Postgres {
            kib += children(pid).into_iter().map(vm_rss_kib).sum::<u64>();
        }
        kib as f64 / 1024.0
    }

    /// The server's processes: MindooDB's one, PostgreSQL's postmaster and its backends.
    fn pids(&self) -> Vec<u32> {
        let Some(pid) = self.child.as_ref().map(Child::id) else {
            return Vec::new();
        };
        let mut pids = vec![pid];
        if self.kind == Kind::Postgres {
            pids.extend(children(pid));
        }
        pids
    }

    /// Starts a new peak-memory measurement: every server process's VmHWM falls to its current
    /// VmRSS (`/proc/PID/clear_refs`; needs root or the processes' owner).
    pub(crate) fn reset_peak(&self) -> Result<()> {
        for pid in self.pids() {
            fs::write(format!("/proc/{pid}/clear_refs"), "5")
                .map_err(Error::io("resetting a server process's peak memory"))?;
        }
        Ok(())
    }

    /// Peak resident memory since `reset_peak`, in MiB: the sum of the processes' VmHWM
    /// (for PostgreSQL an upper bound, as backends peak at different moments).
    pub(crate) fn peak_rss_mib(&self) -> f64 {
        let kib: u64 = self
            .pids()
            .into_iter()
            .map(|pid| proc_status_kib(pid, "VmHWM:"))
            .sum();
        kib as f64 / 1024.0
    }

    /// Bytes under the data dir.
    pub(crate) fn data_bytes(&self) -> u64 {
        dir_bytes(&self.root.path().join("data"))
    }

    /// Wraps a client error with this system's name.
    pub(crate) fn sql(&self, source: tokio_postgres::Error) -> Error {
        Error::Sql {
            system: self.kind.name(),
            source,
        }
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.root.path().join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for System {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Debian's PostgreSQL 15 server binaries.
fn postgres_bin_dir() -> Result<PathBuf> {
    let debian = PathBuf::from("/usr/lib/postgresql/15/bin");
    if debian.join("initdb").exists() {
        return Ok(debian);
    }
    Err(Error::process(
        "PostgreSQL 15",
        "no /usr/lib/postgresql/15/bin/initdb: run scripts/bench.sh, which installs postgresql-15",
    ))
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|uids| uids.split_whitespace().next().map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

/// `program`, run as the `postgres` user when `as_postgres` (setpriv execs, so the child's pid
/// is the program's own).
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

fn run(cmd: &mut Command) -> Result<()> {
    let what = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| Error::process(&what, e))?;
    if out.status.success() {
        return Ok(());
    }
    Err(Error::process(
        what,
        format!(
            "{}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    ))
}

fn free_port() -> Result<u16> {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").map_err(Error::io("free port"))?;
    Ok(socket.local_addr().map_err(Error::io("free port"))?.port())
}

fn vm_rss_kib(pid: u32) -> u64 {
    proc_status_kib(pid, "VmRSS:")
}

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

/// Direct children of `pid` (PostgreSQL's backends and helpers).
fn children(pid: u32) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&child| {
            fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|stat| {
                    // Fields after the parenthesised command name: state, ppid, ...
                    let rest = &stat[stat.rfind(')')? + 2..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(pid)
        })
        .collect()
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
