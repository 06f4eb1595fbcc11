//! README's first session, typed into the real `psql` (installed by scripts/test.sh): every
//! statement succeeds and the results are the ones a person would expect.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::support::{PASSWORD, TestServer, USER};

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
    let mut psql = Command::new("psql")
        .args(["-X", "-v", "ON_ERROR_STOP=1", "-v"])
        .arg(format!("token={token}"))
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
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "psql failed:\n{stdout}\n{stderr}");
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
