//! Writes that skip the query planner (`engine/dml_direct.rs`: constant `VALUES`, `UPDATE` and
//! `DELETE ... WHERE id = '<constant>'`) answer exactly what the planned path answers (issue 8:
//! the write path's performance, without a second semantics). Every case runs twice, once in
//! the shape the shortcut takes and once in an equivalent shape it declines, on twin documents.

use tokio_postgres::Client;

use crate::support::{column, keyed};

/// What a statement did: its row count, or the SQLSTATE it failed with.
async fn outcome(client: &Client, sql: &str) -> Result<u64, String> {
    client.execute(sql, &[]).await.map_err(|e| {
        e.code()
            .map_or_else(|| e.to_string(), |c| c.code().to_owned())
    })
}

/// Runs `sql` with `{id}` as `'<id>'` (the shortcut's shape) on `direct_id`, and as
/// `('<id>' || '')` (a shape it declines) on `planned_id`; both must do the same.
async fn same(
    client: &Client,
    sql: &str,
    direct_id: &str,
    planned_id: &str,
) -> Result<u64, String> {
    let direct = outcome(client, &sql.replace("{id}", &format!("'{direct_id}'"))).await;
    let planned = outcome(
        client,
        &sql.replace("{id}", &format!("('{planned_id}' || '')")),
    )
    .await;
    assert_eq!(direct, planned, "{sql}");
    direct
}

#[tokio::test]
async fn update_and_delete_by_id_match_the_planned_path() {
    let (server, owner, _token) = keyed(&["t"]).await;
    owner
        .batch_execute(
            r#"INSERT INTO t (id, data) VALUES ('a1', '{"x":1}'), ('a2', '{"x":1}'),
               ('d1', '{"x":1}'), ('d2', '{"x":1}'), ('g1', '{"x":1}'), ('g2', '{"x":1}')"#,
        )
        .await
        .unwrap();
    let set = r#"UPDATE t SET data = '{"x":2}'::text::jsonb WHERE id = {id}"#;
    assert_eq!(same(&owner, set, "a1", "a2").await, Ok(1));
    assert_eq!(
        same(&owner, set, "none1", "none2").await,
        Ok(0),
        "no such document"
    );
    assert_eq!(
        same(&owner, set, "", "").await,
        Ok(0),
        "an id no document can have"
    );
    assert_eq!(
        same(
            &owner,
            "UPDATE t SET data = NULL WHERE id = {id}",
            "a1",
            "a2"
        )
        .await,
        Err("23502".into())
    );
    assert_eq!(
        same(
            &owner,
            "UPDATE t SET data = 'not json' WHERE id = {id}",
            "a1",
            "a2"
        )
        .await,
        Err("22P02".into())
    );
    assert_eq!(
        same(&owner, "DELETE FROM t WHERE id = {id}", "d1", "d2").await,
        Ok(1)
    );
    assert_eq!(
        same(&owner, set, "d1", "d2").await,
        Ok(0),
        "a deleted document"
    );
    assert_eq!(
        same(&owner, "DELETE FROM t WHERE id = {id}", "d1", "d2").await,
        Ok(0)
    );

    let stranger = server.connect().await;
    assert_eq!(
        same(&stranger, set, "g1", "g2").await,
        Ok(0),
        "a key the session lacks"
    );
    assert_eq!(
        same(&stranger, "DELETE FROM t WHERE id = {id}", "g1", "g2").await,
        Ok(0)
    );

    let data = column(&owner, "SELECT data->>'x' FROM t ORDER BY id").await;
    assert_eq!(
        data,
        ["2", "2", "1", "1"].map(|x| Some(x.to_owned())),
        "a1, a2 updated; g1, g2 untouched; d1, d2 gone"
    );
}

#[tokio::test]
async fn a_block_reads_its_own_pending_writes_by_id() {
    let (_server, client, _token) = keyed(&["t"]).await;
    client.batch_execute("BEGIN").await.unwrap();
    client
        .batch_execute(r#"INSERT INTO t (id, data) VALUES ('p', '{"v":1}')"#)
        .await
        .unwrap();
    let updated = client
        .query(
            r#"UPDATE t SET data = '{"v":2}' WHERE id = 'p' RETURNING data"#,
            &[],
        )
        .await
        .unwrap();
    let data: serde_json::Value = updated[0].get(0);
    assert_eq!(data["v"], 2);
    let deleted = client
        .query("DELETE FROM t WHERE 'p' = id RETURNING data", &[])
        .await
        .unwrap();
    let data: serde_json::Value = deleted[0].get(0);
    assert_eq!(data["v"], 2, "DELETE RETURNING shows what it deleted");
    assert_eq!(
        outcome(&client, "DELETE FROM t WHERE id = 'p'").await,
        Ok(0),
        "the pending delete hides it"
    );
    client.batch_execute("COMMIT").await.unwrap();
    assert!(column(&client, "SELECT id FROM t").await.is_empty());
}

#[tokio::test]
async fn a_bound_update_by_id_is_a_shortcut_with_the_same_answer() {
    let (_server, client, _token) = keyed(&["t"]).await;
    client
        .batch_execute(r#"INSERT INTO t (id, data) VALUES ('b', '{"v":1}')"#)
        .await
        .unwrap();
    let update = client
        .prepare("UPDATE t SET data = $2::text::jsonb WHERE id = $1")
        .await
        .unwrap();
    let n = client
        .execute(&update, &[&"b", &r#"{"v": 3}"#])
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        column(&client, "SELECT data FROM t WHERE id = 'b'").await,
        [Some(r#"{"v": 3}"#.to_owned())]
    );
}

#[tokio::test]
async fn many_constant_rows_are_sealed_in_order_and_match_planned_rows() {
    let (_server, client, _token) = keyed(&["t"]).await;
    // More rows than are sealed on one thread, so the sealing is spread over the cores.
    let values = |prefix: &str, planned: bool| {
        (0..100)
            .map(|i| match planned {
                false => format!(r#"('{prefix}{i:03}', '{{"i":{i}}}')"#),
                true => format!(r#"('{prefix}{i:03}' || '', '{{"i":{i}}}')"#),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (prefix, planned) in [("c", false), ("q", true)] {
        let rows = client
            .query(
                &format!(
                    "INSERT INTO t (id, data) VALUES {} RETURNING id, data",
                    values(prefix, planned)
                ),
                &[],
            )
            .await
            .unwrap();
        let got: Vec<(String, serde_json::Value)> =
            rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        let want: Vec<(String, serde_json::Value)> = (0..100)
            .map(|i| (format!("{prefix}{i:03}"), serde_json::json!({ "i": i })))
            .collect();
        assert_eq!(got, want, "RETURNING keeps the VALUES order");
    }
    assert_eq!(
        outcome(&client, r#"INSERT INTO t (id, data) VALUES ('c000', '{}')"#).await,
        Err("23505".into()),
        "a duplicate id is refused"
    );
    assert_eq!(
        column(&client, "SELECT count(*) FROM t").await,
        [Some("200".to_owned())]
    );
}
