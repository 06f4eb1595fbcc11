//! `TestServer`: the real `mindoodb` binary on 127.0.0.1 (or the `--listen` its options give)
//! with a temporary data directory, started, connected to, restarted, signalled and read back
//! (its stdout is the log).
//!
//! Invariants:
//! - `start` returns only after the server logged its bound address; it fails the test after
//!   `STARTUP_TIMEOUT` instead of hanging.
//! - Dropping a `TestServer` kills its process; the data directory lives as long as the
//!   value (and survives `restart`).

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tempfile::TempDir;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio_postgres::error::SqlState;
use tokio_postgres::{AsyncMessage, Client, NoTls, Notification, SimpleQueryMessage};

/// The password `TestServer::start` gives the first role.
pub(crate) const PASSWORD: &str = "correct horse battery staple";
/// The first role and its database.
pub(crate) const USER: &str = "alice";

const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
const EXIT_TIMEOUT: Duration = Duration::from_secs(30);

/// How to start a server.
#[derive(Clone)]
pub(crate) struct Options {
    /// Environment variables set for the process (MINDOODB_*, RUST_LOG).
    pub(crate) env: Vec<(String, String)>,
    /// Extra command-line arguments after `serve`.
    pub(crate) args: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            env: vec![
                ("MINDOODB_USER".into(), USER.into()),
                ("MINDOODB_PASSWORD".into(), PASSWORD.into()),
                ("RUST_LOG".into(), "info".into()),
            ],
            args: Vec::new(),
        }
    }
}

impl Options {
    /// These options without `name` in the environment.
    pub(crate) fn without_env(mut self, name: &str) -> Options {
        self.env.retain(|(key, _)| key != name);
        self
    }

    /// These options with `args` added to the command line.
    pub(crate) fn with_args(mut self, args: &[&str]) -> Options {
        self.args.extend(args.iter().map(|arg| (*arg).to_owned()));
        self
    }

    /// These options with `name=value` in the environment.
    pub(crate) fn with_env(mut self, name: &str, value: &str) -> Options {
        self.env.retain(|(key, _)| key != name);
        self.env.push((name.into(), value.into()));
        self
    }
}

/// A running `mindoodb serve`.
pub(crate) struct TestServer {
    child: Child,
    /// Where it listens.
    pub(crate) addr: SocketAddr,
    data_dir: Arc<TempDir>,
    options: Options,
    /// Every stdout and stderr line so far, of this and earlier runs on the same data dir.
    lines: Arc<Mutex<Vec<String>>>,
}

impl TestServer {
    /// A server with the default first role (`alice`, `PASSWORD`) on a fresh data dir.
    pub(crate) fn start() -> TestServer {
        TestServer::start_with(Options::default())
    }

    /// A server started with `options` on a fresh data dir.
    pub(crate) fn start_with(options: Options) -> TestServer {
        let data_dir = Arc::new(TempDir::new().expect("temp dir"));
        TestServer::spawn(data_dir, options, Arc::new(Mutex::new(Vec::new())))
    }

    /// A server on an existing data dir (for example one seeded through the storage API).
    pub(crate) fn start_in(data_dir: TempDir, options: Options) -> TestServer {
        TestServer::spawn(
            Arc::new(data_dir),
            options,
            Arc::new(Mutex::new(Vec::new())),
        )
    }

    /// Stops this server with SIGTERM and starts a new one on the same data dir; the log
    /// keeps the earlier lines.
    pub(crate) fn restart(self) -> TestServer {
        self.restart_after(|_| {})
    }

    /// `restart`, running `between` on the data directory while no server has it open
    /// (to tamper with the files, for example).
    pub(crate) fn restart_after(mut self, between: impl FnOnce(&Path)) -> TestServer {
        let status = self.terminate();
        assert!(status.success(), "server exited with {status} on SIGTERM");
        between(self.data_dir());
        let data_dir = self.data_dir.clone();
        let options = self.options.clone();
        let lines = self.lines.clone();
        drop(self);
        TestServer::spawn(data_dir, options, lines)
    }

    /// The server's process id (to signal it).
    pub(crate) fn child_id(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILLs the server (no shutdown of any kind) and starts a new one on the same data
    /// dir; the log keeps the earlier lines.
    pub(crate) fn kill_and_restart(mut self) -> TestServer {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
        let data_dir = self.data_dir.clone();
        let options = self.options.clone();
        let lines = self.lines.clone();
        drop(self);
        TestServer::spawn(data_dir, options, lines)
    }

    /// Sends SIGTERM and waits (bounded) for the process to exit.
    pub(crate) fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
        self.wait_exit()
    }

