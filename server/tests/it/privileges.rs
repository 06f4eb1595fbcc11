//! Privileges inside a tenant (issue 19): a role that holds only CONNECT is refused every
//! write, DDL, `mindoo.*` call and read with 42501 and changes nothing; SELECT, INSERT and
//! the rest are granted and revoked as in PostgreSQL, through group roles and SET ROLE; views
//! read with their owner's privileges; ownership moves with ALTER TABLE ... OWNER TO; and the
//! catalog (`relacl`, `has_table_privilege`) tells the truth.

use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::support::{TestServer, USER, code, column, keyed, one};

/// alice's server with `ledger` holding two documents, and role `bob` (CONNECT only) logged
/// in with alice's key.
async fn ledger_and_bob() -> (TestServer, Client, Client) {
    let (server, alice, token) = keyed(&["ledger", "other"]).await;
    alice
        .batch_execute(&format!(
            r#"INSERT INTO ledger (id, data) VALUES ('a', '{{"n":1}}'), ('b', '{{"n":2}}');
               INSERT INTO other (id, data) VALUES ('o', '{{"n":3}}');
               CREATE VIEW ledger_view AS SELECT id FROM ledger;
               CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
               GRANT CONNECT ON DATABASE {USER} TO bob"#
        ))
        .await
        .unwrap();
    let bob = server.connect_as("bob", "bob-pw", USER).await.unwrap();
    bob.batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();
    (server, alice, bob)
}

/// What must not change when a refused role tries: the feed and the verification.
async fn fingerprint(alice: &Client) -> (Vec<Option<String>>, Vec<Option<String>>) {
    (
        column(
            alice,
            "SELECT seq::text || ' ' || id || ' ' || rev FROM mindoo.changes('ledger', 0) ORDER BY seq",
        )
        .await,
        column(alice, "SELECT ok::text FROM mindoo.verify('ledger')").await,
    )
}

#[tokio::test]
async fn a_connect_only_role_is_refused_everything_and_changes_nothing() {
    let (_server, alice, bob) = ledger_and_bob().await;
    let before = fingerprint(&alice).await;
    for sql in [
        "SELECT * FROM ledger",
        "SELECT count(*) FROM ledger_view",
        "SELECT * FROM ledger WHERE id = 'a'",
        "INSERT INTO ledger (data) VALUES ('{}')",
        "UPDATE ledger SET data = '{}'",
        "DELETE FROM ledger",
        "DELETE FROM ledger WHERE id = 'a'",
        "COPY ledger TO STDOUT",
        "DROP TABLE ledger",
        "DROP VIEW ledger_view",
        "ALTER TABLE ledger SET (read_only = true)",
        "ALTER TABLE ledger OWNER TO bob",
        "CREATE TABLE mine ()",
        "CREATE VIEW mine AS SELECT 1",
        "SELECT * FROM mindoo.changes('ledger', 0)",
        "SELECT * FROM mindoo.entries('ledger', 0)",
        "SELECT * FROM mindoo.history('ledger', 'a')",
        "SELECT * FROM mindoo.verify('ledger')",
        "SELECT * FROM mindoo.move('ledger', 'other', 'a')",
        "GRANT SELECT ON ledger TO bob",
    ] {
        assert_eq!(
            code(&bob, sql).await,
            SqlState::INSUFFICIENT_PRIVILEGE,
            "{sql}"
        );
    }
    // A prepared point read takes the same check.
    let err = bob
        .query("SELECT data::text FROM ledger WHERE id = $1", &[&"a"])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");
    let err = bob.simple_query("SELECT * FROM ledger").await.unwrap_err();
    assert_eq!(
        err.as_db_error().map(|e| e.message()),
        Some("permission denied for table ledger")
    );
    // Pattern functions list only what the role may read.
    assert!(
        column(&bob, "SELECT table_name FROM mindoo.tables('*')")
            .await
            .is_empty()
    );
    assert_eq!(fingerprint(&alice).await, before);
    assert_eq!(one(&alice, "SELECT count(*) FROM ledger").await, "2");
    // The connection stays usable.
    assert_eq!(one(&bob, "SELECT 1").await, "1");
}

