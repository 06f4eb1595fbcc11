//! Process lifecycle: SIGTERM exits 0 and the data survives a restart; the first start
//! prints a generated password exactly once; passwords and key tokens never reach the log.

use tokio_postgres::error::SqlState;

use crate::support::{Options, PASSWORD, TestServer, USER};

#[tokio::test]
async fn sigterm_exits_zero_and_data_survives_restart() {
    let server = TestServer::start();
    let client = server.connect().await;
    client.simple_query("SELECT 1").await.expect("query");
    drop(client);
    let server = server.restart();
    assert!(
        server.output().contains("shut down cleanly"),
        "{}",
        server.output()
    );
    // The first role was kept (not bootstrapped again): the same password still works.
    let client = server.connect().await;
    client
        .simple_query("SELECT 1")
        .await
        .expect("query after restart");
}

#[tokio::test]
async fn sigterm_waits_for_an_open_connection() {
    let mut server = TestServer::start();
    let client = server.connect().await;
    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
    assert!(
        client.simple_query("SELECT 1").await.is_err(),
        "the connection is closed"
    );
}

#[tokio::test]
async fn generated_password_is_printed_once_and_works() {
    let server = TestServer::start_with(Options::default().without_env("MINDOODB_PASSWORD"));
    let output = server.output();
    let marker = "generated password for role \"alice\" (shown only once): ";
    let line = output
        .lines()
        .find(|line| line.contains(marker))
        .unwrap_or_else(|| panic!("no generated password line in:\n{output}"));
    let password = line[line.find(marker).expect("marker") + marker.len()..]
        .trim()
        .to_owned();
    assert!(password.len() >= 20, "password {password:?} is too short");
    assert_eq!(output.matches(&password).count(), 1, "{output}");

    let client = server
        .connect_as(USER, &password, USER)
        .await
        .expect("the generated password logs in");
    client.simple_query("SELECT 1").await.expect("query");
    drop(client);

    let server = server.restart();
    assert_eq!(
        server.output().matches(&password).count(),
        1,
        "a restart must not print the password again"
    );
}

#[tokio::test]
async fn passwords_and_key_tokens_never_reach_the_log() {
    let secret = "hunter2-do-not-log-me";
    let key_token = "mdbk1.default.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let server = TestServer::start_with(
        Options::default()
            .with_env("MINDOODB_PASSWORD", secret)
            .with_env("RUST_LOG", "debug"),
    );
    let client = server
        .connect_as(USER, secret, USER)
        .await
        .expect("login with the configured password");
    client.simple_query("SELECT 1").await.expect("query");
    let _ = server
        .connect_as(USER, "wrong-password-also-secret", USER)
        .await;

    // A key token in the startup options is never logged, whether or not it is accepted.
    let mut config = server.config(USER, secret, USER);
    config.options(format!("-c mindoo.keys={key_token}"));
    if let Ok((client, connection)) = config.connect(tokio_postgres::NoTls).await {
        tokio::spawn(connection);
        let _ = client.simple_query("SELECT 1").await;
    }
    // And a statement quoting one gets a scrubbed error, if it fails.
    let sql = format!("SET mindoo.keys = '{key_token}'");
    if let Err(err) = client.simple_query(&sql).await {
        assert!(!err.to_string().contains(key_token), "{err}");
        let code = err.code().cloned();
        assert_ne!(code, Some(SqlState::INTERNAL_ERROR), "{err}");
    }
    let _ = client
        .simple_query(&format!("SELECT '{key_token}' x y z"))
        .await;

    let output = server.output();
    assert!(!output.contains(secret), "password in log:\n{output}");
    assert!(
        !output.contains("wrong-password-also-secret"),
        "password in log:\n{output}"
    );
    assert!(
        !output.contains(&key_token["mdbk1.".len()..]),
        "key token in log:\n{output}"
    );
    assert!(!output.contains(PASSWORD));
}
