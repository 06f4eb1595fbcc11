//! A small blocking PostgreSQL wire client for the differential harness: it shows what a
//! driver sees and hides nothing — text-format values byte for byte, column type OIDs, the
//! parameter types the server inferred, command tags, SQLSTATEs and the transaction status —
//! which tokio-postgres does not expose (its simple protocol drops type OIDs, its extended
//! protocol asks for binary values).
//!
//! Invariants:
//! - One statement per extended-protocol exchange (unnamed statement and portal, one Sync), so
//!   an error skips nothing but that statement, as with any driver.
//! - A statement that fails contributes only its error: partial rows sent before an error are
//!   dropped, since where a server stops streaming is not part of the outcome.
//! - Every read has a deadline; an unanswered query sends a CancelRequest and reports
//!   `Unanswered` instead of hanging the test.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use bytes::BytesMut;
use fallible_iterator::FallibleIterator;
use postgres_protocol::authentication::md5_hash;
use postgres_protocol::authentication::sasl::{ChannelBinding, SCRAM_SHA_256, ScramSha256};
use postgres_protocol::message::backend::{
    CopyDataBody, DataRowBody, ErrorFields, Message, RowDescriptionBody,
};
use postgres_protocol::message::frontend;
use postgres_protocol::{IsNull, Oid};

use super::outcome::{Column, Failure, Notice, Outcome, StatementResult};

/// How long one query may take before it counts as unanswered.
const QUERY_TIMEOUT: Duration = Duration::from_secs(15);

/// Where and as whom to connect.
pub(crate) struct Login<'a> {
    pub(crate) port: u16,
    pub(crate) user: &'a str,
    pub(crate) password: &'a str,
    pub(crate) database: &'a str,
    /// More parameters for the startup packet (GUCs such as `TimeZone`).
    pub(crate) startup: &'a [(String, String)],
}

/// Why a session could not be opened.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// The server answered the startup or authentication with an ErrorResponse.
    Refused(Failure),
    Io(io::Error),
}

impl From<io::Error> for ConnectError {
    fn from(err: io::Error) -> ConnectError {
        ConnectError::Io(err)
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Refused(failure) => {
                write!(f, "refused: {} {}", failure.code, failure.message)
            }
            ConnectError::Io(err) => write!(f, "{err}"),
        }
    }
}

/// How a statement's parameters and results travel in the extended protocol.
pub(crate) struct Extended<'a> {
    /// Text-format parameter values (`None`: SQL NULL); their types are left to the server.
    pub(crate) params: &'a [Option<String>],
    /// Results in binary format (values compared as hex) instead of text.
    pub(crate) binary: bool,
}

/// One open session.
pub(crate) struct Conn {
    stream: TcpStream,
    port: u16,
    /// Bytes read and not yet parsed into messages.
    inbox: BytesMut,
    /// For CancelRequest: the backend's process id and secret key.
    cancel_key: Option<(i32, i32)>,
}