    /// Waits up to `EXIT_TIMEOUT` for the process to exit.
    pub(crate) fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + EXIT_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for server") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not exit within {EXIT_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's resident memory in KiB (VmRSS), from /proc.
    pub(crate) fn rss_kib(&self) -> u64 {
        self.proc_status_kib("VmRSS:")
    }

    /// The server's peak resident memory so far in KiB (VmHWM), from /proc.
    pub(crate) fn peak_rss_kib(&self) -> u64 {
        self.proc_status_kib("VmHWM:")
    }

    fn proc_status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("read the server's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{field} in /proc status"))
    }

    /// The data directory.
    pub(crate) fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Everything the server printed so far, one line per line.
    pub(crate) fn output(&self) -> String {
        self.lines.lock().expect("log lock").join("\n")
    }

    /// Whether the server printed `needle`, waiting up to `EXIT_TIMEOUT` for the line (the
    /// log is read on another thread, a little after the server wrote it).
    pub(crate) fn logged(&self, needle: &str) -> bool {
        let deadline = Instant::now() + EXIT_TIMEOUT;
        while !self.output().contains(needle) {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    /// A server with the metrics endpoint on an ephemeral port, and that endpoint's address.
    pub(crate) fn with_metrics() -> (TestServer, String) {
        let mut options = Options::default();
        options
            .args
            .extend(["--metrics-listen".to_owned(), "127.0.0.1:0".to_owned()]);
        let server = TestServer::start_with(options);
        let addr = metrics_addr(&server);
        (server, addr)
    }

    /// Connects as `user` to `database` without TLS.
    pub(crate) async fn connect_as(
        &self,
        user: &str,
        password: &str,
        database: &str,
    ) -> Result<Client, tokio_postgres::Error> {
        let mut config = self.config(user, password, database);
        config.ssl_mode(tokio_postgres::config::SslMode::Disable);
        let (client, connection) = config.connect(NoTls).await?;
        tokio::spawn(connection);
        Ok(client)
    }

    /// Connects as the first role to its database.
    pub(crate) async fn connect(&self) -> Client {
        self.connect_as(USER, PASSWORD, USER)
            .await
            .expect("connect as the first role")
    }

    /// Connects as the first role and presents the key `token`.
    pub(crate) async fn connect_keyed(&self, token: &str) -> Client {
        let client = self.connect().await;
        client
            .batch_execute(&format!("SET mindoo.keys = '{token}'"))
            .await
            .expect("present the key");
        client
    }

    /// Connects as the first role; the connection's NOTIFY messages arrive on the receiver.
    pub(crate) async fn connect_listening(&self) -> (Client, UnboundedReceiver<Notification>) {
        self.connect_listening_as(USER, PASSWORD).await
    }

    /// Connects as `user` to the first role's database; NOTIFY messages arrive on the receiver.
    pub(crate) async fn connect_listening_as(
        &self,
        user: &str,
        password: &str,
    ) -> (Client, UnboundedReceiver<Notification>) {
        let mut config = self.config(user, password, USER);
        config.ssl_mode(tokio_postgres::config::SslMode::Disable);
        let (client, mut connection) = config.connect(NoTls).await.expect("connect");
        let (tx, rx) = unbounded_channel();
        tokio::spawn(async move {
            let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(Ok(message)) = messages.next().await {
                if let AsyncMessage::Notification(notification) = message
                    && tx.send(notification).is_err()
                {
                    break;
                }
            }
        });
        (client, rx)
    }

    /// A client config for this server.
    pub(crate) fn config(
        &self,
        user: &str,
        password: &str,
        database: &str,
    ) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host("127.0.0.1")
            .port(self.addr.port())
            .user(user)
            .password(password)
            .dbname(database)
            .connect_timeout(Duration::from_secs(10));
        config
    }

    fn spawn(
        data_dir: Arc<TempDir>,
        options: Options,
        lines: Arc<Mutex<Vec<String>>>,
    ) -> TestServer {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mindoodb"));
        command.arg("serve");
        if !options.args.iter().any(|arg| arg == "--listen") {
            command.args(["--listen", "127.0.0.1:0"]);
        }
        command
            .arg("--data-dir")
            .arg(data_dir.path())
            .args(&options.args)
            .env_remove("MINDOODB_PASSWORD")
            .env_remove("MINDOODB_USER")
            .env_remove("MINDOODB_DB")
            .env_remove("MINDOODB_LISTEN")
            .env_remove("MINDOODB_DATA_DIR")
            .envs(options.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn mindoodb");
        let (addr_tx, addr_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        collect_lines(stdout, lines.clone(), Some(addr_tx));
        collect_lines(stderr, lines.clone(), None);
        let addr = match addr_rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "server did not log its address within {STARTUP_TIMEOUT:?}; output:\n{}",
                    lines.lock().expect("log lock").join("\n")
                );
            }
        };
        TestServer {
            child,
            addr,
            data_dir,
            options,
            lines,
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A server and a client holding a fresh `default` key, with `tables` created.
pub(crate) async fn keyed(tables: &[&str]) -> (TestServer, Client, String) {
    keyed_on(TestServer::start(), tables).await
}

/// `keyed` on a server already started.
pub(crate) async fn keyed_on(server: TestServer, tables: &[&str]) -> (TestServer, Client, String) {
    let client = server.connect().await;
    let token: String = client
        .query_one("SELECT mindoo.create_key('default')", &[])
        .await
        .expect("create a key")
        .get(0);
    assert!(token.starts_with("mdbk1.default.1."), "{token}");
    client
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .expect("set keys");
    for table in tables {
        client
            .batch_execute(&format!("CREATE TABLE {table} ()"))
            .await
            .expect("create table");
    }
    (server, client, token)
}

/// The error of a call that must fail.
pub(crate) fn expect_err<T>(
    res: Result<T, tokio_postgres::Error>,
    what: &str,
) -> tokio_postgres::Error {
    match res {
        Ok(_) => panic!("{what}: it succeeded"),
        Err(err) => err,
    }
}

/// Runs `sql` with the simple protocol and returns the first column of every row.
pub(crate) async fn column(client: &Client, sql: &str) -> Vec<Option<String>> {
    client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_owned)),
            _ => None,
        })
        .collect()
}

