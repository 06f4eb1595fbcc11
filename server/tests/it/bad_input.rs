//! Bad input of every class (issue 9): malformed JSON, an oversize document, invalid UTF-8,
//! unknown functions, wrong parameter counts and types, huge query text, protocol garbage and
//! a stalled startup each get a clear error with a SQLSTATE (or, for a stalled startup, a
//! closed connection), and the connection, other sessions and the server carry on.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::support::{Options, TestServer, code, keyed, one};

/// Longest a test waits for the server to close a connection it should close.
const CLOSE_WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn bad_statements_get_sqlstates_and_every_session_carries_on() {
    let (server, client, token) = keyed(&["crm2025"]).await;
    client
        .batch_execute(r#"INSERT INTO crm2025 (id, data) VALUES ('a', '{"n":1}')"#)
        .await
        .unwrap();
    let watcher = server.connect().await;
    watcher
        .batch_execute(&format!("SET mindoo.keys = '{token}'"))
        .await
        .unwrap();

    let simple = [
        // Malformed JSON.
        (
            "INSERT INTO crm2025 (data) VALUES ('{not json')".to_owned(),
            SqlState::INVALID_TEXT_REPRESENTATION,
        ),
        (
            r#"UPDATE crm2025 SET data = '{"a":' WHERE id = 'a'"#.to_owned(),
            SqlState::INVALID_TEXT_REPRESENTATION,
        ),
        // A document above the 16 MiB limit.
        (
            format!(
                r#"INSERT INTO crm2025 (data) VALUES ('{{"big":"{}"}}')"#,
                "x".repeat(17 << 20)
            ),
            SqlState::PROGRAM_LIMIT_EXCEEDED,
        ),
        // Unknown functions, ours and others.
        (
            "SELECT no_such_function(1)".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT mindoo.no_such_function()".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT * FROM mindoo.no_such_function('crm2025')".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        // Wrong argument counts and types.
        (
            "SELECT mindoo.create_key()".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT * FROM mindoo.changes()".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT * FROM mindoo.changes('crm2025', 'yesterday')".to_owned(),
            SqlState::INVALID_PARAMETER_VALUE,
        ),
        (
            "SELECT (data->>'n')::int + 'x' FROM crm2025".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT abs('x'), length('a', 'b', 'c')".to_owned(),
            SqlState::UNDEFINED_FUNCTION,
        ),
        (
            "SELECT 'one'::int".to_owned(),
            SqlState::INVALID_TEXT_REPRESENTATION,
        ),
        // Query text nested deeper than the parser goes.
        (
            format!("SELECT {}1{}", "(".repeat(100_000), ")".repeat(100_000)),
            SqlState::STATEMENT_TOO_COMPLEX,
        ),
        // Invalid text that makes sqlparser backtrack: 2^40 steps without the parse budget.
        (
            format!("SELECT {}1", "ARRAY[".repeat(40)),
            SqlState::STATEMENT_TOO_COMPLEX,
        ),
    ];
    for (sql, expected) in &simple {
        let shown = &sql[..sql.len().min(60)];
        assert_eq!(&code(&client, sql).await, expected, "{shown}");
        carries_on(&client, &watcher).await;
    }

    // Extended protocol: a parameter that is not UTF-8, a wrong parameter count, a wrong type.
    let err = client
        .query_typed("SELECT $1::text", &[(&NotUtf8, Type::TEXT)])
        .await
        .expect_err("invalid UTF-8 is refused");
    assert_eq!(
        err.code(),
        Some(&SqlState::CHARACTER_NOT_IN_REPERTOIRE),
        "{err}"
    );
    carries_on(&client, &watcher).await;
    let err = client
        .query_typed("SELECT $1::int8 + $2::int8", &[(&1i64, Type::INT8)])
        .await
        .expect_err("one parameter for two");
    assert_eq!(err.code(), Some(&SqlState::PROTOCOL_VIOLATION), "{err}");
    carries_on(&client, &watcher).await;
    let err = client
        .query_typed("SELECT $1::int4 + 1", &[(&"one", Type::TEXT)])
        .await
        .expect_err("text where an integer goes");
    assert_eq!(
        err.code(),
        Some(&SqlState::INVALID_TEXT_REPRESENTATION),
        "{err}"
    );
    carries_on(&client, &watcher).await;

    // Long but flat query text is no error.
    let long = "y".repeat(8 << 20);
    assert_eq!(
        one(&client, &format!("SELECT length('{long}')")).await,
        (8 << 20).to_string()
    );
    carries_on(&client, &watcher).await;
}

#[tokio::test]
async fn protocol_garbage_gets_08p01_and_the_server_carries_on() {
    let server = TestServer::start();
    let client = server.connect().await;
    let garbage: [&[u8]; 3] = [
        // `curl http://host:5432/`
        b"GET / HTTP/1.1\r\nHost: localhost:5432\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n",
        // A startup packet with a length below its own header.
        &[0, 0, 0, 2, 0, 3, 0, 0],
        // A plausible length, then an unknown protocol version and noise.
        &[0, 0, 0, 16, 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4, 5, 6, 7, 8],
    ];
    for bytes in garbage {
        let mut socket = TcpStream::connect(server.addr).await.unwrap();
        socket.write_all(bytes).await.unwrap();
        let reply = read_to_close(&mut socket).await;
        assert!(
            reply.first() == Some(&b'E')
                && contains(&reply, b"SFATAL\0")
                && contains(&reply, b"C08P01\0"),
            "{:?}: the reply is a FATAL protocol error: {:?}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&reply)
        );
        assert_eq!(one(&client, "SELECT 1").await, "1");
    }
    // Before authentication, a Bind whose parameter-format count runs past its end: pgwire's
    // decoder panics on it (found by the `wire` fuzz target); the reply is the same FATAL.
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    let mut bytes = startup_message("alice", "alice");
    bytes.extend_from_slice(&[b'B', 0, 0, 0, 8, 0, 0, 0, 5]);
    socket.write_all(&bytes).await.unwrap();
    let reply = read_to_close(&mut socket).await;
    assert!(
        contains(&reply, b"SFATAL\0") && contains(&reply, b"C08P01\0"),
        "a short Bind gets a FATAL protocol error: {:?}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(one(&client, "SELECT 1").await, "1");
    assert!(
        server.logged("protocol violation"),
        "the server logs the violation"
    );
    let fresh = server.connect().await;
    assert_eq!(one(&fresh, "SELECT 2").await, "2");
}

#[tokio::test]
async fn a_stalled_startup_is_closed_after_the_startup_timeout() {
    let server = TestServer::start_with(Options::default().with_args(&["--startup-timeout", "2"]));
    // Silent connections, one with half a startup packet, one stalled inside SCRAM.
    let mut stalled = Vec::new();
    for _ in 0..20 {
        stalled.push(TcpStream::connect(server.addr).await.unwrap());
    }
    let mut half = TcpStream::connect(server.addr).await.unwrap();
    half.write_all(&[0, 0, 0, 40, 0, 3, 0, 0, b'u', b's'])
        .await
        .unwrap();
    stalled.push(half);
    let mut in_auth = TcpStream::connect(server.addr).await.unwrap();
    in_auth
        .write_all(&startup_message("alice", "alice"))
        .await
        .unwrap();
    let mut first = [0u8; 1];
    in_auth.read_exact(&mut first).await.unwrap();
    assert_eq!(first[0], b'R', "the server asks for authentication");
    stalled.push(in_auth);

    // Meanwhile the server serves everyone else.
    let client = server.connect().await;
    assert_eq!(one(&client, "SELECT 1").await, "1");
    for mut socket in stalled {
        read_to_close(&mut socket).await;
    }
    assert!(
        server.logged("startup did not finish in time"),
        "the server logs the timeout"
    );
    assert_eq!(one(&client, "SELECT 2").await, "2");
    let fresh = server.connect().await;
    assert_eq!(one(&fresh, "SELECT 3").await, "3");
}

/// Both the connection that erred and a bystander still answer.
async fn carries_on(client: &Client, watcher: &Client) {
    assert_eq!(one(client, "SELECT 1").await, "1");
    assert_eq!(one(watcher, "SELECT count(*) FROM crm2025").await, "1");
}

/// Reads until the server closes the connection (bounded by `CLOSE_WAIT`).
async fn read_to_close(socket: &mut TcpStream) -> Vec<u8> {
    let mut reply = Vec::new();
    let read = tokio::time::timeout(CLOSE_WAIT, socket.read_to_end(&mut reply)).await;
    match read {
        Ok(Ok(_)) => reply,
        // A reset after the reply also means closed.
        Ok(Err(err)) if err.kind() == std::io::ErrorKind::ConnectionReset => reply,
        Ok(Err(err)) => panic!("reading the reply: {err}"),
        Err(_) => panic!("the server kept the connection open for {CLOSE_WAIT:?}"),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A protocol 3.0 StartupMessage.
#[allow(clippy::big_endian_bytes, reason = "the wire protocol is big-endian")]
pub(crate) fn startup_message(user: &str, database: &str) -> Vec<u8> {
    let mut body = 196_608i32.to_be_bytes().to_vec();
    for (name, value) in [("user", user), ("database", database)] {
        body.extend_from_slice(name.as_bytes());
        body.push(0);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut message = (body.len() as i32 + 4).to_be_bytes().to_vec();
    message.extend_from_slice(&body);
    message
}

/// A text parameter whose bytes are not UTF-8.
#[derive(Debug)]
struct NotUtf8;

impl ToSql for NotUtf8 {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut tokio_postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        out.extend_from_slice(&[b'o', b'k', 0xff, 0xfe]);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TEXT
    }

    to_sql_checked!();
}