#[tokio::test]
async fn select_only_reads_and_writes_need_their_own_grants() {
    let (_server, alice, bob) = ledger_and_bob().await;
    alice
        .batch_execute("GRANT SELECT ON ledger TO bob")
        .await
        .unwrap();
    assert_eq!(one(&bob, "SELECT count(*) FROM ledger").await, "2");
    assert_eq!(
        one(&bob, "SELECT count(*) FROM mindoo.changes('ledger', 0)").await,
        "2"
    );
    for sql in [
        "INSERT INTO ledger (data) VALUES ('{}')",
        "UPDATE ledger SET data = '{}' WHERE id = 'a'",
        "DELETE FROM ledger WHERE id = 'a'",
        "SELECT count(*) FROM ledger_view",
        "SELECT * FROM other",
    ] {
        assert_eq!(
            code(&bob, sql).await,
            SqlState::INSUFFICIENT_PRIVILEGE,
            "{sql}"
        );
    }
    alice
        .batch_execute(
            "GRANT INSERT, DELETE ON TABLE ledger TO bob; GRANT SELECT ON ledger_view TO bob",
        )
        .await
        .unwrap();
    bob.batch_execute(
        "INSERT INTO ledger (id, data) VALUES ('c', '{}'); DELETE FROM ledger WHERE id = 'c'",
    )
    .await
    .unwrap();
    assert_eq!(one(&bob, "SELECT count(*) FROM ledger_view").await, "2");
    // DELETE without SELECT: allowed without a WHERE, refused with one, as in PostgreSQL.
    alice
        .batch_execute("REVOKE SELECT ON ledger FROM bob")
        .await
        .unwrap();
    assert_eq!(
        code(&bob, "DELETE FROM ledger WHERE id = 'a'").await,
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    // The view still reads with alice's privileges.
    assert_eq!(one(&bob, "SELECT count(*) FROM ledger_view").await, "2");
    assert_eq!(
        column(
            &alice,
            "SELECT relacl FROM pg_class WHERE relname = 'ledger'"
        )
        .await,
        [Some("{alice=arwdDxt/alice,bob=ad/alice}".to_owned())]
    );
    assert_eq!(
        one(&bob, "SELECT has_table_privilege('ledger', 'INSERT')::text").await,
        "true"
    );
    assert_eq!(
        one(&bob, "SELECT has_table_privilege('ledger', 'SELECT')::text").await,
        "false"
    );
    assert_eq!(
        one(
            &alice,
            "SELECT has_table_privilege('bob', 'ledger', 'delete')::text"
        )
        .await,
        "true"
    );
    // A view reads with its owner's privileges even when a superuser reads it, as in
    // PostgreSQL: bob may not SELECT ledger, so neither may bob's view.
    alice
        .batch_execute(
            "CREATE VIEW bobs_view AS SELECT id FROM ledger; ALTER TABLE bobs_view OWNER TO bob",
        )
        .await
        .unwrap();
    assert_eq!(
        code(&alice, "SELECT * FROM bobs_view").await,
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    alice
        .batch_execute("GRANT SELECT ON ledger TO bob")
        .await
        .unwrap();
    assert_eq!(one(&alice, "SELECT count(*) FROM bobs_view").await, "2");
}

#[tokio::test]
async fn group_roles_set_role_grant_options_and_owners() {
    let (server, alice, bob) = ledger_and_bob().await;
    // CONNECT granted to a group admits its members, as in PostgreSQL.
    alice
        .batch_execute(
            "CREATE ROLE staff NOLOGIN; CREATE ROLE dora LOGIN PASSWORD 'dora-pw';
             GRANT staff TO dora",
        )
        .await
        .unwrap();
    let refused = server.connect_as("dora", "dora-pw", USER).await;
    assert!(refused.is_err(), "no CONNECT yet");
    alice
        .batch_execute(&format!("GRANT CONNECT ON DATABASE {USER} TO staff"))
        .await
        .unwrap();
    let dora = server.connect_as("dora", "dora-pw", USER).await.unwrap();
    assert_eq!(one(&dora, "SELECT current_user").await, "dora");
    alice
        .batch_execute(
            "CREATE ROLE readers NOLOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO readers;
             GRANT readers TO bob",
        )
        .await
        .unwrap();
    assert_eq!(one(&bob, "SELECT count(*) FROM other").await, "1");
    // SET ROLE to a role bob is not a member of is refused; to his group it works.
    assert_eq!(
        code(&bob, "SET ROLE alice").await,
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    bob.batch_execute("SET ROLE readers").await.unwrap();
    assert_eq!(one(&bob, "SELECT current_user").await, "readers");
    assert_eq!(one(&bob, "SELECT session_user").await, "bob");
    bob.batch_execute("RESET ROLE").await.unwrap();
    assert_eq!(one(&bob, "SELECT current_user").await, "bob");
    alice
        .batch_execute("REVOKE readers FROM bob")
        .await
        .unwrap();
    assert_eq!(
        code(&bob, "SELECT * FROM other").await,
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    // With GRANT OPTION bob may pass SELECT on; revoking his option needs CASCADE then.
    alice
        .batch_execute("GRANT SELECT ON other TO bob WITH GRANT OPTION; CREATE ROLE carol NOLOGIN")
        .await
        .unwrap();
    bob.batch_execute("GRANT SELECT ON other TO carol")
        .await
        .unwrap();
    assert_eq!(
        one(
            &alice,
            "SELECT has_table_privilege('carol', 'other', 'SELECT')::text"
        )
        .await,
        "true"
    );
    assert_eq!(
        code(&alice, "REVOKE SELECT ON other FROM bob").await,
        SqlState::DEPENDENT_OBJECTS_STILL_EXIST
    );
    alice
        .batch_execute("REVOKE SELECT ON other FROM bob CASCADE")
        .await
        .unwrap();
    assert_eq!(
        one(
            &alice,
            "SELECT has_table_privilege('carol', 'other', 'SELECT')::text"
        )
        .await,
        "false"
    );
    // CREATE on the schema lets bob create; the table is his to alter and drop, and he may
    // not give it to a role he is not a member of.
    alice
        .batch_execute("GRANT CREATE ON SCHEMA public TO bob")
        .await
        .unwrap();
    bob.batch_execute("CREATE TABLE bobs ()").await.unwrap();
    assert_eq!(
        one(
            &alice,
            "SELECT r.rolname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner \
             WHERE c.relname = 'bobs'"
        )
        .await,
        "bob"
    );
    assert_eq!(
        code(&bob, "ALTER TABLE bobs OWNER TO alice").await,
        SqlState::INSUFFICIENT_PRIVILEGE
    );
    alice
        .batch_execute("ALTER TABLE ledger OWNER TO bob")
        .await
        .unwrap();
    bob.batch_execute("ALTER TABLE ledger SET (read_only = true); DROP TABLE bobs")
        .await
        .unwrap();
    assert_eq!(
        code(&alice, "DROP ROLE bob").await,
        SqlState::DEPENDENT_OBJECTS_STILL_EXIST
    );
}
