//! Identifiers fold as in Postgres in every statement (issue 17, `catalog/names.rs`): unquoted
//! names fold to lower case, quoted names are exact, so `"Crm"` and `crm` are two tables;
//! quoted column names (`"id"`, `"data"`) name the document columns in INSERT, UPDATE,
//! RETURNING and COPY; table-name arguments of `mindoo.*` read like `regclass` input.

use std::io::Cursor;

use futures::{SinkExt, TryStreamExt, pin_mut};
use tokio_postgres::error::SqlState;

use crate::support::{code, column, keyed, one};

#[tokio::test]
async fn quoted_and_mixed_case_names_work_in_every_statement() {
    let (_server, client, _token) = keyed(&[]).await;
    client
        .batch_execute(
            r#"
            CREATE TABLE "Crm" ();
            CREATE TABLE crm ();
            INSERT INTO "Crm" ("id", "data") VALUES ('q1', '{"n": 1}');
            INSERT INTO CRM (ID, DATA) VALUES ('u1', '{"n": 2}');
            INSERT INTO public."Crm" (id, data, "key_id") VALUES ('q2', '{"n": 3}', 'default');
            "#,
        )
        .await
        .unwrap();
    // Two tables: the quoted name is exact, the unquoted ones fold to `crm`.
    assert_eq!(
        column(&client, r#"SELECT "id" FROM "Crm" ORDER BY 1"#).await,
        [Some("q1".into()), Some("q2".into())]
    );
    assert_eq!(one(&client, "SELECT Id FROM Crm").await, "u1");
    assert_eq!(
        code(&client, "SELECT * FROM \"CRM\"").await,
        SqlState::UNDEFINED_TABLE
    );
    // UPDATE and DELETE with quoted targets and RETURNING; a column alias folds too.
    assert_eq!(
        one(
            &client,
            r#"UPDATE "Crm" SET "data" = "data" || '{"m": 1}' WHERE "id" = 'q1' RETURNING "id" AS Moved"#
        )
        .await,
        "q1"
    );
    let rows = client
        .query(
            r#"SELECT "data"->>'m' AS M FROM "Crm" WHERE id = $1"#,
            &[&"q1"],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].columns()[0].name(), "m");
    assert_eq!(rows[0].get::<_, String>(0), "1");
    // COPY both ways with quoted names.
    let sink = client
        .copy_in(r#"COPY "Crm" ("id", "data") FROM STDIN"#)
        .await
        .unwrap();
    pin_mut!(sink);
    sink.send(Cursor::new(b"q3\t{\"n\": 4}\n".to_vec()))
        .await
        .unwrap();
    assert_eq!(sink.finish().await.unwrap(), 1);
    let out: Vec<_> = client
        .copy_out(r#"COPY "Crm" ("id") TO STDOUT"#)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let out: String = out.iter().map(|c| String::from_utf8_lossy(c)).collect();
    assert_eq!(out, "q1\nq2\nq3\n");
    // A view over both, with a quoted, mixed-case name; DROP names it the same way.
    client
        .batch_execute(
            r#"CREATE VIEW "All Docs" AS SELECT id FROM "Crm" UNION ALL SELECT id FROM crm"#,
        )
        .await
        .unwrap();
    assert_eq!(
        one(&client, r#"SELECT count(*) FROM "All Docs""#).await,
        "4"
    );
    assert_eq!(
        code(&client, "SELECT count(*) FROM all_docs").await,
        SqlState::UNDEFINED_TABLE
    );
    // Table arguments read like regclass input: quoted text is exact.
    assert_eq!(
        one(
            &client,
            r#"SELECT count(*) FROM mindoo.changes('"Crm"', 0)"#
        )
        .await,
        "3"
    );
    assert_eq!(
        one(&client, "SELECT count(*) FROM mindoo.changes('CRM', 0)").await,
        "1"
    );
    client
        .batch_execute(r#"DROP VIEW "All Docs"; DROP TABLE "Crm""#)
        .await
        .unwrap();
    assert_eq!(one(&client, "SELECT count(*) FROM crm").await, "1");
}

#[tokio::test]
async fn generated_and_unknown_columns_are_refused_by_name() {
    let (_server, client, _token) = keyed(&["docs"]).await;
    assert_eq!(
        code(
            &client,
            r#"INSERT INTO docs ("seq", data) VALUES (1, '{}')"#
        )
        .await,
        SqlState::FEATURE_NOT_SUPPORTED
    );
    assert_eq!(
        code(&client, r#"INSERT INTO docs ("Data") VALUES ('{}')"#).await,
        SqlState::UNDEFINED_COLUMN
    );
    assert_eq!(
        code(&client, "UPDATE docs SET nosuch = '{}'").await,
        SqlState::UNDEFINED_COLUMN
    );
}
