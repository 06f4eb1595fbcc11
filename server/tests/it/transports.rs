//! Transports and keys (issue 19, item 7): the Unix socket of `--unix-socket-dir` (psql and
//! tokio-postgres reach it by directory, SSLRequest is answered 'N', peer credentials are
//! logged, the file goes away on SIGTERM, a second server refuses it, a stale one is
//! replaced), and keys refused with 28000 from a real non-loopback address while loopback and
//! the Unix socket, the local transports, take them.
//!
//! Invariants:
//! - The non-loopback peer is real: the server listens on every address and the client
//!   connects to this machine's own non-loopback IPv4 address, so the kernel reports that
//!   address, not 127.0.0.1, as the peer. A machine without one fails the test, never skips it.

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

use crate::bad_input::startup_message;
use crate::feeds::message;
use crate::support::{Options, PASSWORD, TestServer, USER, column, expect_err, one};

/// How long a server that must refuse to start may take to exit.
const EXIT_WAIT: Duration = Duration::from_secs(30);

/// Connects as the first role through `host`: an IP address, or a socket directory.
pub(crate) async fn connect_via(
    server: &TestServer,
    host: &str,
    options: Option<&str>,
) -> Result<Client, tokio_postgres::Error> {
    let mut config = tokio_postgres::Config::new();
    config
        .host(host)
        .port(server.addr.port())
        .user(USER)
        .password(PASSWORD)
        .dbname(USER)
        .ssl_mode(SslMode::Disable)
        .connect_timeout(Duration::from_secs(10));
    if let Some(options) = options {
        config.options(options);
    }
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

/// The socket file a server on `port` creates in `dir`.
fn socket_path(dir: &Path, port: u16) -> PathBuf {
    dir.join(format!(".s.PGSQL.{port}"))
}

/// This machine's first non-loopback IPv4 address (`ip -4 -o addr show scope global`).
fn non_loopback_ipv4() -> Ipv4Addr {
    let out = Command::new("ip")
        .args(["-4", "-o", "addr", "show", "scope", "global"])
        .output()
        .expect("run `ip` (iproute2) to find this machine's addresses");
    assert!(out.status.success(), "ip -4 -o addr failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            words.find(|word| *word == "inet")?;
            words.next()?.split('/').next()?.parse::<Ipv4Addr>().ok()
        })
        .find(|ip| !ip.is_loopback())
        .unwrap_or_else(|| {
            panic!(
                "this machine has no non-loopback IPv4 address, so the refusal of keys from a \
                 remote peer cannot be tested for real; `ip -4 -o addr` said:\n{text}"
            )
        })
}

/// The user and group ids files this process creates get, the ids SO_PEERCRED reports.
fn own_ids(dir: &Path) -> (u32, u32) {
    let probe = dir.join("probe");
    std::fs::write(&probe, "").expect("write a probe file");
    let meta = std::fs::metadata(&probe).expect("probe metadata");
    std::fs::remove_file(&probe).expect("remove the probe file");
    (meta.uid(), meta.gid())
}

