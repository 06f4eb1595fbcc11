//! docs/SECURITY.md's table of statement classes and the privilege each needs, checked against
//! the real server: the table's rows are exactly `ROWS`, and for every row a role without the
//! privilege is refused each sample with 42501, then, once granted exactly what the row names,
//! is refused none of them.

use std::collections::BTreeSet;

use bytes::Bytes;
use futures::SinkExt as _;
use mindoodb_protocol::Identity;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::support::{TestServer, USER, keyed};

/// How one sample statement is sent.
enum Sample {
    Sql(&'static str),
    /// With a text parameter, through the extended protocol.
    Prepared(&'static str),
    CopyIn(&'static str),
    CopyOut(&'static str),
}

/// What the row promises.
enum Rule {
    /// Refused with 42501 before `grant` (run by the owner), refused no more after it.
    Granted(&'static str),
    /// Refused until the role is a superuser.
    Superuser,
    /// Never refused to a role that may connect.
    Connected,
    /// A listing that shows the table only once `grant` ran: `sql` counts it.
    Listed(&'static str),
    /// A grant that takes effect only once `grant` ran; before, it grants nothing (the role
    /// holds some privilege but no grant option, as PUBLIC's USAGE on the schema), as in
    /// PostgreSQL. The second query tells whether it took effect.
    Effective(&'static str, &'static str),
    /// Checked by the named test.
    Elsewhere(&'static str),
}

struct Row {
    /// The first cell of the row in docs/SECURITY.md.
    class: &'static str,
    samples: &'static [Sample],
    rule: Rule,
}

const ROWS: &[Row] = &[
    Row {
        class: "SELECT, DECLARE CURSOR, COPY t TO, COPY (query) TO",
        samples: &[
            Sample::Sql("SELECT * FROM p_select"),
            Sample::CopyOut("COPY p_select TO STDOUT"),
            Sample::CopyOut("COPY (SELECT id FROM p_select) TO STDOUT"),
        ],
        rule: Rule::Granted("GRANT SELECT ON p_select TO bob"),
    },
    Row {
        class: "point read by id (prepared)",
        samples: &[Sample::Prepared("SELECT data FROM p_point WHERE id = $1")],
        rule: Rule::Granted("GRANT SELECT ON p_point TO bob"),
    },
    Row {
        class: "INSERT",
        samples: &[Sample::Sql("INSERT INTO p_insert (data) VALUES ('{}')")],
        rule: Rule::Granted("GRANT INSERT ON p_insert TO bob"),
    },
    Row {
        class: "UPDATE",
        samples: &[Sample::Sql("UPDATE p_update SET data = '{}'")],
        rule: Rule::Granted("GRANT UPDATE ON p_update TO bob"),
    },
    Row {
        class: "DELETE",
        samples: &[Sample::Sql("DELETE FROM p_delete")],
        rule: Rule::Granted("GRANT DELETE ON p_delete TO bob"),
    },
    Row {
        class: "COPY t FROM",
        samples: &[Sample::CopyIn("COPY p_copy FROM STDIN")],
        rule: Rule::Granted("GRANT INSERT ON p_copy TO bob"),
    },
    Row {
        class: "CREATE TABLE, CREATE VIEW",
        samples: &[
            Sample::Sql("CREATE TABLE p_created ()"),
            Sample::Sql("CREATE VIEW p_created_view AS SELECT 1 AS one"),
        ],
        rule: Rule::Granted("GRANT CREATE ON SCHEMA public TO bob"),
    },
    Row {
        class: "ALTER TABLE (read_only, audit_reads, either way), CREATE OR REPLACE VIEW, DROP TABLE, DROP VIEW",
        samples: &[
            Sample::Sql("ALTER TABLE p_alter SET (read_only = true)"),
            Sample::Sql("ALTER TABLE p_alter SET (audit_reads = on)"),
            Sample::Sql("CREATE OR REPLACE VIEW p_view AS SELECT 2 AS one"),
            Sample::Sql("DROP TABLE p_drop"),
        ],
        rule: Rule::Granted(
            "ALTER TABLE p_alter OWNER TO bob; ALTER TABLE p_view OWNER TO bob; \
             ALTER TABLE p_drop OWNER TO bob",
        ),
    },
    Row {
        class: "ALTER TABLE ... OWNER TO r",
        samples: &[Sample::Sql("ALTER TABLE p_owner OWNER TO carol")],
        rule: Rule::Granted(
            "ALTER TABLE p_owner OWNER TO bob; GRANT carol TO bob; \
             GRANT CREATE ON SCHEMA public TO carol",
        ),
    },
    Row {
        class: "GRANT / REVOKE on a table or view",
        samples: &[Sample::Sql("GRANT SELECT ON p_grant TO PUBLIC")],
        rule: Rule::Granted("GRANT SELECT ON p_grant TO bob WITH GRANT OPTION"),
    },
    Row {
        class: "GRANT / REVOKE on the schema",
        samples: &[Sample::Sql("GRANT CREATE ON SCHEMA public TO dave")],
        rule: Rule::Effective(
            "GRANT CREATE ON SCHEMA public TO bob WITH GRANT OPTION",
            "SELECT has_schema_privilege('dave', 'public', 'CREATE')::text",
        ),
    },
    Row {
        class: "ALTER DEFAULT PRIVILEGES [FOR ROLE r]",
        samples: &[Sample::Sql(
            "ALTER DEFAULT PRIVILEGES FOR ROLE erin GRANT SELECT ON TABLES TO bob",
        )],
        rule: Rule::Granted("GRANT erin TO bob"),
    },
    Row {
        class: "GRANT role TO r, REVOKE role FROM r",
        samples: &[Sample::Sql("GRANT dave TO erin")],
        rule: Rule::Granted("GRANT dave TO bob WITH ADMIN OPTION"),
    },
    Row {
        class: "`mindoo.changes`, `history`, `as_of*`, `conflicts`, `proof`, `entries`, `verify`",
        samples: &[
            Sample::Sql("SELECT * FROM mindoo.changes('p_feed', 0)"),
            Sample::Sql("SELECT * FROM mindoo.history('p_feed', 'a')"),
            Sample::Sql("SELECT * FROM mindoo.as_of('p_feed', now())"),
            Sample::Sql("SELECT * FROM mindoo.as_of_seq('p_feed', 1)"),
            Sample::Sql("SELECT * FROM mindoo.conflicts('p_feed')"),
            Sample::Sql("SELECT * FROM mindoo.proof('p_feed', 'a')"),
            Sample::Sql("SELECT * FROM mindoo.entries('p_feed', 0)"),
            Sample::Sql("SELECT * FROM mindoo.verify('p_feed')"),
        ],
        rule: Rule::Granted("GRANT SELECT ON p_feed TO bob"),
    },
    Row {
        class: "`mindoo.changes_all`, `mindoo.tables`",
        samples: &[Sample::Sql(
            "SELECT count(*)::text FROM mindoo.tables('p_list')",
        )],
        rule: Rule::Listed("GRANT SELECT ON p_list TO bob"),
    },
    Row {
        class: "`mindoo.apply`",
        samples: &[Sample::Sql(
            "SELECT * FROM mindoo.apply('p_apply', '\\x00')",
        )],
        rule: Rule::Granted("GRANT INSERT ON p_apply TO bob"),
    },
    Row {
        class: "`mindoo.move(src, dst, …)`",
        samples: &[Sample::Sql(
            "SELECT * FROM mindoo.move('p_move', 'p_move_dst', 'zz')",
        )],
        rule: Rule::Granted(
            "GRANT SELECT, DELETE ON p_move TO bob; GRANT INSERT ON p_move_dst TO bob",
        ),
    },
    Row {
        class: "`mindoo.sync`",
        samples: &[Sample::Sql(
            "SELECT * FROM mindoo.sync('host=127.0.0.1 port=1 user=x dbname=x', 'p_sync')",
        )],
        rule: Rule::Superuser,
    },
    Row {
        class: "`mindoo.trust_writer`, `mindoo.revoke_writer`",
        samples: &[Sample::Sql(
            "SELECT * FROM mindoo.trust_writer(\
             '1111111111111111111111111111111111111111111111111111111111111111')",
        )],
        rule: Rule::Superuser,
    },
    Row {
        class: "`mindoo.writers`, `mindoo.writer_log`, `mindoo.add_writer_record`",
        samples: &[
            Sample::Sql("SELECT * FROM mindoo.writers()"),
            Sample::Sql("SELECT * FROM mindoo.writer_log(0)"),
            Sample::Sql("SELECT * FROM mindoo.add_writer_record('\\x00')"),
        ],
        rule: Rule::Connected,
    },
    Row {
        class: "`mindoo.quarantine(t)`",
        samples: &[Sample::Sql(
            "SELECT * FROM mindoo.quarantine('p_quarantine')",
        )],
        rule: Rule::Granted("GRANT SELECT ON p_quarantine TO bob"),
    },
    Row {
        class: "`mindoo.drop_quarantined`",
        samples: &[Sample::Sql(
            "SELECT * FROM mindoo.drop_quarantined('p_quarantine')",
        )],
        rule: Rule::Superuser,
    },
    Row {
        class: "LISTEN mindoo_changes",
        samples: &[],
        rule: Rule::Elsewhere("listen::listeners_hear_only_of_tables_their_role_may_read"),
    },
    Row {
        class: "`mindoo.audit`",
        samples: &[Sample::Sql("SELECT * FROM mindoo.audit('p_audit', 0)")],
        rule: Rule::Granted("ALTER TABLE p_audit OWNER TO bob"),
    },
    Row {
        class: "`mindoo.audit_chains`, `mindoo.audit_records`, `mindoo.add_audit_record`",
        samples: &[
            Sample::Sql("SELECT * FROM mindoo.audit_chains('p_audit_sync')"),
            Sample::Sql(
                "SELECT * FROM mindoo.audit_records('p_audit_sync', \
                 '1111111111111111111111111111111111111111111111111111111111111111', 0)",
            ),
            Sample::Sql(
                "SELECT * FROM mindoo.add_audit_record('p_audit_sync', \
                 '1111111111111111111111111111111111111111111111111111111111111111', '\\x00')",
            ),
        ],
        rule: Rule::Granted("ALTER TABLE p_audit_sync OWNER TO bob"),
    },
    Row {
        class: "CREATE/DROP DATABASE, CREATE/DROP ROLE, GRANT CONNECT",
        samples: &[
            Sample::Sql("CREATE ROLE frank"),
            Sample::Sql("DROP ROLE dave"),
            Sample::Sql("CREATE DATABASE p_database"),
        ],
        rule: Rule::Superuser,
    },
];

const TABLES: &[&str] = &[
    "p_select",
    "p_point",
    "p_insert",
    "p_update",
    "p_delete",
    "p_copy",
    "p_alter",
    "p_drop",
    "p_owner",
    "p_grant",
    "p_feed",
    "p_list",
    "p_apply",
    "p_move",
    "p_move_dst",
    "p_sync",
    "p_quarantine",
    "p_audit",
    "p_audit_sync",
];

/// The first cells of the statement × privilege table in docs/SECURITY.md.
fn documented_classes() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/SECURITY.md");
    let text = std::fs::read_to_string(path).expect("read docs/SECURITY.md");
    let table = text
        .split("| statement | privilege needed |")
        .nth(1)
        .expect("the statement table");
    table
        .lines()
        .skip(2)
        .map(str::trim)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .collect()
}

async fn send(client: &Client, sample: &Sample) -> Result<(), tokio_postgres::Error> {
    match sample {
        Sample::Sql(sql) => client.batch_execute(sql).await,
        Sample::Prepared(sql) => client.query(*sql, &[&"a"]).await.map(drop),
        Sample::CopyIn(sql) => {
            let sink = client.copy_in::<_, Bytes>(*sql).await?;
            let mut sink = std::pin::pin!(sink);
            sink.send(Bytes::from_static(b"copied\t{}\n")).await?;
            sink.finish().await.map(drop)
        }
        Sample::CopyOut(sql) => {
            use futures::StreamExt as _;
            let stream = client.copy_out(*sql).await?;
            let mut stream = std::pin::pin!(stream);
            while let Some(chunk) = stream.next().await {
                chunk?;
            }
            Ok(())
        }
    }
}

/// bob on a connection of its own, holding the key and an identity: a refused `COPY FROM`
/// leaves tokio-postgres' connection out of step (it syncs twice, and PostgreSQL answers
/// both), so no sample shares one.
async fn bob(server: &TestServer, keys: &str) -> Client {
    let bob = server.connect_as("bob", "bob-pw", USER).await.unwrap();
    bob.batch_execute(keys).await.unwrap();
    bob
}

fn refused(result: &Result<(), tokio_postgres::Error>) -> bool {
    matches!(result, Err(err) if err.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE))
}

async fn listed(client: &Client, row: &Row) -> String {
    let Some(Sample::Sql(sql)) = row.samples.first() else {
        panic!("{}: a listing row counts with one query", row.class);
    };
    client.query_one(*sql, &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn the_security_table_is_what_the_server_enforces() {
    let documented = documented_classes();
    let tested: BTreeSet<String> = ROWS.iter().map(|row| row.class.to_owned()).collect();
    assert_eq!(
        documented, tested,
        "docs/SECURITY.md's table and ROWS differ"
    );

    let (server, alice, token) = keyed(TABLES).await;
    alice
        .batch_execute(&format!(
            "CREATE VIEW p_view AS SELECT 1 AS one;
             CREATE ROLE bob LOGIN PASSWORD 'bob-pw';
             CREATE ROLE carol NOLOGIN; CREATE ROLE dave NOLOGIN; CREATE ROLE erin NOLOGIN;
             GRANT CONNECT ON DATABASE {USER} TO bob"
        ))
        .await
        .unwrap();
    let identity = Identity::generate().unwrap();
    let keys = format!("SET mindoo.keys = '{token},{}'", identity.token().as_str());

    for row in ROWS {
        for sample in row.samples {
            let result = send(&bob(&server, &keys).await, sample).await;
            match row.rule {
                Rule::Granted(_) | Rule::Superuser => {
                    assert!(
                        refused(&result),
                        "{}: not refused before the grant: {result:?}",
                        row.class
                    );
                }
                Rule::Connected => {
                    assert!(!refused(&result), "{}: refused: {result:?}", row.class);
                }
                Rule::Listed(_) => {
                    assert_eq!(
                        listed(&bob(&server, &keys).await, row).await,
                        "0",
                        "{}",
                        row.class
                    );
                }
                Rule::Effective(_, check) => {
                    assert!(result.is_ok(), "{}: {result:?}", row.class);
                    assert_eq!(
                        crate::support::one(&alice, check).await,
                        "false",
                        "{}",
                        row.class
                    );
                }
                Rule::Elsewhere(_) => {}
            }
        }
    }
    for row in ROWS {
        if let Rule::Granted(grant) | Rule::Listed(grant) | Rule::Effective(grant, _) = row.rule {
            alice.batch_execute(grant).await.unwrap();
        }
    }
    let allowed = |row: &Row| matches!(row.rule, Rule::Granted(_) | Rule::Connected);
    for row in ROWS.iter().filter(|row| allowed(row)) {
        for sample in row.samples {
            let result = send(&bob(&server, &keys).await, sample).await;
            assert!(
                !refused(&result),
                "{}: refused after the grant: {result:?}",
                row.class
            );
        }
    }
    for row in ROWS
        .iter()
        .filter(|row| matches!(row.rule, Rule::Listed(_)))
    {
        assert_eq!(
            listed(&bob(&server, &keys).await, row).await,
            "1",
            "{}",
            row.class
        );
    }
    for row in ROWS {
        if let Rule::Effective(_, check) = row.rule {
            for sample in row.samples {
                send(&bob(&server, &keys).await, sample).await.unwrap();
            }
            assert_eq!(
                crate::support::one(&alice, check).await,
                "true",
                "{}",
                row.class
            );
        }
    }
    alice
        .batch_execute("ALTER ROLE bob SUPERUSER")
        .await
        .unwrap();
    for row in ROWS
        .iter()
        .filter(|row| matches!(row.rule, Rule::Superuser))
    {
        for sample in row.samples {
            let result = send(&bob(&server, &keys).await, sample).await;
            assert!(
                !refused(&result),
                "{}: refused to a superuser: {result:?}",
                row.class
            );
        }
    }
    let elsewhere: Vec<&str> = ROWS
        .iter()
        .filter_map(|row| match row.rule {
            Rule::Elsewhere(test) => Some(test),
            _ => None,
        })
        .collect();
    assert_eq!(
        elsewhere,
        ["listen::listeners_hear_only_of_tables_their_role_may_read"]
    );
}
