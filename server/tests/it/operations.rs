//! Running the server (issue 7): the TOML config file and its precedence, `serve --help`,
//! the container-style env bootstrap (`MINDOODB_PASSWORD_FILE`, `MINDOODB_INIT_SQL`), JSON
//! logs with redacted slow-statement lines, `mindoo.activity`, the Prometheus endpoint (with
//! the sync lag per peer of `mindoo.sync` and a mirror), and
//! SIGINT/SIGTERM closing idle connections at once with exit status 0, and letting a statement
//! in flight finish while new connections are refused.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::Command;

use tokio_postgres::error::SqlState;

use crate::support::{
    Options, TestServer, USER, column, conninfo, keyed, metric, metrics_addr, one, scrape,
};

fn with_args(options: Options, args: &[&str]) -> Options {
    let mut options = options;
    options.args.extend(args.iter().map(|a| (*a).to_owned()));
    options
}

#[test]
fn serve_help_documents_every_option_and_its_environment_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["serve", "--help"])
        .output()
        .expect("run mindoodb serve --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for (flag, env) in [
        ("--config", "MINDOODB_CONFIG"),
        ("--listen", "MINDOODB_LISTEN"),
        ("--data-dir", "MINDOODB_DATA_DIR"),
        ("--unix-socket-dir", "MINDOODB_UNIX_SOCKET_DIR"),
        ("--tls-cert", "MINDOODB_TLS_CERT"),
        ("--tls-key", "MINDOODB_TLS_KEY"),
        ("--log-format", "MINDOODB_LOG_FORMAT"),
        ("--slow-statement-ms", "MINDOODB_SLOW_STATEMENT_MS"),
        ("--metrics-listen", "MINDOODB_METRICS_LISTEN"),
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
        assert!(help.contains(env), "{env} missing from:\n{help}");
    }
    for command in ["backup", "restore", "verify"] {
        let out = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
            .args([command, "--help"])
            .output()
            .expect("run help");
        assert!(out.status.success(), "{command} --help");
    }
}

