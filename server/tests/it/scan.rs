//! Streaming table scans (issue "Server core"): a table larger than one storage page and one
//! Arrow batch comes back whole, every visible document exactly once, with pending writes of the
//! session merged in at their place, documents under other keys and deleted ones left out, and
//! LIMIT and projections honoured.

use std::collections::BTreeSet;

use crate::support::{column, keyed, one};

/// More documents than the scan reads per page (1024), so rows cross several batches.
const N_DOCS: usize = 2600;

#[tokio::test]
async fn a_scan_over_many_batches_returns_every_visible_row_exactly_once() {
    let (server, client, default) = keyed(&["crm2025"]).await;
    let hr = one(&client, "SELECT mindoo.create_key('hr')").await;
    client
        .batch_execute(&format!("SET mindoo.keys = '{default},{hr}'"))
        .await
        .unwrap();
    // Even ids under `default`, every tenth odd one under `hr`; ids sort as numbers.
    let values: Vec<String> = (0..N_DOCS)
        .filter(|i| i % 2 == 0 || i % 10 == 1)
        .map(|i| {
            let key = if i % 2 == 0 { "default" } else { "hr" };
            format!(r#"('d{i:05}', '{{"n":{i}}}', '{key}')"#)
        })
        .collect();
    client
        .batch_execute(&format!(
            "INSERT INTO crm2025 (id, data, key_id) VALUES {}",
            values.join(", ")
        ))
        .await
        .unwrap();
    client
        .batch_execute("DELETE FROM crm2025 WHERE (data->>'n')::int % 100 = 0")
        .await
        .unwrap();
    let mut expected: BTreeSet<String> = (0..N_DOCS)
        .filter(|i| (i % 2 == 0 && i % 100 != 0) || i % 10 == 1)
        .map(|i| format!("d{i:05}"))
        .collect();

    let ids = column(&client, "SELECT id FROM crm2025").await;
    assert_eq!(ids.len(), expected.len(), "no document twice, none missing");
    let ids: BTreeSet<String> = ids.into_iter().flatten().collect();
    assert_eq!(ids, expected);
    assert_eq!(
        one(&client, "SELECT count(*) FROM crm2025").await,
        expected.len().to_string()
    );
    let sum: i64 = one(&client, "SELECT sum((data->>'n')::int) FROM crm2025")
        .await
        .parse()
        .unwrap();
    let want: i64 = expected
        .iter()
        .map(|id| id[1..].parse::<i64>().unwrap())
        .sum();
    assert_eq!(sum, want, "every document decrypted once");

    // A session with `default` only sees those rows.
    let reader = server.connect().await;
    reader
        .batch_execute(&format!("SET mindoo.keys = '{default}'"))
        .await
        .unwrap();
    let n_default = expected
        .iter()
        .filter(|id| id[1..].parse::<usize>().unwrap() % 2 == 0)
        .count();
    assert_eq!(
        one(&reader, "SELECT count(id) FROM crm2025").await,
        n_default.to_string()
    );

    // Pending writes merge into the stream at their place: new ids between stored ones,
    // updates replacing stored rows, deletes hiding them.
    client
        .batch_execute(
            r#"
            BEGIN;
            INSERT INTO crm2025 (id, data) VALUES ('d01000x', '{"n":-1}'), ('e', '{"n":-2}'), ('a', '{"n":-3}');
            UPDATE crm2025 SET data = '{"n":-4}' WHERE id = 'd02002';
            DELETE FROM crm2025 WHERE id IN ('d00002', 'd02598');
            "#,
        )
        .await
        .unwrap();
    for id in ["d01000x", "e", "a"] {
        expected.insert(id.to_owned());
    }
    for id in ["d00002", "d02598"] {
        expected.remove(id);
    }
    let ids: Vec<String> = column(&client, "SELECT id FROM crm2025")
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(ids.len(), expected.len(), "no document twice, none missing");
    assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), expected);
    assert_eq!(
        one(
            &client,
            "SELECT data->>'n' FROM crm2025 WHERE id = 'd02002'"
        )
        .await,
        "-4"
    );
    assert_eq!(
        one(&client, "SELECT count(*) FROM crm2025 WHERE id = 'd00002'").await,
        "0"
    );
    assert_eq!(
        one(&reader, "SELECT count(*) FROM crm2025 WHERE id = 'd00002'").await,
        "1",
        "pending writes belong to their session"
    );
    client.batch_execute("ROLLBACK").await.unwrap();

    // LIMIT stops early and still returns whole, distinct rows.
    let first = column(&client, "SELECT id FROM crm2025 LIMIT 1500").await;
    assert_eq!(first.len(), 1500);
    assert_eq!(first.iter().collect::<BTreeSet<_>>().len(), 1500);
    let three = column(&client, "SELECT data->>'n' FROM crm2025 LIMIT 3").await;
    assert_eq!(three.len(), 3);
    assert!(three.iter().all(Option::is_some));
}
