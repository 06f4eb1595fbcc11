//! Authentication and login: SCRAM-SHA-256 against stored verifiers, and the SQLSTATEs a
//! refused connection gets (28P01 wrong password, 3D000 unknown database, 42501 not granted,
//! 28000 role without LOGIN).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mindoodb_storage::{RoleRecord, Store, StoreConfig};
use pgwire::api::auth::sasl::scram::{ScramSecret, gen_salted_password};
use tempfile::TempDir;
use tokio_postgres::error::SqlState;

use crate::support::{Options, PASSWORD, TestServer, USER, expect_err};

#[tokio::test]
async fn scram_login_runs_queries_in_both_protocols() {
    let server = TestServer::start();
    let client = server.connect().await;
    let rows = client
        .simple_query("SELECT 1")
        .await
        .expect("simple SELECT 1");
    let values: Vec<_> = rows
        .iter()
        .filter_map(|msg| match msg {
            tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
            _ => None,
        })
        .collect();
    assert_eq!(values, ["1"]);
    let row = client
        .query_one("SELECT 1", &[])
        .await
        .expect("extended SELECT 1");
    let one = match *row.columns()[0].type_() {
        tokio_postgres::types::Type::INT8 => row.get::<_, i64>(0),
        tokio_postgres::types::Type::INT4 => i64::from(row.get::<_, i32>(0)),
        ref other => panic!("SELECT 1 described as {other}"),
    };
    assert_eq!(one, 1);
    assert!(server.output().contains("connection authorized"));
}

#[tokio::test]
async fn wrong_password_is_28p01() {
    let server = TestServer::start();
    let err = expect_err(
        server.connect_as(USER, "not the password", USER).await,
        "login with a wrong password must fail",
    );
    assert_eq!(err.code(), Some(&SqlState::INVALID_PASSWORD), "{err}");
    // Unknown roles fail the same way, without saying whether the role exists.
    let err = expect_err(
        server.connect_as("nobody", PASSWORD, USER).await,
        "login as an unknown role must fail",
    );
    assert_eq!(err.code(), Some(&SqlState::INVALID_PASSWORD), "{err}");
    // The server is still serving.
    server.connect().await;
}

#[tokio::test]
async fn unknown_database_is_3d000() {
    let server = TestServer::start();
    let err = expect_err(
        server.connect_as(USER, PASSWORD, "nosuchdb").await,
        "connecting to a missing database must fail",
    );
    assert_eq!(err.code(), Some(&SqlState::INVALID_CATALOG_NAME), "{err}");
}

#[tokio::test]
async fn role_without_grant_is_42501_and_without_login_28000() {
    let data_dir = TempDir::new().expect("temp dir");
    {
        let store = Store::open(
            data_dir.path(),
            &StoreConfig {
                cache_bytes: 8 << 20,
            },
        )
        .expect("open store");
        for (name, login) in [("bob", true), ("carol", false)] {
            store
                .create_role(&RoleRecord {
                    name: name.into(),
                    auth: verifier("secret"),
                    login,
                    superuser: false,
                    inherit: true,
                    member_of: Vec::new(),
                    created: 0,
                })
                .expect("create role");
        }
        store.create_tenant("acme").expect("create tenant acme");
        store.create_tenant("bobs").expect("create tenant bobs");
        store.grant("bob", "bobs").expect("grant");
        store.grant("carol", "bobs").expect("grant");
    }
    let server = TestServer::start_in(data_dir, Options::default());

    let bob = server
        .connect_as("bob", "secret", "bobs")
        .await
        .expect("bob may use bobs");
    bob.simple_query("SELECT 1")
        .await
        .expect("bob runs a query");

    let err = expect_err(
        server.connect_as("bob", "secret", "acme").await,
        "bob was not granted acme",
    );
    assert_eq!(err.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{err}");

    let err = expect_err(
        server.connect_as("carol", "secret", "bobs").await,
        "carol has no LOGIN",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
        "{err}"
    );
}

#[tokio::test]
async fn a_nologin_role_made_in_sql_is_refused_until_it_gets_login() {
    let server = TestServer::start();
    let admin = server.connect().await;
    admin
        .batch_execute(
            "CREATE ROLE dave PASSWORD 'dave secret'; GRANT CONNECT ON DATABASE alice TO dave",
        )
        .await
        .expect("a role without LOGIN, granted the database");
    let err = expect_err(
        server.connect_as("dave", "dave secret", USER).await,
        "dave has no LOGIN",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
        "{err}"
    );
    let message = err.as_db_error().map(|e| e.message().to_owned());
    assert_eq!(
        message.as_deref(),
        Some("role \"dave\" is not permitted to log in")
    );
    admin
        .batch_execute("ALTER ROLE dave LOGIN")
        .await
        .expect("grant LOGIN");
    let dave = server
        .connect_as("dave", "dave secret", USER)
        .await
        .expect("dave may log in now");
    dave.simple_query("SELECT 1").await.expect("dave queries");
    admin
        .batch_execute("ALTER ROLE dave NOLOGIN")
        .await
        .expect("take LOGIN away");
    let err = expect_err(
        server.connect_as("dave", "dave secret", USER).await,
        "dave lost LOGIN",
    );
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_AUTHORIZATION_SPECIFICATION),
        "{err}"
    );
}

/// A Postgres-format SCRAM-SHA-256 verifier, as `CREATE ROLE ... PASSWORD` stores it.
fn verifier(password: &str) -> Vec<u8> {
    let salt = b"fixed test salt!".to_vec();
    let salted = gen_salted_password(password, &salt, 4096);
    match ScramSecret::verifier_from_salted_password(salt, salted, 4096) {
        ScramSecret::Verifier {
            salt,
            iterations,
            stored_key,
            server_key,
        } => format!(
            "SCRAM-SHA-256${iterations}:{}${}:{}",
            STANDARD.encode(salt),
            STANDARD.encode(stored_key),
            STANDARD.encode(server_key)
        )
        .into_bytes(),
        ScramSecret::SaltedPassword { .. } => unreachable!("asked for a verifier"),
    }
}