impl Conn {
    /// Connects and authenticates (trust, cleartext, MD5 or SCRAM-SHA-256).
    pub(crate) fn connect(login: &Login<'_>) -> Result<Conn, ConnectError> {
        let stream = TcpStream::connect(("127.0.0.1", login.port))?;
        stream.set_read_timeout(Some(QUERY_TIMEOUT))?;
        stream.set_nodelay(true)?;
        let mut conn = Conn {
            stream,
            port: login.port,
            inbox: BytesMut::new(),
            cancel_key: None,
        };
        let mut out = BytesMut::new();
        let base = [
            ("user", login.user),
            ("database", login.database),
            ("client_encoding", "UTF8"),
        ];
        let extra = login.startup.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        frontend::startup_message(base.into_iter().chain(extra), &mut out)?;
        conn.send(&out)?;
        let mut scram: Option<ScramSha256> = None;
        loop {
            let mut out = BytesMut::new();
            match conn.read()? {
                Message::AuthenticationOk => {}
                Message::AuthenticationCleartextPassword => {
                    frontend::password_message(login.password.as_bytes(), &mut out)?;
                }
                Message::AuthenticationMd5Password(body) => {
                    let hash = md5_hash(
                        login.user.as_bytes(),
                        login.password.as_bytes(),
                        body.salt(),
                    );
                    frontend::password_message(hash.as_bytes(), &mut out)?;
                }
                Message::AuthenticationSasl(_) => {
                    let started =
                        ScramSha256::new(login.password.as_bytes(), ChannelBinding::unsupported());
                    frontend::sasl_initial_response(SCRAM_SHA_256, started.message(), &mut out)?;
                    scram = Some(started);
                }
                Message::AuthenticationSaslContinue(body) => {
                    let state = scram
                        .as_mut()
                        .ok_or_else(|| protocol("SASL out of order"))?;
                    state.update(body.data())?;
                    frontend::sasl_response(state.message(), &mut out)?;
                }
                Message::AuthenticationSaslFinal(body) => {
                    let state = scram
                        .as_mut()
                        .ok_or_else(|| protocol("SASL out of order"))?;
                    state.finish(body.data())?;
                }
                Message::BackendKeyData(body) => {
                    conn.cancel_key = Some((body.process_id(), body.secret_key()));
                }
                Message::ErrorResponse(body) => {
                    return Err(ConnectError::Refused(failure(body.fields())?));
                }
                Message::ReadyForQuery(_) => return Ok(conn),
                _ => {}
            }
            if !out.is_empty() {
                conn.send(&out)?;
            }
        }
    }

    /// Runs `sql` (one or more statements) as one simple-protocol Query.
    pub(crate) fn simple(&mut self, sql: &str) -> io::Result<Outcome> {
        let mut out = BytesMut::new();
        frontend::query(sql, &mut out)?;
        self.send(&out)?;
        let mut outcome = Outcome::default();
        let mut current = StatementResult::default();
        loop {
            match self.read_answering()? {
                Message::RowDescription(body) => current.columns = Some(columns(&body)?),
                Message::DataRow(body) => current.rows.push(values(&body, false)?),
                Message::CopyData(body) => current.rows.push(vec![Some(copy_line(&body))]),
                Message::CommandComplete(body) => {
                    current.tag = body.tag()?.to_owned();
                    outcome.results.push(std::mem::take(&mut current));
                }
                Message::EmptyQueryResponse => {
                    current.tag = "(empty query)".to_owned();
                    outcome.results.push(std::mem::take(&mut current));
                }
                Message::NoticeResponse(body) => current.notices.push(notice(body.fields())?),
                Message::ErrorResponse(body) => {
                    outcome.error = Some(failure(body.fields())?);
                    current = StatementResult::default();
                }
                Message::ReadyForQuery(body) => {
                    outcome.status = body.status();
                    return Ok(outcome);
                }
                _ => {}
            }
        }
    }

    /// Runs one statement through Parse, Describe (statement), Bind, Execute and Sync.
    pub(crate) fn extended(&mut self, sql: &str, how: &Extended<'_>) -> io::Result<Outcome> {
        let mut out = BytesMut::new();
        frontend::parse("", sql, std::iter::empty::<Oid>(), &mut out)?;
        frontend::describe(b'S', "", &mut out)?;
        let bound = frontend::bind(
            "",
            "",
            [0i16],
            how.params.iter(),
            |value, buf| match value {
                Some(text) => {
                    buf.extend_from_slice(text.as_bytes());
                    Ok(IsNull::No)
                }
                None => Ok(IsNull::Yes),
            },
            [i16::from(how.binary)],
            &mut out,
        );
        bound.map_err(|_| protocol("a parameter too large to bind"))?;
        frontend::execute("", 0, &mut out)?;
        frontend::sync(&mut out);
        self.send(&out)?;
        let mut outcome = Outcome {
            params: Some(Vec::new()),
            ..Outcome::default()
        };
        let mut current = StatementResult::default();
        loop {
            match self.read_answering()? {
                Message::ParameterDescription(body) => {
                    outcome.params = Some(body.parameters().collect()?);
                }
                Message::RowDescription(body) => current.columns = Some(columns(&body)?),
                Message::DataRow(body) => current.rows.push(values(&body, how.binary)?),
                Message::CopyData(body) => current.rows.push(vec![Some(copy_line(&body))]),
                Message::CommandComplete(body) => {
                    current.tag = body.tag()?.to_owned();
                    outcome.results.push(std::mem::take(&mut current));
                }
                Message::EmptyQueryResponse => {
                    current.tag = "(empty query)".to_owned();
                    outcome.results.push(std::mem::take(&mut current));
                }
                Message::PortalSuspended => {
                    current.tag = "(portal suspended)".to_owned();
                    outcome.results.push(std::mem::take(&mut current));
                }
                Message::NoticeResponse(body) => current.notices.push(notice(body.fields())?),
                Message::ErrorResponse(body) => {
                    outcome.error = Some(failure(body.fields())?);
                    outcome.params = None;
                    outcome.results.clear();
                    current = StatementResult::default();
                }
                Message::ReadyForQuery(body) => {
                    outcome.status = body.status();
                    return Ok(outcome);
                }
                _ => {}
            }
        }
    }

