//! Authentication and isolation (issue 9): wrong passwords are rate-limited per address and
//! logged, a role sees nothing of another tenant, a role that loses access loses its open
//! sessions, and `--tls-only` refuses plaintext TCP connections (not the Unix socket).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_postgres::Client;
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::support::{Options, PASSWORD, TestServer, USER, code, column, expect_err, keyed, one};
use crate::transports::connect_via;

/// Longest a test waits for the server to end a session it should end.
const END_WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn wrong_passwords_are_rate_limited_per_address_and_logged() {
    let server =
        TestServer::start_with(Options::default().with_args(&["--auth-failures-per-minute", "3"]));
    for _ in 0..3 {
        let err = expect_err(
            server.connect_as(USER, "guess", USER).await,
            "a wrong password",
        );
        assert_eq!(err.code(), Some(&SqlState::INVALID_PASSWORD), "{err}");
    }
    // Now even the right password is refused from this address, before it is checked.
    let err = expect_err(
        server.connect_as(USER, PASSWORD, USER).await,
        "a login over the failure budget",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
        "{err}"
    );
    assert!(
        message(&err).contains("too many failed authentication attempts"),
        "{}",
        message(&err)
    );
    assert!(server.logged("authentication refused: too many failed attempts"));
    assert!(server.logged("failures_last_minute=3"));
    let log = server.output();
    assert_eq!(
        log.matches("password authentication failed").count(),
        3,
        "{log}"
    );

    // Without a limit, failures never lock the right password out.
    let open =
        TestServer::start_with(Options::default().with_args(&["--auth-failures-per-minute", "0"]));
    for _ in 0..5 {
        expect_err(
            open.connect_as(USER, "guess", USER).await,
            "a wrong password",
        );
    }
    assert_eq!(one(&open.connect().await, "SELECT 1").await, "1");
}

#[tokio::test]
async fn a_role_never_sees_another_tenants_tables_feeds_or_entries() {
    let (server, alice, _token) = keyed(&["crm2025"]).await;
    alice
        .batch_execute(
            r#"INSERT INTO crm2025 (id, data) VALUES ('secret-doc', '{"n":1}');
               CREATE TABLE alice_only ();
               CREATE DATABASE beta;
               CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
               GRANT CONNECT ON DATABASE beta TO bob"#,
        )
        .await
        .unwrap();
    let err = expect_err(
        server.connect_as("bob", "bob-pw", USER).await,
        "bob into alice's database",
    );
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");

    let bob = server.connect_as("bob", "bob-pw", "beta").await.unwrap();
    // As in PostgreSQL 15, only the database's owner (alice) creates in its schema at first.
    server
        .connect_as(USER, PASSWORD, "beta")
        .await
        .unwrap()
        .batch_execute("GRANT CREATE ON SCHEMA public TO bob")
        .await
        .unwrap();
    for sql in [
        "SELECT * FROM crm2025",
        "SELECT * FROM alice_only",
        "SELECT * FROM mindoo.changes('crm2025', 0)",
        "SELECT * FROM mindoo.entries('crm2025', 0)",
        "SELECT * FROM mindoo.history('crm2025', 'secret-doc')",
        "SELECT * FROM mindoo.verify('crm2025')",
        "SELECT mindoo.locked('crm2025')",
        "INSERT INTO crm2025 (data) VALUES ('{}')",
        "DROP TABLE crm2025",
    ] {
        assert_eq!(code(&bob, sql).await, SqlState::UNDEFINED_TABLE, "{sql}");
    }
    // The same table name in bob's tenant is another table.
    let token = one(&bob, "SELECT mindoo.create_key('default')").await;
    bob.batch_execute(&format!(
        r#"SET mindoo.keys = '{token}'; CREATE TABLE crm2025 ();
           INSERT INTO crm2025 (id, data) VALUES ('bobs', '{{"n":2}}')"#
    ))
    .await
    .unwrap();
    assert_eq!(
        column(&bob, "SELECT id FROM crm2025").await,
        [Some("bobs".to_owned())]
    );
    assert_eq!(
        column(&bob, "SELECT doc_id FROM mindoo.entries('crm2025', 0)").await,
        [Some("bobs".to_owned())]
    );
    assert_eq!(
        column(&bob, "SELECT id FROM mindoo.changes_all('*', '{}'::jsonb)").await,
        [Some("bobs".to_owned())]
    );
    // Keys are per tenant too: bob's registry holds only his key.
    assert_eq!(
        column(&bob, "SELECT mindoo.keys()").await,
        [Some("default".to_owned())]
    );
    assert_eq!(
        one(&alice, "SELECT count(*) FROM crm2025").await,
        "1",
        "alice's table is untouched"
    );
}

