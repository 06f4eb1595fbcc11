//! `LISTEN mindoo_changes` (issue 4): after each commit every listener of the tenant gets a
//! `table:seq` notification, delivered while its connection sits idle, deferred while it is
//! inside a transaction block, and stopped by UNLISTEN. tests/clients checks the same with
//! psycopg 3, psycopg2, asyncpg, node-pg and pgjdbc.

use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio_postgres::Notification;

use crate::support::TestServer;

/// Long enough for a loaded CI machine; a passing test never waits for it.
const PATIENCE: Duration = Duration::from_secs(60);

async fn next(notifications: &mut UnboundedReceiver<Notification>) -> (String, String) {
    let notification = tokio::time::timeout(PATIENCE, notifications.recv())
        .await
        .expect("a notification in time")
        .expect("the connection is open");
    assert_eq!(
        notification.process_id(),
        0,
        "sent by the server, not a backend"
    );
    (
        notification.channel().to_owned(),
        notification.payload().to_owned(),
    )
}

fn changes(payload: &str) -> (String, String) {
    ("mindoo_changes".to_owned(), payload.to_owned())
}

#[tokio::test]
async fn listeners_hear_commits_while_idle() {
    let server = TestServer::start();
    let writer = server.connect().await;
    let token: String = writer
        .query_one("SELECT mindoo.create_key('default')", &[])
        .await
        .unwrap()
        .get(0);
    writer
        .batch_execute(&format!(
            "SET mindoo.keys = '{token}'; CREATE TABLE crm (); CREATE TABLE other ()"
        ))
        .await
        .unwrap();
    let (listener, mut notifications) = server.connect_listening().await;
    listener
        .batch_execute("LISTEN mindoo_changes")
        .await
        .unwrap();

    // The listener sends nothing from here on: delivery happens while it is idle.
    writer
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('a', '{}'), ('b', '{}')"#)
        .await
        .unwrap();
    assert_eq!(next(&mut notifications).await, changes("crm:2"));
    writer
        .batch_execute(r#"UPDATE crm SET data = '{"x":1}' WHERE id = 'a'"#)
        .await
        .unwrap();
    assert_eq!(next(&mut notifications).await, changes("crm:3"));

    // Inside a transaction block notifications wait for its end.
    listener.batch_execute("BEGIN").await.unwrap();
    writer
        .batch_execute(r#"INSERT INTO other (id, data) VALUES ('o', '{}')"#)
        .await
        .unwrap();
    listener.batch_execute("COMMIT").await.unwrap();
    assert_eq!(next(&mut notifications).await, changes("other:1"));

    // UNLISTEN stops them: the commit to crm made in between is never announced, so the next
    // notification is the one for `other` after LISTEN again.
    listener.batch_execute("UNLISTEN *").await.unwrap();
    writer
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('c', '{}')"#)
        .await
        .unwrap();
    listener
        .batch_execute("LISTEN mindoo_changes")
        .await
        .unwrap();
    writer
        .batch_execute(r#"INSERT INTO other (id, data) VALUES ('p', '{}')"#)
        .await
        .unwrap();
    assert_eq!(next(&mut notifications).await, changes("other:2"));
}

#[tokio::test]
async fn only_the_tenants_listeners_hear_and_payloads_carry_no_content() {
    let server = TestServer::start();
    let admin = server.connect().await;
    admin
        .batch_execute("CREATE DATABASE elsewhere")
        .await
        .unwrap();
    let (listener, mut notifications) = server.connect_listening().await;
    listener
        .batch_execute("LISTEN mindoo_changes")
        .await
        .unwrap();

    let mut config = server.config(crate::support::USER, crate::support::PASSWORD, "elsewhere");
    config.ssl_mode(tokio_postgres::config::SslMode::Disable);
    let (other, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let token: String = other
        .query_one("SELECT mindoo.create_key('default')", &[])
        .await
        .unwrap()
        .get(0);
    other
        .batch_execute(&format!(
            r#"SET mindoo.keys = '{token}'; CREATE TABLE secret ();
               INSERT INTO secret (id, data) VALUES ('x', '{{"pin":1234}}')"#
        ))
        .await
        .unwrap();

    let token: String = admin
        .query_one("SELECT mindoo.create_key('default')", &[])
        .await
        .unwrap()
        .get(0);
    admin
        .batch_execute(&format!(
            r#"SET mindoo.keys = '{token}'; CREATE TABLE mine ();
               INSERT INTO mine (id, data) VALUES ('doc-7', '{{"pin":1234}}')"#
        ))
        .await
        .unwrap();
    // The other tenant's commit came first and was not announced here.
    let (channel, payload) = next(&mut notifications).await;
    assert_eq!(
        (channel.as_str(), payload.as_str()),
        ("mindoo_changes", "mine:1")
    );
    assert!(!payload.contains("doc-7") && !payload.contains("1234"));
}

#[tokio::test]
async fn listeners_hear_only_of_tables_their_role_may_read() {
    let (server, alice, _token) = crate::support::keyed(&["secret", "shared"]).await;
    alice
        .batch_execute(&format!(
            "CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
             GRANT CONNECT ON DATABASE {} TO bob;
             GRANT SELECT ON shared TO bob",
            crate::support::USER
        ))
        .await
        .unwrap();
    let (bob, mut notifications) = server.connect_listening_as("bob", "bob-pw").await;
    bob.batch_execute("LISTEN mindoo_changes").await.unwrap();
    alice
        .batch_execute(
            r#"INSERT INTO secret (id, data) VALUES ('s', '{}');
               INSERT INTO shared (id, data) VALUES ('p', '{}')"#,
        )
        .await
        .unwrap();
    // The secret commit came first; bob hears of the shared one only.
    assert_eq!(next(&mut notifications).await, changes("shared:1"));
    alice
        .batch_execute("GRANT SELECT ON secret TO bob")
        .await
        .unwrap();
    alice
        .batch_execute(r#"INSERT INTO secret (id, data) VALUES ('t', '{}')"#)
        .await
        .unwrap();
    assert_eq!(next(&mut notifications).await, changes("secret:2"));
}