#[tokio::test]
async fn config_file_json_logs_and_redacted_slow_statements() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mindoodb.toml");
    // The flag given on the command line (--listen 127.0.0.1:0, by TestServer) wins over
    // the file's listen; the rest comes from the file.
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:1\"\nlog_format = \"json\"\nslow_statement_ms = 0\n",
    )
    .unwrap();
    let server = TestServer::start_with(with_args(
        Options::default(),
        &["--config", config.to_str().unwrap()],
    ));
    let client = server.connect().await;
    let token = one(&client, "SELECT mindoo.create_key('default')").await;
    client
        .batch_execute(&format!(
            "SET mindoo.keys = '{token}';
             CREATE TABLE crm ();
             INSERT INTO crm (id, data) VALUES ('acme', '{{\"secret\":\"plaintext-marker\"}}')"
        ))
        .await
        .unwrap();
    assert_eq!(
        one(&client, "SELECT data->>'secret' FROM crm").await,
        "plaintext-marker"
    );
    let output = server.output();
    let slow: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("slow statement"))
        .collect();
    assert!(
        slow.iter()
            .any(|l| l.contains("INSERT INTO crm (id, data) VALUES (?, ?)")),
        "{output}"
    );
    for line in output.lines().filter(|l| l.starts_with('{')) {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    assert!(
        output
            .lines()
            .any(|l| l.starts_with('{') && l.contains("listening"))
    );
    assert!(!output.contains("plaintext-marker"), "{output}");
    assert!(!output.contains(&token["mdbk1.".len()..]), "{output}");

    // A misspelt key stops the start with a clear message.
    std::fs::write(&config, "lisen = \"127.0.0.1:0\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["serve", "--config", config.to_str().unwrap()])
        .env("MINDOODB_DATA_DIR", dir.path().join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"));
}

#[tokio::test]
async fn password_file_and_init_sql_bootstrap_an_empty_data_dir_once() {
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, "from-a-file\n").unwrap();
    let init = dir.path().join("init");
    std::fs::create_dir(&init).unwrap();
    std::fs::write(
        init.join("01-tables.sql"),
        "CREATE TABLE crm2025 (); CREATE TABLE crm2026 ();",
    )
    .unwrap();
    std::fs::write(
        init.join("02-archive.sql"),
        "ALTER TABLE crm2025 SET (read_only = true);",
    )
    .unwrap();
    std::fs::write(init.join("README.txt"), "not SQL, ignored").unwrap();
    let options = Options::default()
        .without_env("MINDOODB_PASSWORD")
        .with_env("MINDOODB_PASSWORD_FILE", password_file.to_str().unwrap())
        .with_env("MINDOODB_INIT_SQL", init.to_str().unwrap());
    let server = TestServer::start_with(options);
    let client = server
        .connect_as(USER, "from-a-file", USER)
        .await
        .expect("the file's password, without its line break");
    assert_eq!(
        column(
            &client,
            "SELECT table_name FROM mindoo.stats() WHERE read_only"
        )
        .await,
        [Some("crm2025".to_owned())]
    );
    assert_eq!(
        one(&client, "SELECT count(*) FROM mindoo.stats()").await,
        "2"
    );
    drop(client);

    // Not run again on a data dir that has roles, even if the files changed.
    std::fs::write(init.join("03-more.sql"), "CREATE TABLE again ();").unwrap();
    let server = server.restart();
    let client = server.connect_as(USER, "from-a-file", USER).await.unwrap();
    assert_eq!(
        one(&client, "SELECT count(*) FROM mindoo.stats()").await,
        "2"
    );
    assert!(!server.output().contains("from-a-file"));

    // Both password variables at once, or a failing init file, stop the start.
    let out = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("MINDOODB_DATA_DIR", dir.path().join("other"))
        .env("MINDOODB_PASSWORD", "x")
        .env("MINDOODB_PASSWORD_FILE", &password_file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("both set"));
    std::fs::write(init.join("04-bad.sql"), "CREATE TABLE broken (x int);").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mindoodb"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("MINDOODB_DATA_DIR", dir.path().join("third"))
        .env("MINDOODB_PASSWORD", "x")
        .env("MINDOODB_INIT_SQL", &init)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("04-bad.sql"), "{stdout}");
}

#[tokio::test]
async fn activity_lists_sessions_with_redacted_statements() {
    let server = TestServer::start();
    let watcher = server.connect().await;
    let other = server.connect().await;
    other
        .batch_execute("CREATE TABLE crm (); BEGIN")
        .await
        .unwrap();
    other
        .simple_query("SELECT count(*) FROM crm WHERE id = 'literal-marker'")
        .await
        .unwrap();
    let rows = watcher
        .query(
            "SELECT pid, usename, datname, client_addr, state, query FROM mindoo.activity ORDER BY pid",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 2, "both sessions");
    let (user, db, addr): (String, String, String) =
        (rows[1].get(1), rows[1].get(2), rows[1].get(3));
    assert_eq!(
        (user.as_str(), db.as_str(), addr.as_str()),
        (USER, USER, "127.0.0.1")
    );
    let state: String = rows[1].get(4);
    let query: String = rows[1].get(5);
    assert_eq!(state, "idle in transaction");
    assert_eq!(query, "SELECT count(*) FROM crm WHERE id = ?");
    let mine: String = rows[0].get(5);
    assert!(mine.contains("FROM mindoo.activity"), "{mine}");
    assert_eq!(rows[0].get::<_, String>(4), "active");
    // The function form works as well.
    assert_eq!(
        one(&watcher, "SELECT count(*) FROM mindoo.activity()").await,
        "2"
    );
    drop(other);
}

async fn scrape_body(addr: &str) -> String {
    let addr = addr.to_owned();
    tokio::task::spawn_blocking(move || scrape(&addr).1)
        .await
        .unwrap()
}