#[tokio::test]
async fn keys_are_refused_from_a_non_loopback_address_and_taken_locally() {
    let remote_ip = non_loopback_ipv4();
    let sockets = TempDir::new().expect("socket dir");
    let dir = sockets.path().to_str().expect("utf-8 path");
    let server = TestServer::start_with(Options::default().with_args(&[
        "--listen",
        "0.0.0.0:0",
        "--unix-socket-dir",
        dir,
    ]));
    let loopback = connect_via(&server, "127.0.0.1", None)
        .await
        .expect("connect over loopback");
    let token = one(&loopback, "SELECT mindoo.create_key('default')").await;
    let set_keys = format!("SET mindoo.keys = '{token}'");

    let remote = connect_via(&server, &remote_ip.to_string(), None)
        .await
        .expect("connect to the non-loopback address");
    // The server sees the non-loopback address as the peer: this is no loopback in disguise.
    assert_eq!(
        column(
            &loopback,
            "SELECT client_addr FROM mindoo.activity WHERE client_addr <> '127.0.0.1'"
        )
        .await,
        [Some(remote_ip.to_string())]
    );
    for sql in [set_keys.as_str(), "SELECT mindoo.create_key('other')"] {
        let err = remote.batch_execute(sql).await.expect_err(sql);
        assert_eq!(
            err.code(),
            Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
            "{sql}: {err}"
        );
        assert!(
            message(&err).contains("keys may only be sent over TLS, loopback or a Unix socket"),
            "{}",
            message(&err)
        );
    }
    // Keys in the startup options are refused the same way, at login.
    let startup_keys = format!("-c mindoo.keys={token}");
    let err = expect_err(
        connect_via(&server, &remote_ip.to_string(), Some(&startup_keys)).await,
        "startup keys from a non-loopback address",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
        "{err}"
    );

    // The same statement over the local transports succeeds.
    loopback
        .batch_execute(&set_keys)
        .await
        .expect("keys over loopback");
    let unix = connect_via(&server, dir, None)
        .await
        .expect("connect over the Unix socket");
    unix.batch_execute(&set_keys)
        .await
        .expect("keys over the Unix socket");
    assert_eq!(one(&unix, "SHOW mindoo.keys").await, "default.1");
    let unix_startup = connect_via(&server, dir, Some(&startup_keys))
        .await
        .expect("startup keys over the Unix socket");
    assert_eq!(one(&unix_startup, "SHOW mindoo.keys").await, "default.1");
}

#[tokio::test]
async fn a_local_node_gives_its_keyring_to_unix_and_loopback_sessions_only() {
    let remote_ip = non_loopback_ipv4();
    let keys = TempDir::new().expect("keyring dir");
    let keyring = keys.path().join("keyring");
    let keyring = keyring.to_str().expect("utf-8 path");
    for args in [
        &["keyring", "init", "--keyring", keyring][..],
        &["key", "new", "default", "--keyring", keyring],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
            .args(args)
            .env("MINDOODB_KEYRING_PASSPHRASE", "node")
            .stdin(Stdio::null())
            .output()
            .expect("run mindoodb");
        assert!(out.status.success(), "mindoodb {args:?}: {out:?}");
    }
    let sockets = TempDir::new().expect("socket dir");
    let dir = sockets.path().to_str().expect("utf-8 path");
    let server = TestServer::start_with(
        Options::default()
            .with_env("MINDOODB_KEYRING_PASSPHRASE", "node")
            .with_args(&[
                "--keyring",
                keyring,
                "--listen",
                "0.0.0.0:0",
                "--unix-socket-dir",
                dir,
            ]),
    );
    for host in [dir, "127.0.0.1"] {
        let local = connect_via(&server, host, None).await.expect("connect");
        assert_eq!(one(&local, "SHOW mindoo.keys").await, "default.1", "{host}");
    }
    let remote = connect_via(&server, &remote_ip.to_string(), None)
        .await
        .expect("connect to the non-loopback address");
    assert_eq!(
        column(&remote, "SHOW mindoo.keys").await,
        [Some(String::new())],
        "a remote session gets none of the node's keys"
    );
}

