//! README's first session, typed into the real `psql` (installed by scripts/test.sh): every
//! statement succeeds and the results are the ones a person would expect; a stored view as
//! psql's `\dv` and `\d` and the catalog show it, before and after a restart; and grants as
//! `\dp`, `\z` and `\ddp` print them, byte for byte what they print against PostgreSQL 15.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::support::{PASSWORD, TestServer, USER, column, one};

/// Runs `script` in psql against `server` (stopping at the first error) with `vars` set;
/// returns stdout and stderr.
fn psql(server: &TestServer, vars: &[(&str, &str)], script: &str) -> (String, String) {
    let mut command = Command::new("psql");
    command.args(["-X", "-v", "ON_ERROR_STOP=1"]);
    for (name, value) in vars {
        command.arg("-v").arg(format!("{name}={value}"));
    }
    let mut psql = command
        .arg(format!(
            "host=127.0.0.1 port={} user={USER} dbname={USER} sslmode=disable",
            server.addr.port()
        ))
        .env("PGPASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("psql is installed (scripts/test.sh installs postgresql-client)");
    psql.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = psql.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "psql failed:\n{stdout}\n{stderr}");
    (stdout, stderr)
}

#[tokio::test]
async fn the_readme_session_runs_in_psql() {
    let server = TestServer::start();
    // The token is created first, then handed to the script as a psql variable, as a person
    // would copy it from the first query's output.
    let client = server.connect().await;
    let token = match &client
        .simple_query("SELECT mindoo.create_key('default')")
        .await
        .unwrap()[..]
    {
        [
            tokio_postgres::SimpleQueryMessage::RowDescription(_),
            tokio_postgres::SimpleQueryMessage::Row(row),
            ..,
        ] => row.get(0).unwrap().to_owned(),
        other => panic!("unexpected reply {other:?}"),
    };
    let script = r#"
SET mindoo.keys = :'token';
CREATE TABLE crm2025 ();
CREATE TABLE crm2026 ();
INSERT INTO crm2025 (id, data) VALUES ('acme', '{"type":"customer","name":"ACME","revenue":10}') RETURNING id;
INSERT INTO crm2026 (data) VALUES ('{"type":"customer","name":"Globex","revenue":7}');
SELECT id, data->>'name' AS name FROM crm2025 WHERE data->>'type' = 'customer';
UPDATE crm2025 SET data = data || '{"revenue":20}' WHERE id = 'acme';
SELECT data->>'type' AS type, sum((data->>'revenue')::int) AS revenue FROM crm2025 GROUP BY 1;
DELETE FROM crm2025 WHERE id = 'acme';
SELECT count(*) AS left_over FROM crm2025;
"#;
    let (stdout, stderr) = psql(&server, &[("token", &token)], script);
    for expected in [
        "SET",
        "CREATE TABLE",
        "INSERT 0 1",
        "ACME",
        "UPDATE 1",
        "DELETE 1",
        "left_over",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    let sum_line = stdout
        .lines()
        .find(|l| l.contains("customer") && l.contains('|'))
        .unwrap_or_default();
    assert!(
        sum_line.trim_end().ends_with("20"),
        "revenue sum line: {sum_line:?}"
    );
    assert!(
        !stdout.contains(&token) && !stderr.contains(&token),
        "psql echoed the key"
    );
}

#[tokio::test]
async fn a_stored_view_is_in_psql_dv_and_the_catalog_and_survives_a_restart() {
    let server = TestServer::start();
    let client = server.connect().await;
    client
        .batch_execute(
            "CREATE TABLE crm2025 (); CREATE TABLE crm2026 ();
             CREATE VIEW crm AS SELECT id, data FROM crm2025 UNION ALL SELECT id, data FROM crm2026",
        )
        .await
        .unwrap();
    drop(client);
    let server = server.restart();

    let (stdout, _) = psql(&server, &[], "\\dv\n\\dt\n\\d crm\n");
    for expected in [
        " public | crm  | view | alice",
        " public | crm2025 | table | alice",
        "View \"public.crm\"",
        " id     | text  |           |          | ",
        " data   | jsonb |           |          | ",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(
        !stdout
            .lines()
            .any(|l| l.contains("| crm ") && l.contains("| table")),
        "\\dt lists tables only:\n{stdout}"
    );

    let client = server.connect().await;
    let oid = one(&client, "SELECT oid FROM pg_class WHERE relname = 'crm'").await;
    assert_eq!(
        one(
            &client,
            "SELECT relkind FROM pg_class WHERE relname = 'crm'"
        )
        .await,
        "v"
    );
    assert_eq!(one(&client, "SELECT 'crm'::regclass::oid").await, oid);
    assert_eq!(
        one(
            &client,
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'crm'"
        )
        .await,
        "VIEW"
    );
    assert_eq!(
        column(
            &client,
            &format!("SELECT attname FROM pg_attribute WHERE attrelid = {oid} ORDER BY attnum")
        )
        .await,
        [Some("id".to_owned()), Some("data".to_owned())]
    );
    assert_eq!(
        one(
            &client,
            "SELECT definition FROM pg_views WHERE viewname = 'crm'"
        )
        .await,
        one(
            &client,
            "SELECT view_definition FROM information_schema.views WHERE table_name = 'crm'"
        )
        .await
    );

    client.batch_execute("DROP VIEW crm").await.unwrap();
    assert_eq!(
        one(
            &client,
            "SELECT count(*) FROM pg_class WHERE relname = 'crm'"
        )
        .await,
        "0"
    );
}

/// What psql 15 prints for `\dp`, `\z crm` and `\ddp` against PostgreSQL 15.18 after the
/// statements of `grants_print_in_psql_as_in_postgres`. (`\ddp` sorts a list by role OID:
/// PostgreSQL's count up as roles are created, MindooDB's derive from names, so the test's
/// default privileges name two roles that sort alike in both.)
const DP_EXPECTED: &str = r#"                               Access privileges
 Schema |  Name   | Type  |  Access privileges  | Column privileges | Policies 
--------+---------+-------+---------------------+-------------------+----------
 public | crm     | view  | alice=arwdDxt/alice+|                   | 
        |         |       | =ar/alice           |                   | 
 public | crm2025 | table | alice=arwdDxt/alice+|                   | 
        |         |       | reader=rw*/alice    |                   | 
(2 rows)

                             Access privileges
 Schema | Name | Type |  Access privileges  | Column privileges | Policies 
--------+------+------+---------------------+-------------------+----------
 public | crm  | view | alice=arwdDxt/alice+|                   | 
        |      |      | =ar/alice           |                   | 
(1 row)

            Default access privileges
 Owner  | Schema | Type  |   Access privileges   
--------+--------+-------+-----------------------
 writer |        | table | reader=r/writer      +
        |        |       | writer=arwdDxt/writer
(1 row)

"#;

#[tokio::test]
async fn grants_print_in_psql_as_in_postgres() {
    let server = TestServer::start();
    let client = server.connect().await;
    client
        .batch_execute(
            "CREATE TABLE crm2025 ();
             CREATE VIEW crm AS SELECT id, data FROM crm2025;
             CREATE ROLE reader;
             CREATE ROLE writer;
             GRANT SELECT ON crm2025 TO reader;
             GRANT SELECT, INSERT ON crm TO PUBLIC;
             GRANT UPDATE ON crm2025 TO reader WITH GRANT OPTION;
             ALTER DEFAULT PRIVILEGES FOR ROLE writer GRANT SELECT ON TABLES TO reader",
        )
        .await
        .unwrap();
    let (stdout, stderr) = psql(&server, &[], "\\dp\n\\z crm\n\\ddp\n");
    assert_eq!(stdout, DP_EXPECTED, "stderr: {stderr}");
}
