//! The point-read fast path (issue 8, W3): `SELECT <columns> FROM <table> WHERE id = $1` (or a
//! literal) skips DataFusion's execution, and gives exactly what the general path gives.
//! Each shape is run twice, once as is and once with `AND true` added, which the fast path does
//! not take; rows, column names, column types and binary values must be identical, for live,
//! updated, deleted, missing and foreign-key documents, inside a transaction with pending
//! writes, from another tenant, and under parameter errors. The `mindoodb_point_reads_total`
//! counter shows which statements took the fast path.

use tokio_postgres::types::{FromSql, ToSql, Type};
use tokio_postgres::{Client, Row};

use crate::support::{PASSWORD, TestServer, USER, metric, one, scrape};

/// A value in its binary wire form, whatever its type.
#[derive(Debug, PartialEq)]
struct Raw(Vec<u8>);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Raw, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw.to_vec()))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A jsonb value in binary form: version 1, then the text.
fn jsonb(text: &str) -> Raw {
    Raw([&[1u8][..], text.as_bytes()].concat())
}

/// What a statement returned: column names and types, then every value.
#[derive(Debug, PartialEq)]
struct Answer {
    columns: Vec<(String, Type)>,
    rows: Vec<Vec<Option<Raw>>>,
}

fn answer(columns: &[tokio_postgres::Column], rows: &[Row]) -> Answer {
    Answer {
        columns: columns
            .iter()
            .map(|c| (c.name().to_owned(), c.type_().clone()))
            .collect(),
        rows: rows
            .iter()
            .map(|row| (0..row.len()).map(|i| row.get(i)).collect())
            .collect(),
    }
}

/// The prepared statement's answer to `params`, or the error's SQLSTATE.
async fn run(
    client: &Client,
    sql: &str,
    types: &[Type],
    params: &[&(dyn ToSql + Sync)],
) -> Result<Answer, String> {
    let stmt = client
        .prepare_typed(sql, types)
        .await
        .map_err(|e| format!("{:?}", e.code()))?;
    let rows = client
        .query(&stmt, params)
        .await
        .map_err(|e| format!("{:?}", e.code()))?;
    Ok(answer(stmt.columns(), &rows))
}

/// Point reads counted so far.
async fn point_reads(addr: &str) -> u64 {
    let addr = addr.to_owned();
    let (_, body) = tokio::task::spawn_blocking(move || scrape(&addr))
        .await
        .unwrap();
    metric(&body, "mindoodb_point_reads_total")
}

/// Runs `sql` (whose WHERE ends the statement) and the same with `AND true`, checks both agree
/// and that exactly the first took the fast path; returns the answer.
async fn same(
    client: &Client,
    addr: &str,
    sql: &str,
    types: &[Type],
    params: &[&(dyn ToSql + Sync)],
) -> Result<Answer, String> {
    compare(client, addr, sql, types, params, 1).await
}

/// `same`, for statements of which `fast` (0 or 1) take the fast path.
async fn compare(
    client: &Client,
    addr: &str,
    sql: &str,
    types: &[Type],
    params: &[&(dyn ToSql + Sync)],
    fast: u64,
) -> Result<Answer, String> {
    let general = run(client, &format!("{sql} AND true"), types, params).await;
    let before = point_reads(addr).await;
    let answer = run(client, sql, types, params).await;
    let taken = point_reads(addr).await - before;
    assert_eq!(answer, general, "{sql} with {params:?}");
    if answer.is_ok() {
        assert_eq!(taken, fast, "{sql} with {params:?}: fast path taken");
    }
    answer
}

const SHAPES: [&str; 6] = [
    "SELECT data FROM crm WHERE id = $1",
    "SELECT * FROM crm WHERE id = $1",
    "SELECT id, rev, seq, key_id, author, created_at, updated_at FROM crm WHERE id = $1",
    r#"SELECT updated_at AS "When", data AS d, id FROM crm WHERE $1 = id"#,
    "SELECT c.id, c.data FROM crm AS c WHERE c.id = $1",
    "SELECT public.crm.data FROM public.crm WHERE crm.id = $1",
];