/// The value of `name{peer="peer"}`, if the body has it.
fn peer_metric(body: &str, name: &str, peer: &str) -> Option<f64> {
    body.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}{{peer=\"{peer}\"}} ")))
        .map(|v| v.parse().unwrap())
}

async fn insert_rows(client: &tokio_postgres::Client, from: usize, to: usize) {
    for i in from..to {
        client
            .execute(
                "INSERT INTO crm (id, data) VALUES ($1, '{}')",
                &[&format!("d{i}")],
            )
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn metrics_report_sync_lag_per_peer_for_mindoo_sync_and_mirrors() {
    let (source, source_client, _token) = keyed(&["crm"]).await;
    insert_rows(&source_client, 0, 30).await;
    let peer = format!("127.0.0.1:{}/{USER}", source.addr.port());
    let source_info = conninfo(&source, USER);

    // mindoo.sync: each round reports what it found beyond this node's cursor.
    let node = TestServer::start_with(with_args(
        Options::default(),
        &["--metrics-listen", "127.0.0.1:0"],
    ));
    let addr = metrics_addr(&node);
    let node_client = node.connect().await;
    let body = scrape_body(&addr).await;
    assert!(
        body.contains("# TYPE mindoodb_sync_lag_entries gauge"),
        "{body}"
    );
    assert_eq!(peer_metric(&body, "mindoodb_sync_lag_entries", &peer), None);
    for (new_rows, rounds) in [(30, 1.0), (5, 2.0), (0, 3.0)] {
        if rounds == 2.0 {
            insert_rows(&source_client, 30, 35).await;
        }
        let pulled: i64 = node_client
            .query_one(
                "SELECT pulled FROM mindoo.sync($1, 'crm', 'pull')",
                &[&source_info],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(pulled, i64::from(new_rows));
        let body = scrape_body(&addr).await;
        assert_eq!(
            peer_metric(&body, "mindoodb_sync_lag_entries", &peer),
            Some(f64::from(new_rows)),
            "{body}"
        );
        assert_eq!(
            peer_metric(&body, "mindoodb_sync_rounds_total", &peer),
            Some(rounds)
        );
        let seconds = peer_metric(&body, "mindoodb_sync_lag_seconds", &peer).unwrap();
        assert!(seconds >= 0.0, "{seconds}");
        assert!(
            !body.contains(crate::support::PASSWORD),
            "no password in labels"
        );
    }

    // A mirror's replication: its first round finds all 35 entries behind, then catches up.
    let mirror = TestServer::start_with(with_args(
        Options::default(),
        &[
            "--metrics-listen",
            "127.0.0.1:0",
            "--mirror-of",
            &source_info,
        ],
    ));
    let mirror_addr = metrics_addr(&mirror);
    let mut body = String::new();
    for _ in 0..1200 {
        body = scrape_body(&mirror_addr).await;
        if peer_metric(&body, "mindoodb_sync_rounds_total", &peer).is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        peer_metric(&body, "mindoodb_sync_lag_entries", &peer),
        Some(35.0),
        "{body}"
    );
    let mirror_client = mirror.connect().await;
    assert_eq!(
        one(&mirror_client, "SELECT last_seq FROM mindoo.tables('crm')").await,
        "35"
    );
}

#[tokio::test]
async fn metrics_count_sessions_statements_commits_and_fsyncs() {
    let (server, addr) = TestServer::with_metrics();
    let client = server.connect().await;
    let token = one(&client, "SELECT mindoo.create_key('default')").await;
    client
        .batch_execute(&format!(
            "SET mindoo.keys = '{token}'; CREATE TABLE crm ();
             INSERT INTO crm (id, data) VALUES ('a', '{{}}');
             INSERT INTO crm (id, data) VALUES ('b', '{{}}')"
        ))
        .await
        .unwrap();
    assert_eq!(
        client.simple_query("SELECT nope").await.unwrap_err().code(),
        Some(&SqlState::UNDEFINED_COLUMN)
    );
    let (head, body) = tokio::task::spawn_blocking({
        let addr = addr.clone();
        move || scrape(&addr)
    })
    .await
    .unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    assert_eq!(metric(&body, "mindoodb_sessions"), 1);
    assert!(metric(&body, "mindoodb_connections_total") >= 1);
    assert!(metric(&body, "mindoodb_statements_total") >= 6);
    assert_eq!(metric(&body, "mindoodb_statement_errors_total"), 1);
    assert_eq!(metric(&body, "mindoodb_commits_total"), 2);
    let fsyncs = metric(&body, "mindoodb_fsyncs_total");
    assert!((1..=2).contains(&fsyncs), "{fsyncs}");
    metric(&body, "mindoodb_disk_bytes");
    assert!(body.contains("# TYPE mindoodb_commits_total counter"));
    assert!(!body.contains(&token));

    let mut stream = TcpStream::connect(&addr).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 404"), "{text}");
}

#[tokio::test]
async fn sigint_and_sigterm_close_idle_connections_at_once_and_exit_zero() {
    for signal in ["-INT", "-TERM"] {
        let mut server = TestServer::start();
        let client = server.connect().await;
        client.simple_query("SELECT 1").await.unwrap();
        let status = Command::new("kill")
            .args([signal, &server.child_id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let status = server.wait_exit();
        assert!(status.success(), "{signal}: exit status {status}");
        let output = server.output();
        assert!(output.contains("shut down cleanly"), "{output}");
        // The idle connection was closed by the signal, not by the drain deadline.
        assert!(
            !output.contains("still open after the drain period"),
            "{signal}: {output}"
        );
        assert!(client.simple_query("SELECT 1").await.is_err());
    }
}

#[tokio::test]
async fn sigint_and_sigterm_let_an_in_flight_statement_finish_and_refuse_new_connections() {
    for signal in ["-INT", "-TERM"] {
        let mut server = TestServer::start();
        let busy = server.connect().await;
        let watcher = server.connect().await;
        let statement =
            tokio::spawn(async move { busy.query_one("SELECT pg_sleep(3), 42::int4", &[]).await });
        // Signal only once the statement is running on the server.
        while one(
            &watcher,
            "SELECT count(*) FROM mindoo.activity WHERE query LIKE 'SELECT pg_sleep%'",
        )
        .await
            != "1"
        {
            tokio::task::yield_now().await;
        }
        drop(watcher);
        let status = Command::new("kill")
            .args([signal, &server.child_id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        // The listener closes at once: a new connection is refused while the statement runs.
        loop {
            match tokio_postgres::connect(
                &format!(
                    "host=127.0.0.1 port={} user={USER} password='{}' dbname={USER} connect_timeout=5",
                    server.addr.port(),
                    crate::support::PASSWORD
                ),
                tokio_postgres::NoTls,
            )
            .await
            {
                Err(_) => break,
                Ok(_) => tokio::task::yield_now().await,
            }
        }
        assert!(!statement.is_finished(), "{signal}: refused while busy");
        let row = statement
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("{signal}: the in-flight statement finishes: {e:?}"));
        assert_eq!(row.get::<_, i32>(1), 42);
        let status = server.wait_exit();
        assert!(status.success(), "{signal}: exit status {status}");
        let output = server.output();
        assert!(output.contains("shut down cleanly"), "{output}");
        assert!(
            !output.contains("still open after the drain period"),
            "{signal}: drained within the period: {output}"
        );
    }
}

#[tokio::test]
async fn pg_isready_the_image_health_check_sees_the_server() {
    let mut server = TestServer::start();
    let port = server.addr.port().to_string();
    let ready = || {
        Command::new("pg_isready")
            .args(["-h", "127.0.0.1", "-p", &port, "-q"])
            .status()
            .expect("pg_isready is installed (scripts/test.sh installs postgresql-client)")
    };
    assert!(ready().success());
    assert!(server.terminate().success());
    assert!(!ready().success());
}
