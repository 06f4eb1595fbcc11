//! TLS: with --tls-cert/--tls-key the server accepts `sslmode=require` connections (rustls,
//! verified against the self-signed certificate) and still serves plain loopback clients.

use std::sync::Arc;

use tokio_postgres::Client;
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::support::{Options, PASSWORD, TestServer, USER};

/// A server with a fresh self-signed certificate for `localhost`, and a rustls client
/// configuration that trusts it.
pub(crate) fn start_tls_server() -> (TestServer, rustls::ClientConfig) {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
        .expect("self-signed certificate");
    let pem_dir = tempfile::TempDir::new().expect("temp dir");
    let cert_path = pem_dir.path().join("server.crt");
    let key_path = pem_dir.path().join("server.key");
    std::fs::write(&cert_path, cert.cert.pem()).expect("write cert");
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).expect("write key");

    let mut options = Options::default();
    options.args.extend([
        "--tls-cert".to_owned(),
        cert_path.display().to_string(),
        "--tls-key".to_owned(),
        key_path.display().to_string(),
    ]);
    // The server reads the files at start; the directory may go afterwards.
    let server = TestServer::start_with(options);

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
    (server, tls_config)
}

/// Connects over TLS as the first role, verifying the certificate.
pub(crate) async fn connect_tls(server: &TestServer, tls_config: rustls::ClientConfig) -> Client {
    // The certificate names localhost; connect to 127.0.0.1 (the listen address) under
    // that name.
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
    client
}

#[tokio::test]
async fn tls_connection_with_a_verified_certificate() {
    let (server, tls_config) = start_tls_server();
    let client = connect_tls(&server, tls_config).await;
    client
        .simple_query("SELECT 1")
        .await
        .expect("query over TLS");
    assert!(server.output().contains("tls=true"), "{}", server.output());

    // Plain connections keep working next to TLS ones.
    let plain = server.connect().await;
    plain
        .simple_query("SELECT 1")
        .await
        .expect("query without TLS");
}