/// A server with metrics, its metrics address, a session holding key `default`, that key's
/// token, and the documents of `fill`.
async fn filled() -> (TestServer, String, Client, String) {
    let (server, addr) = TestServer::with_metrics();
    let client = server.connect().await;
    let default = one(&client, "SELECT mindoo.create_key('default')").await;
    client
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();
    fill(&client, &default).await;
    (server, addr, client, default)
}

/// Documents: `a` live, `b` updated, `c` deleted, `h` under a key the reader may lack.
async fn fill(client: &Client, default: &str) {
    let hr = one(client, "SELECT mindoo.create_key('hr')").await;
    client
        .batch_execute(&format!(
            r#"SET mindoo.keys = '{default},{hr}';
               CREATE TABLE crm ();
               INSERT INTO crm (id, data) VALUES ('a', '{{"n":1,"s":"é ☃"}}');
               INSERT INTO crm (id, data) VALUES ('b', '{{"n":2}}');
               UPDATE crm SET data = '{{"n":22,"t":[1,2]}}' WHERE id = 'b';
               INSERT INTO crm (id, data) VALUES ('c', '{{"n":3}}');
               DELETE FROM crm WHERE id = 'c';
               INSERT INTO crm (id, data, key_id) VALUES ('h', '{{"n":4}}', 'hr')"#
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn point_reads_answer_exactly_as_the_general_path() {
    let (_server, addr, client, _) = filled().await;

    for sql in SHAPES {
        for id in ["a", "b", "c", "h", "missing", ""] {
            // An empty id is no valid document id: the general path answers it.
            let fast = u64::from(!id.is_empty());
            let got = compare(&client, &addr, sql, &[], &[&id], fast).await;
            let n = got.map(|a| a.rows.len()).unwrap();
            let want = usize::from(matches!(id, "a" | "b" | "h"));
            assert_eq!(n, want, "{sql} with {id}");
        }
    }
    let b = same(&client, &addr, SHAPES[0], &[], &[&"b"]).await.unwrap();
    assert_eq!(b.rows[0][0], Some(jsonb(r#"{"n": 22, "t": [1, 2]}"#)));

    // Literals, in the extended protocol without parameters and in the simple one.
    same(&client, &addr, "SELECT * FROM crm WHERE id = 'a'", &[], &[])
        .await
        .unwrap();
    let before = point_reads(&addr).await;
    let simple = client
        .simple_query("SELECT data->>'n' AS n FROM crm WHERE id = 'a' AND true; SELECT data, seq FROM crm WHERE id = 'a'")
        .await
        .unwrap();
    assert_eq!(point_reads(&addr).await - before, 1);
    let rows: Vec<_> = simple
        .iter()
        .filter_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_owned)),
            _ => None,
        })
        .collect();
    assert_eq!(
        rows,
        [
            Some("1".to_owned()),
            Some(r#"{"n": 1, "s": "é ☃"}"#.to_owned())
        ]
    );

    // A parameter declared as another type is bound as the general path binds it.
    client
        .batch_execute(r#"INSERT INTO crm (id, data) VALUES ('7', '{"n":7}')"#)
        .await
        .unwrap();
    let seven = same(&client, &addr, SHAPES[1], &[Type::INT8], &[&7i64]).await;
    assert_eq!(seven.unwrap().rows.len(), 1);
    let missing = same(&client, &addr, SHAPES[1], &[Type::INT4], &[&8i32]).await;
    assert_eq!(missing.unwrap().rows.len(), 0);
    let not_text = same(
        &client,
        &addr,
        SHAPES[0],
        &[Type::BYTEA],
        &[&vec![0xffu8, 0xfe]],
    )
    .await;
    assert!(not_text.is_err_and(|code| code != "None"), "a SQLSTATE");

    // Shapes the fast path leaves alone still answer, through DataFusion.
    client
        .batch_execute("CREATE VIEW crm_v AS SELECT * FROM crm")
        .await
        .unwrap();
    let before = point_reads(&addr).await;
    for sql in [
        "SELECT data FROM crm_v WHERE id = $1",
        "SELECT data->>'n' FROM crm WHERE id = $1",
        "SELECT data FROM (SELECT * FROM crm) AS s WHERE id = $1",
        "SELECT data FROM crm WHERE id = $1 LIMIT 1",
        "SELECT data FROM mindoo.history('crm', $1)",
    ] {
        let got = run(&client, sql, &[], &[&"b"]).await.unwrap();
        assert!(!got.rows.is_empty(), "{sql}");
    }
    assert_eq!(point_reads(&addr).await, before, "none took the fast path");
}

#[tokio::test]
async fn point_reads_honour_keys_pending_writes_and_tenants() {
    let (server, addr, client, default) = filled().await;

    // Another session with only `default`, and one with no key at all.
    let reader = server.connect().await;
    reader
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();
    let keyless = server.connect().await;
    for (who, session) in [("default only", &reader), ("no key", &keyless)] {
        for sql in SHAPES {
            for id in ["a", "h"] {
                let got = same(session, &addr, sql, &[], &[&id]).await;
                let n = got.map(|a| a.rows.len()).unwrap_or(usize::MAX);
                let want = usize::from(id == "a" && who == "default only");
                assert_eq!(n, want, "{who}: {sql} with {id}");
            }
        }
    }

    // Pending writes of the session stand in for stored documents; others do not see them.
    client
        .batch_execute(
            r#"BEGIN;
               UPDATE crm SET data = '{"n":100}' WHERE id = 'a';
               DELETE FROM crm WHERE id = 'b';
               INSERT INTO crm (id, data) VALUES ('z', '{"n":26}')"#,
        )
        .await
        .unwrap();
    for sql in SHAPES {
        for (id, want) in [("a", 1), ("b", 0), ("z", 1), ("c", 0)] {
            let got = same(&client, &addr, sql, &[], &[&id]).await.unwrap();
            assert_eq!(got.rows.len(), want, "in the block: {sql} with {id}");
            let other = same(&reader, &addr, sql, &[], &[&id]).await.unwrap();
            let stored = usize::from(matches!(id, "a" | "b"));
            assert_eq!(other.rows.len(), stored, "outside it: {sql} with {id}");
        }
    }
    let a = same(&client, &addr, SHAPES[0], &[], &[&"a"]).await.unwrap();
    assert_eq!(a.rows[0][0], Some(jsonb(r#"{"n": 100}"#)));
    client.batch_execute("ROLLBACK").await.unwrap();
    let a = same(&client, &addr, SHAPES[0], &[], &[&"a"]).await.unwrap();
    assert_eq!(a.rows[0][0], Some(jsonb(r#"{"n": 1, "s": "é ☃"}"#)));

    // Another tenant has its own `crm`, empty, and no `crm` at all before that.
    client.batch_execute("CREATE DATABASE other").await.unwrap();
    let tenant = server.connect_as(USER, PASSWORD, "other").await.unwrap();
    let missing = same(&tenant, &addr, SHAPES[0], &[], &[&"a"]).await;
    assert_eq!(
        missing,
        Err(format!(
            "{:?}",
            Some(tokio_postgres::error::SqlState::UNDEFINED_TABLE)
        ))
    );
    let key = one(&tenant, "SELECT mindoo.create_key('default')").await;
    tenant
        .batch_execute(&format!("SET mindoo.keys = '{key}'; CREATE TABLE crm ()"))
        .await
        .unwrap();
    for sql in SHAPES {
        let got = same(&tenant, &addr, sql, &[], &[&"a"]).await.unwrap();
        assert!(got.rows.is_empty(), "other tenant: {sql}");
    }
}