    /// Asks the server to cancel whatever this session runs (best effort, on its own socket).
    pub(crate) fn cancel(&self) {
        let Some((process_id, secret_key)) = self.cancel_key else {
            return;
        };
        let mut out = BytesMut::new();
        frontend::cancel_request(process_id, secret_key, &mut out);
        if let Ok(mut socket) = TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = socket.write_all(&out);
        }
    }

    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// The next message, answering a COPY FROM STDIN with CopyFail so that the exchange ends
    /// (the corpus sends no COPY data).
    fn read_answering(&mut self) -> io::Result<Message> {
        loop {
            match self.read()? {
                Message::CopyInResponse(_) => {
                    let mut out = BytesMut::new();
                    frontend::copy_fail("the differential corpus sends no COPY data", &mut out)?;
                    self.send(&out)?;
                }
                message => return Ok(message),
            }
        }
    }

    fn read(&mut self) -> io::Result<Message> {
        loop {
            if let Some(message) = Message::parse(&mut self.inbox)? {
                return Ok(message);
            }
            let mut chunk = [0u8; 16 * 1024];
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection",
                ));
            }
            self.inbox.extend_from_slice(&chunk[..n]);
        }
    }
}

/// A COPY TO line, compared as a one-column row.
fn copy_line(body: &CopyDataBody) -> String {
    String::from_utf8_lossy(body.data()).into_owned()
}

fn columns(body: &RowDescriptionBody) -> io::Result<Vec<Column>> {
    body.fields()
        .map(|field| {
            Ok(Column {
                name: field.name().to_owned(),
                type_oid: field.type_oid(),
            })
        })
        .collect()
}

fn values(body: &DataRowBody, binary: bool) -> io::Result<Vec<Option<String>>> {
    let buffer = body.buffer();
    body.ranges()
        .map(|range| {
            Ok(range.map(|range| {
                let bytes = &buffer[range];
                if binary {
                    bytes.iter().map(|b| format!("{b:02x}")).collect()
                } else {
                    String::from_utf8_lossy(bytes).into_owned()
                }
            }))
        })
        .collect()
}

fn failure(mut fields: ErrorFields<'_>) -> io::Result<Failure> {
    let mut failure = Failure::default();
    while let Some(field) = fields.next()? {
        match field.type_() {
            b'C' => failure.code = String::from_utf8_lossy(field.value_bytes()).into_owned(),
            b'M' => failure.message = String::from_utf8_lossy(field.value_bytes()).into_owned(),
            _ => {}
        }
    }
    Ok(failure)
}

fn notice(mut fields: ErrorFields<'_>) -> io::Result<Notice> {
    let mut notice = Notice::default();
    while let Some(field) = fields.next()? {
        let value = || String::from_utf8_lossy(field.value_bytes()).into_owned();
        match field.type_() {
            b'S' => notice.severity = value(),
            b'C' => notice.code = value(),
            b'M' => notice.message = value(),
            _ => {}
        }
    }
    Ok(notice)
}

fn protocol(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}
