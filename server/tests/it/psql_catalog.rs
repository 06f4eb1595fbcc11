//! Replays the exact catalog queries psql 15 sends for `\d`, `\dt`, `\l`, `\dn`, `\du` and
//! `\d crm2025` (issue 5), captured with `psql -E` (psql 15.18) against PostgreSQL 15.18,
//! and checks the answers psql would print: real `pg_catalog` rows derived from MindooDB's
//! catalog, not canned replies.
//!
//! The captured text lives in `psql15/*.sql`, one query per `-- next query` section; the
//! `\d crm2025` queries name the table by the OID PostgreSQL gave it (16384), replaced here
//! by the OID MindooDB reports, as psql itself does.

use tokio_postgres::{Client, SimpleQueryMessage};

use crate::support::TestServer;

/// Rows of one simple query, as text (NULL as `None`), with the column names.
struct Answer {
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

async fn ask(client: &Client, sql: &str) -> Answer {
    let messages = client
        .simple_query(sql)
        .await
        .unwrap_or_else(|e| panic!("psql's query failed: {e:?}\n{sql}"));
    let mut answer = Answer {
        columns: Vec::new(),
        rows: Vec::new(),
    };
    for message in messages {
        match message {
            SimpleQueryMessage::RowDescription(columns) => {
                answer.columns = columns.iter().map(|c| c.name().to_owned()).collect();
            }
            SimpleQueryMessage::Row(row) => answer.rows.push(
                (0..row.len())
                    .map(|idx| row.get(idx).map(str::to_owned))
                    .collect(),
            ),
            _ => {}
        }
    }
    answer
}

fn queries(file: &str) -> Vec<String> {
    file.split("\n-- next query\n")
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty())
        .collect()
}

fn texts(row: &[Option<String>]) -> Vec<&str> {
    row.iter()
        .map(|c| c.as_deref().unwrap_or("<null>"))
        .collect()
}

async fn one(client: &Client, file: &str) -> Answer {
    let [query] = queries(file).try_into().expect("one query");
    ask(client, &query).await
}

#[tokio::test]
async fn psql_15_catalog_queries_answer_like_postgres() {
    let server = TestServer::start();
    let client = server.connect().await;
    client
        .batch_execute("CREATE TABLE crm2025 (); CREATE TABLE crm2026 () WITH (key = 'hr')")
        .await
        .unwrap();

    // \d and \dt: the document tables, owned by the role that created them.
    for file in [include_str!("psql15/d.sql"), include_str!("psql15/dt.sql")] {
        let answer = one(&client, file).await;
        assert_eq!(answer.columns, ["Schema", "Name", "Type", "Owner"]);
        let rows: Vec<Vec<&str>> = answer.rows.iter().map(|r| texts(r)).collect();
        assert_eq!(
            rows,
            [
                ["public", "crm2025", "table", "alice"],
                ["public", "crm2026", "table", "alice"],
            ]
        );
    }

    // \l: every tenant, UTF8, with the roles granted CONNECT.
    let answer = one(&client, include_str!("psql15/l.sql")).await;
    assert_eq!(answer.columns[0], "Name");
    assert_eq!(answer.rows.len(), 1);
    assert_eq!(
        texts(&answer.rows[0]),
        [
            "alice",
            "pg_database_owner",
            "UTF8",
            "C",
            "C",
            "<null>",
            "libc",
            "alice=c/pg_database_owner"
        ]
    );

    // \dn: the schemas a user sees (pg_* and information_schema are filtered by psql).
    let answer = one(&client, include_str!("psql15/dn.sql")).await;
    let names: Vec<&str> = answer.rows.iter().map(|r| texts(r)[0]).collect();
    assert_eq!(names, ["mindoo", "public"]);

    // \du: the roles, with their attributes and an empty membership array.
    let answer = one(&client, include_str!("psql15/du.sql")).await;
    assert_eq!(answer.rows.len(), 1, "pg_* roles are filtered");
    assert_eq!(
        texts(&answer.rows[0]),
        [
            "alice", "t", "t", "t", "t", "t", "-1", "<null>", "{}", "f", "f"
        ]
    );

    // \d crm2025: psql finds the OID, then asks nine more questions about it.
    let mut d_table = queries(include_str!("psql15/d_crm2025.sql")).into_iter();
    let lookup = ask(&client, &d_table.next().expect("lookup query")).await;
    assert_eq!(lookup.rows.len(), 1);
    let row = texts(&lookup.rows[0]);
    assert_eq!(&row[1..], ["public", "crm2025"]);
    let oid = row[0].to_owned();
    let answers: Vec<Answer> = {
        let mut out = Vec::new();
        for query in d_table {
            out.push(ask(&client, &query.replace("16384", &oid)).await);
        }
        out
    };
    assert_eq!(answers.len(), 8);
    // Table flags: relkind r, has an index, forced row security (rows need keys).
    let flags = texts(&answers[0].rows[0]);
    assert_eq!(flags[1], "r");
    assert_eq!(flags[2], "t");
    assert_eq!((flags[5], flags[6]), ("t", "t"));
    // Columns, typed as Postgres prints them.
    let columns: Vec<Vec<&str>> = answers[1].rows.iter().map(|r| texts(r)).collect();
    assert_eq!(
        columns
            .iter()
            .map(|c| (c[0], c[1], c[3]))
            .collect::<Vec<_>>(),
        [
            ("id", "text", "t"),
            ("data", "jsonb", "f"),
            ("rev", "text", "f"),
            ("seq", "bigint", "f"),
            ("key_id", "text", "t"),
            ("author", "text", "f"),
            ("created_at", "timestamp with time zone", "f"),
            ("updated_at", "timestamp with time zone", "f"),
        ]
    );
    assert!(columns.iter().all(|c| c[2] == "<null>" && c[4] == "<null>"));
    // The primary key on id.
    assert_eq!(answers[2].rows.len(), 1);
    let index = texts(&answers[2].rows[0]);
    assert_eq!(index[0], "crm2025_pkey");
    assert_eq!(
        index[5],
        "CREATE UNIQUE INDEX crm2025_pkey ON public.crm2025 USING btree (id)"
    );
    assert_eq!((index[6], index[7]), ("PRIMARY KEY (id)", "p"));
    // No policies, statistics, publications or inheritance: zero rows, right shapes.
    for answer in &answers[3..] {
        assert!(answer.rows.is_empty());
        assert!(!answer.columns.is_empty());
    }
}
