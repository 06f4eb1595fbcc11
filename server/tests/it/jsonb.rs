//! PostgreSQL's jsonb end to end (docs/SQL.md, JSON): input validated and printed as
//! PostgreSQL 15 prints it, documents read back as PostgreSQL's jsonb text, the operators and
//! functions of chapter 9.16, casts from jsonb, and PostgreSQL's SQLSTATEs for bad input with
//! the session still usable. Expected values are a real PostgreSQL 15's answers.

use tokio_postgres::error::SqlState;

use crate::support::{code, keyed, one};

#[tokio::test]
async fn jsonb_input_and_output_are_postgres() {
    let (_server, client, _token) = keyed(&[]).await;
    for (sql, expected) in [
        (
            r#"SELECT '{"fragile": true, "gift": false}'::jsonb"#,
            r#"{"gift": false, "fragile": true}"#,
        ),
        (
            r#"SELECT '{"a": 1, "b": 0, "a": {"x": 1}}'::jsonb"#,
            r#"{"a": {"x": 1}, "b": 0}"#,
        ),
        (
            r#"SELECT '[1.50, 12.500, -0, 1e3]'::jsonb"#,
            "[1.50, 12.500, 0, 1000]",
        ),
        (r#"SELECT '"\u00fc"'::jsonb"#, r#""ü""#),
        (
            r#"SELECT jsonb '{"b": 1,   "a": 2}'"#,
            r#"{"a": 2, "b": 1}"#,
        ),
        (r#"SELECT '{"a": 1}'::jsonb::text"#, r#"{"a": 1}"#),
    ] {
        assert_eq!(one(&client, sql).await, expected, "{sql}");
    }
    for bad in [
        "SELECT '01'::jsonb",
        "SELECT '[1,2,]'::jsonb",
        "SELECT ''::jsonb",
        r#"SELECT '"\u0000"'::jsonb"#,
    ] {
        let state = code(&client, bad).await;
        assert!(
            state == SqlState::INVALID_TEXT_REPRESENTATION
                || state == SqlState::UNTRANSLATABLE_CHARACTER,
            "{bad}: {state:?}"
        );
    }
    let err = client
        .simple_query("SELECT '01'::jsonb")
        .await
        .expect_err("01 is not JSON");
    let db = err.as_db_error().expect("a server error");
    assert_eq!(db.message(), "invalid input syntax for type json");
    assert_eq!(db.detail(), Some("Token \"01\" is invalid."));
    assert_eq!(
        one(&client, "SELECT 1").await,
        "1",
        "the session stays usable"
    );
}

#[tokio::test]
async fn documents_come_back_as_postgres_jsonb_text() {
    let (_server, client, _token) = keyed(&["docs"]).await;
    client
        .batch_execute(
            r#"INSERT INTO docs (id, data) VALUES ('a', '{"zeta": 1.50, "b": [1e2, "x"], "a": null}')"#,
        )
        .await
        .unwrap();
    let expected = r#"{"a": null, "b": [100, "x"], "zeta": 1.50}"#;
    assert_eq!(one(&client, "SELECT data FROM docs").await, expected);
    assert_eq!(one(&client, "SELECT data::text FROM docs").await, expected);
    assert_eq!(
        one(&client, r#"SELECT data -> 'zeta' FROM docs"#).await,
        "1.50"
    );
    let bad = r#"INSERT INTO docs (id, data) VALUES ('b', '{"a": 01}')"#;
    assert_eq!(
        code(&client, bad).await,
        SqlState::INVALID_TEXT_REPRESENTATION
    );
    assert_eq!(one(&client, "SELECT count(*) FROM docs").await, "1");
}

#[tokio::test]
async fn jsonb_operators_and_functions_answer_as_postgres() {
    let (_server, client, _token) = keyed(&[]).await;
    for (sql, expected) in [
        (r#"SELECT '{"a": 1, "b": 2}'::jsonb ?| '{b,c}'"#, "t"),
        (r#"SELECT '{"a": 1, "b": 2}'::jsonb ?& '{b,c}'"#, "f"),
        (
            r#"SELECT '{"a": {"b": 1, "c": 2}}'::jsonb #- '{a,b}'"#,
            r#"{"a": {"c": 2}}"#,
        ),
        (r#"SELECT '{"a": 1, "b": 2}'::jsonb - 'a'"#, r#"{"b": 2}"#),
        (r#"SELECT '[1, 2, 3]'::jsonb - -1"#, "[1, 2]"),
        (r#"SELECT '{"a": [1, 2]}'::jsonb -> 'a' ->> 1"#, "2"),
        (r#"SELECT '{"a": {"b": "x"}}'::jsonb #>> '{a,b}'"#, "x"),
        (r#"SELECT '{"a": [1, 2]}'::jsonb @> '{"a": [2]}'"#, "t"),
        (
            r#"SELECT '{"b": 1}'::jsonb || '{"a": 2}'"#,
            r#"{"a": 2, "b": 1}"#,
        ),
        (
            r#"SELECT '{"a": [1, 5]}'::jsonb @? '$.a[*] ? (@ > 4)'"#,
            "t",
        ),
        (r#"SELECT '{"a": 3}'::jsonb @@ '$.a > 2'"#, "t"),
        (r#"SELECT jsonb_typeof('1.5')"#, "number"),
        (r#"SELECT jsonb_array_length('[1, [2], {}]')"#, "3"),
        (
            r#"SELECT jsonb_build_object('b', 1, 'a', 'x', 'c', NULL)"#,
            r#"{"a": "x", "b": 1, "c": null}"#,
        ),
        (r#"SELECT jsonb_build_array()"#, "[]"),
        (
            r#"SELECT jsonb_strip_nulls('{"a": null, "b": [null]}')"#,
            r#"{"b": [null]}"#,
        ),
        (
            r#"SELECT jsonb_insert('{"a": [1, 3]}', '{a,1}', '2')"#,
            r#"{"a": [1, 2, 3]}"#,
        ),
        (
            r#"SELECT jsonb_set_lax('{"a": 1, "b": 2}', '{a}', NULL, true, 'delete_key')"#,
            r#"{"b": 2}"#,
        ),
        (
            r#"SELECT jsonb_extract_path_text('{"a": {"b": 7}}', 'a', 'b')"#,
            "7",
        ),
        (
            r#"SELECT jsonb_path_query_array('[1, 2, 3]', '$[*] ? (@ >= $m)', '{"m": 2}')"#,
            "[2, 3]",
        ),
        (
            r#"SELECT jsonb_pretty('{"a": [1]}')"#,
            "{\n    \"a\": [\n        1\n    ]\n}",
        ),
        (r#"SELECT ('{"a": 1.5}'::jsonb -> 'a')::int"#, "2"),
        (r#"SELECT ('{"a": true}'::jsonb -> 'a')::boolean"#, "t"),
    ] {
        assert_eq!(one(&client, sql).await, expected, "{sql}");
    }
}

#[tokio::test]
async fn jsonb_errors_carry_postgres_sqlstates() {
    let (_server, client, _token) = keyed(&[]).await;
    for (sql, state) in [
        (
            r#"SELECT ('{"a": "1"}'::jsonb -> 'a')::int"#,
            SqlState::INVALID_PARAMETER_VALUE,
        ),
        (r#"SELECT '{}'::jsonb::bytea"#, SqlState::CANNOT_COERCE),
        (
            r#"SELECT jsonb_array_length('{}')"#,
            SqlState::INVALID_PARAMETER_VALUE,
        ),
        (
            r#"SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL, true, 'raise_exception')"#,
            SqlState::NULL_VALUE_NOT_ALLOWED,
        ),
        (
            r#"SELECT jsonb_path_query_first('{}', 'strict $.a')"#,
            SqlState::SQL_JSON_MEMBER_NOT_FOUND,
        ),
        (r#"SELECT '{}'::jsonb @? '$.a +'"#, SqlState::SYNTAX_ERROR),
        (
            r#"SELECT '{"a": 1}'::jsonb - 1.5"#,
            SqlState::UNDEFINED_FUNCTION,
        ),
    ] {
        assert_eq!(code(&client, sql).await, state, "{sql}");
        assert_eq!(one(&client, "SELECT 1").await, "1", "usable after {sql}");
    }
}

#[tokio::test]
async fn jsonb_aggregates_answer_as_postgres() {
    let (_server, client, _token) = keyed(&["docs"]).await;
    client
        .batch_execute(
            r#"INSERT INTO docs (id, data) VALUES
                 ('a', '{"g": "x", "n": 1.50}'), ('b', '{"g": "x", "n": 2}'),
                 ('c', '{"g": "y", "n": null}')"#,
        )
        .await
        .unwrap();
    for (sql, expected) in [
        (
            "SELECT jsonb_agg(x ORDER BY x DESC) FROM (VALUES (1), (NULL), (3)) v(x)",
            "[null, 3, 1]",
        ),
        (
            "SELECT jsonb_agg(x) FILTER (WHERE x > 1) FROM (VALUES (1), (2), (3)) v(x)",
            "[2, 3]",
        ),
        (
            "SELECT jsonb_agg(x) IS NULL FROM (VALUES (1)) v(x) WHERE false",
            "t",
        ),
        (
            "SELECT jsonb_agg(data -> 'n' ORDER BY id) FROM docs",
            "[1.50, 2, null]",
        ),
        (
            "SELECT jsonb_object_agg(k, v) FROM (VALUES ('b', 1), ('a', 2), ('aa', 3), ('a', 4)) t(k, v)",
            r#"{"a": 4, "b": 1, "aa": 3}"#,
        ),
        (
            "SELECT jsonb_object_agg(id, data -> 'n') FROM docs WHERE data ->> 'g' = 'x' \
             GROUP BY data ->> 'g'",
            r#"{"a": 1.50, "b": 2}"#,
        ),
    ] {
        assert_eq!(one(&client, sql).await, expected, "{sql}");
    }
    let null_key = "SELECT jsonb_object_agg(k, v) FROM (VALUES (NULL::text, 1)) t(k, v)";
    assert_eq!(
        code(&client, null_key).await,
        SqlState::INVALID_PARAMETER_VALUE
    );
}