/// The first column of the first row of `sql`.
pub(crate) async fn one(client: &Client, sql: &str) -> String {
    column(client, sql)
        .await
        .into_iter()
        .next()
        .flatten()
        .unwrap_or_else(|| panic!("{sql}: no value"))
}

/// The SQLSTATE of `sql`, which must fail (simple protocol).
pub(crate) async fn code(client: &Client, sql: &str) -> SqlState {
    let err = client.simple_query(sql).await.expect_err(sql);
    err.code()
        .cloned()
        .unwrap_or_else(|| panic!("{sql}: {err} has no SQLSTATE"))
}

/// Runs the `mindoodb` command line with `args` then `paths`, outside any server.
pub(crate) fn mindoodb(args: &[&str], paths: &[&Path]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mindoodb"));
    command.args(args).env_remove("MINDOODB_DATA_DIR");
    for path in paths {
        command.arg(path);
    }
    command.output().expect("run mindoodb")
}

/// A conninfo for `server`'s database `db` as the first role.
pub(crate) fn conninfo(server: &TestServer, db: &str) -> String {
    format!(
        "host=127.0.0.1 port={} user={USER} password='{PASSWORD}' dbname={db} sslmode=disable",
        server.addr.port()
    )
}

/// Every file under `dir`, recursively.
pub(crate) fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).expect("read dir") {
        let path = item.expect("dir entry").path();
        if path.is_dir() {
            out.extend(files_in(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Copies lines from `reader` into `lines` on a thread; the first `listening` line's
/// address (`addr=` in text logs, `"addr":` in JSON logs) goes to `addr_tx`.
fn collect_lines(
    reader: impl Read + Send + 'static,
    lines: Arc<Mutex<Vec<String>>>,
    mut addr_tx: Option<mpsc::Sender<SocketAddr>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            if line.contains("listening")
                && let Some(addr) = listen_addr(&line)
                && let Some(tx) = addr_tx.take()
            {
                let _ = tx.send(addr);
            }
            lines.lock().expect("log lock").push(line);
        }
    });
}

fn listen_addr(line: &str) -> Option<SocketAddr> {
    let (at, marker) = ["addr=", "\"addr\":"]
        .iter()
        .find_map(|marker| line.find(marker).map(|at| (at, *marker)))?;
    let rest = &line[at + marker.len()..];
    rest.split([' ', ',', '}'])
        .next()?
        .trim_matches('"')
        .parse()
        .ok()
}

/// One `GET /metrics` from `addr`: the response head and body.
pub(crate) fn scrape(addr: &str) -> (String, String) {
    let mut stream = std::net::TcpStream::connect(addr).expect("connect to metrics");
    std::io::Write::write_all(&mut stream, b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP response");
    (head.to_owned(), body.to_owned())
}

/// Where `server` serves metrics, from its log.
pub(crate) fn metrics_addr(server: &TestServer) -> String {
    let output = server.output();
    output
        .lines()
        .find(|l| l.contains("serving metrics"))
        .and_then(|l| l.split("addr=").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no metrics address in:\n{output}"))
        .to_owned()
}

/// The value of metric `name` in an exposition `body`.
pub(crate) fn metric(body: &str, name: &str) -> u64 {
    body.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} missing from:\n{body}"))
        .parse()
        .unwrap()
}