#[tokio::test]
async fn a_role_that_loses_access_loses_its_open_sessions() {
    let server = TestServer::start();
    let admin = server.connect().await;
    admin
        .batch_execute(
            "CREATE DATABASE beta;
             CREATE ROLE bob LOGIN PASSWORD 'pw'; CREATE ROLE carol LOGIN PASSWORD 'pw';
             CREATE ROLE dave LOGIN PASSWORD 'pw'; CREATE ROLE erin LOGIN PASSWORD 'pw';
             GRANT CONNECT ON DATABASE beta TO bob, carol, dave, erin",
        )
        .await
        .unwrap();
    let connect = |role: &'static str| {
        let server = &server;
        async move { server.connect_as(role, "pw", "beta").await.unwrap() }
    };
    let (bob, carol, dave, erin) = (
        connect("bob").await,
        connect("carol").await,
        connect("dave").await,
        connect("erin").await,
    );
    let bob_too = connect("bob").await;
    for client in [&bob, &bob_too, &carol, &dave, &erin] {
        assert_eq!(one(client, "SELECT 1").await, "1");
    }

    admin
        .batch_execute("REVOKE CONNECT ON DATABASE beta FROM bob")
        .await
        .unwrap();
    ended(&bob, "REVOKE CONNECT").await;
    ended(&bob_too, "REVOKE CONNECT").await;
    admin.batch_execute("DROP ROLE carol").await.unwrap();
    ended(&carol, "DROP ROLE").await;
    admin
        .batch_execute("ALTER ROLE dave NOLOGIN")
        .await
        .unwrap();
    ended(&dave, "ALTER ROLE NOLOGIN").await;

    // Others keep their sessions.
    assert_eq!(one(&erin, "SELECT 1").await, "1");
    assert_eq!(one(&admin, "SELECT 1").await, "1");
    let err = expect_err(
        server.connect_as("bob", "pw", "beta").await,
        "bob after REVOKE",
    );
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    assert!(
        server.logged("ending a session that lost access"),
        "the server logs it"
    );
}

#[tokio::test]
async fn tls_only_refuses_plaintext_connections() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
        .expect("self-signed certificate");
    let pem_dir = tempfile::TempDir::new().expect("temp dir");
    let cert_path = pem_dir.path().join("server.crt");
    let key_path = pem_dir.path().join("server.key");
    std::fs::write(&cert_path, cert.cert.pem()).expect("write cert");
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).expect("write key");
    let sockets = tempfile::TempDir::new().expect("socket dir");
    let socket_dir = sockets.path().to_str().expect("utf-8 path");
    let server = TestServer::start_with(Options::default().with_args(&[
        "--tls-cert",
        &cert_path.display().to_string(),
        "--tls-key",
        &key_path.display().to_string(),
        "--tls-only",
        "--unix-socket-dir",
        socket_dir,
    ]));

    let err = expect_err(
        server.connect_as(USER, PASSWORD, USER).await,
        "a plaintext connection",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
        "{err}"
    );
    assert!(
        message(&err).contains("TLS connections only"),
        "{}",
        message(&err)
    );

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(cert.cert.der().clone())
        .expect("trust the test certificate");
    let tls_config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let mut config = tokio_postgres::Config::new();
    config
        .host("localhost")
        .hostaddr(std::net::IpAddr::from([127, 0, 0, 1]))
        .port(server.addr.port())
        .user(USER)
        .password(PASSWORD)
        .dbname(USER)
        .ssl_mode(SslMode::Require);
    let (client, connection) = config
        .connect(MakeRustlsConnect::new(tls_config))
        .await
        .expect("TLS connect");
    tokio::spawn(connection);
    assert_eq!(one(&client, "SELECT 1").await, "1");
    assert!(server.logged("plaintext connection refused"));

    // The Unix socket is not on the network: --tls-only leaves it open.
    let local = connect_via(&server, socket_dir, None)
        .await
        .expect("a Unix-socket connection under --tls-only");
    assert_eq!(one(&local, "SELECT 2").await, "2");
}

/// The server's message of a failed call.
fn message(err: &tokio_postgres::Error) -> String {
    err.as_db_error()
        .map(|db| db.message().to_owned())
        .unwrap_or_else(|| err.to_string())
}

/// Waits until the server ended `client`'s session, then checks it refuses queries.
async fn ended(client: &Client, after: &str) {
    let deadline = Instant::now() + END_WAIT;
    while !client.is_closed() {
        assert!(
            Instant::now() < deadline,
            "the session is still open {END_WAIT:?} after {after}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    expect_err(client.simple_query("SELECT 1").await, after);
}
