//! The notices and warnings a statement raised (`crate::notice::Notice`), as PostgreSQL sends
//! them: one NoticeResponse each, with its severity, SQLSTATE and text, before the statement's
//! reply.
//!
//! Invariants:
//! - Severity, SQLSTATE, message and detail are PostgreSQL 15's for the same condition.
//! - Notices go out in the order the statement raised them, and only for the statement that
//!   raised them (`Session::take_notices` empties the list).

use std::fmt::Debug;

use futures::{Sink, SinkExt};
use pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;
use pgwire::messages::response::NoticeResponse;

use crate::notice::Notice;
use crate::pg::sqlstate as code;

const WARNING: &str = "WARNING";
const NOTICE: &str = "NOTICE";

/// Sends `notices`, in order.
pub(crate) async fn send<C>(client: &mut C, notices: Vec<Notice>) -> PgWireResult<()>
where
    C: Sink<PgWireBackendMessage> + Unpin,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    for notice in notices {
        client
            .feed(PgWireBackendMessage::NoticeResponse(response(notice)))
            .await?;
    }
    Ok(())
}

fn response(notice: Notice) -> NoticeResponse {
    let (severity, code, message, detail) = match notice {
        Notice::Unprivileged {
            revoke,
            nothing,
            object,
        } => {
            let message = match (revoke, nothing) {
                (false, true) => format!("no privileges were granted for {object}"),
                (false, false) => format!("not all privileges were granted for {object}"),
                (true, true) => format!("no privileges could be revoked for {object}"),
                (true, false) => format!("not all privileges could be revoked for {object}"),
            };
            let code = if revoke {
                code::PRIVILEGE_NOT_REVOKED
            } else {
                code::PRIVILEGE_NOT_GRANTED
            };
            (WARNING, code, message, None)
        }
        Notice::AlreadyInTransaction => (
            WARNING,
            code::ACTIVE_SQL_TRANSACTION,
            "there is already a transaction in progress".to_owned(),
            None,
        ),
        Notice::NoTransaction => (
            WARNING,
            code::NO_ACTIVE_SQL_TRANSACTION,
            "there is no transaction in progress".to_owned(),
            None,
        ),
        Notice::Skipped { kind, name } => (
            NOTICE,
            code::SUCCESSFUL_COMPLETION,
            format!("{kind} \"{name}\" does not exist, skipping"),
            None,
        ),
        Notice::RelationExists(name) => (
            NOTICE,
            code::DUPLICATE_TABLE,
            format!("relation \"{name}\" already exists, skipping"),
            None,
        ),
        Notice::DropCascades(objects) => match objects.as_slice() {
            [one] => (
                NOTICE,
                code::SUCCESSFUL_COMPLETION,
                format!("drop cascades to {one}"),
                None,
            ),
            many => (
                NOTICE,
                code::SUCCESSFUL_COMPLETION,
                format!("drop cascades to {} other objects", many.len()),
                Some(
                    many.iter()
                        .map(|object| format!("drop cascades to {object}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ),
        },
        Notice::AlreadyMember { member, role } => (
            NOTICE,
            code::SUCCESSFUL_COMPLETION,
            format!("role \"{member}\" is already a member of role \"{role}\""),
            None,
        ),
        Notice::NotMember { member, role } => (
            WARNING,
            code::WARNING,
            format!("role \"{member}\" is not a member of role \"{role}\""),
            None,
        ),
    };
    let mut info = ErrorInfo::new(severity.to_owned(), code.to_owned(), message);
    info.detail = detail;
    info.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(notice: Notice) -> Vec<(u8, String)> {
        response(notice).fields
    }

    #[test]
    fn notices_carry_postgres_severity_code_and_text() {
        let cases = [
            (
                Notice::Unprivileged {
                    revoke: false,
                    nothing: true,
                    object: "\"t2\"".into(),
                },
                "WARNING",
                "01007",
                "no privileges were granted for \"t2\"",
            ),
            (
                Notice::Unprivileged {
                    revoke: true,
                    nothing: false,
                    object: "column \"a\" of relation \"t2\"".into(),
                },
                "WARNING",
                "01006",
                "not all privileges could be revoked for column \"a\" of relation \"t2\"",
            ),
            (
                Notice::AlreadyInTransaction,
                "WARNING",
                "25001",
                "there is already a transaction in progress",
            ),
            (
                Notice::NoTransaction,
                "WARNING",
                "25P01",
                "there is no transaction in progress",
            ),
            (
                Notice::Skipped {
                    kind: "table",
                    name: "nope".into(),
                },
                "NOTICE",
                "00000",
                "table \"nope\" does not exist, skipping",
            ),
            (
                Notice::RelationExists("t".into()),
                "NOTICE",
                "42P07",
                "relation \"t\" already exists, skipping",
            ),
            (
                Notice::DropCascades(vec!["view v1".into()]),
                "NOTICE",
                "00000",
                "drop cascades to view v1",
            ),
            (
                Notice::NotMember {
                    member: "u".into(),
                    role: "g".into(),
                },
                "WARNING",
                "01000",
                "role \"u\" is not a member of role \"g\"",
            ),
        ];
        for (notice, severity, sqlstate, message) in cases {
            let fields = fields(notice);
            let field = |tag: u8| {
                fields
                    .iter()
                    .find(|(t, _)| *t == tag)
                    .map(|(_, v)| v.as_str())
            };
            assert_eq!(field(b'S'), Some(severity));
            assert_eq!(field(b'C'), Some(sqlstate));
            assert_eq!(field(b'M'), Some(message));
        }
        let many = fields(Notice::DropCascades(vec![
            "view v1".into(),
            "view v2".into(),
        ]));
        assert!(many.contains(&(b'M', "drop cascades to 2 other objects".into())));
        assert!(many.contains(&(
            b'D',
            "drop cascades to view v1\ndrop cascades to view v2".into()
        )));
    }
}