#[tokio::test]
async fn the_unix_socket_serves_psql_and_drivers_and_logs_peer_credentials() {
    let sockets = TempDir::new().expect("socket dir");
    let dir = sockets.path().to_str().expect("utf-8 path");
    let mut server =
        TestServer::start_with(Options::default().with_args(&["--unix-socket-dir", dir]));
    let port = server.addr.port();
    let path = socket_path(sockets.path(), port);
    let mode = std::fs::metadata(&path)
        .expect("the socket file exists")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o777, "mode {mode:o}");
    assert!(server.logged(&format!("path={}", path.display())));

    // A driver, by directory as libpq takes it.
    let client = connect_via(&server, dir, None)
        .await
        .expect("connect over the Unix socket");
    assert_eq!(one(&client, "SELECT 1 + 1").await, "2");
    assert_eq!(
        column(
            &client,
            "SELECT client_addr, client_port FROM mindoo.activity"
        )
        .await,
        [None],
        "client_addr is NULL over a Unix socket"
    );
    assert_eq!(
        one(&client, "SELECT client_port FROM mindoo.activity").await,
        "-1"
    );
    let (uid, gid) = own_ids(sockets.path());
    let pid = std::process::id();
    let peer = format!("peer=[local](uid={uid},gid={gid},pid={pid})");
    let authorized = format!("connection authorized {peer}");
    assert!(
        server.logged(&authorized),
        "{authorized} in:\n{}",
        server.output()
    );

    // psql, by `-h DIR -p PORT`.
    let out = Command::new("psql")
        .args(["-X", "-A", "-t", "-h", dir, "-p", &port.to_string()])
        .args([
            "-U",
            USER,
            "-d",
            USER,
            "-c",
            "SELECT 'over ' || 'the socket'",
        ])
        .env("PGPASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .expect("psql is installed (scripts/test.sh installs postgresql-client)");
    assert!(out.status.success(), "psql: {out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "over the socket"
    );

    // A client that asks for TLS first hears 'N', then starts in the clear.
    let mut raw = std::os::unix::net::UnixStream::connect(&path).expect("connect raw");
    raw.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    raw.write_all(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
        .expect("send SSLRequest");
    let mut answer = [0u8; 1];
    raw.read_exact(&mut answer).expect("read the SSL answer");
    assert_eq!(answer[0], b'N');
    raw.write_all(&startup_message(USER, USER))
        .expect("send startup");
    raw.read_exact(&mut answer)
        .expect("read the authentication request");
    assert_eq!(answer[0], b'R', "SCRAM authentication begins");
    drop(raw);

    drop(client);
    let status = server.terminate();
    assert!(status.success(), "exit on SIGTERM: {status}");
    assert!(!path.exists(), "the socket file is removed on shutdown");
}

#[tokio::test]
async fn a_second_server_refuses_a_live_socket_and_a_stale_one_is_replaced() {
    let sockets = TempDir::new().expect("socket dir");
    let dir = sockets.path().to_str().expect("utf-8 path");
    let mut first =
        TestServer::start_with(Options::default().with_args(&["--unix-socket-dir", dir]));
    let port = first.addr.port();
    let path = socket_path(sockets.path(), port);

    // Another server on the same port (another address) and directory must not take the
    // socket from the running one.
    let data = TempDir::new().expect("data dir");
    let mut second = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["serve", "--listen", &format!("127.0.0.2:{port}")])
        .arg("--data-dir")
        .arg(data.path())
        .args(["--unix-socket-dir", dir])
        .env("MINDOODB_PASSWORD", PASSWORD)
        .env_remove("MINDOODB_LISTEN")
        .env_remove("MINDOODB_UNIX_SOCKET_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn a second server");
    let deadline = Instant::now() + EXIT_WAIT;
    let status = loop {
        if let Some(status) = second.try_wait().expect("wait for the second server") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("a second server on a live socket did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut said = String::new();
    second
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut said)
        .expect("read stdout");
    second
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut said)
        .expect("read stderr");
    assert!(
        !status.success(),
        "the second server must not start: {said}"
    );
    let expected = format!(
        "another server is listening on the Unix socket {}",
        path.display()
    );
    assert!(said.contains(&expected), "{said}");
    let client = connect_via(&first, dir, None)
        .await
        .expect("the first server still owns the socket");
    assert_eq!(one(&client, "SELECT 1").await, "1");
    drop(client);

    // SIGKILL leaves the socket file behind; the next server replaces it.
    let killed = Command::new("kill")
        .args(["-KILL", &first.child_id().to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    first.wait_exit();
    assert!(path.exists(), "a killed server leaves its socket file");
    let next = TestServer::start_with(Options::default().with_args(&[
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--unix-socket-dir",
        dir,
    ]));
    assert!(next.logged("removing a stale Unix socket"));
    let client = connect_via(&next, dir, None)
        .await
        .expect("connect to the replacement socket");
    assert_eq!(one(&client, "SELECT 1").await, "1");
    assert_eq!(
        next.addr.ip(),
        IpAddr::from([127, 0, 0, 1]),
        "the replacement listens where it was told"
    );
}
