//! PostgreSQL's GRANT forms sqlparser does not read, parsed into its `Grant` and `Revoke`
//! nodes: role membership (`GRANT g TO u [WITH ADMIN OPTION]`, `REVOKE g FROM u`) as
//! `Action::Role` privileges without objects (through the dialect's statement hook), and
//! `ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT|REVOKE [GRANT OPTION FOR] ...
//! ON TABLES ...` (through `own_syntax.rs`'s loop) as grants on `FUTURE TABLES IN SCHEMA s`
//! (what default privileges are: grants on tables yet to be created; no schema when none is
//! named, PostgreSQL's global defaults), with the role in `as_grantor` (GRANT) or
//! `granted_by` (REVOKE).
//!
//! Invariants:
//! - Returns `None`, leaving the statement to sqlparser, unless the text is one of these
//!   forms: a GRANT whose first word is a privilege keyword is sqlparser's.

use datafusion::sql::sqlparser::ast::{
    Action, CascadeOption, Grant, GrantObjects, Grantee, GranteeName, GranteesType, Ident,
    ObjectName, Privileges, Revoke, Statement,
};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

/// Words that begin a privilege list rather than a role list.
const PRIVILEGE_WORDS: [Keyword; 14] = [
    Keyword::SELECT,
    Keyword::INSERT,
    Keyword::UPDATE,
    Keyword::DELETE,
    Keyword::TRUNCATE,
    Keyword::REFERENCES,
    Keyword::TRIGGER,
    Keyword::CREATE,
    Keyword::CONNECT,
    Keyword::TEMPORARY,
    Keyword::TEMP,
    Keyword::EXECUTE,
    Keyword::USAGE,
    Keyword::ALL,
];

/// The statement at the parser's position, when it is one of this file's forms.
pub(super) fn parse(parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
    let [first, second] = parser.peek_tokens_with_location::<2>().map(|t| t.token);
    match (keyword(&first), &second) {
        (Some(Keyword::GRANT), word) if is_role_word(word) => Some(role_grant(parser)),
        (Some(Keyword::REVOKE), word) if is_role_word(word) => Some(role_revoke(parser)),
        _ => None,
    }
}

fn keyword(token: &Token) -> Option<Keyword> {
    match token {
        Token::Word(word) if word.quote_style.is_none() => Some(word.keyword),
        _ => None,
    }
}

/// True for a word that names a role where a privilege could stand (`GRANT g TO u`).
fn is_role_word(token: &Token) -> bool {
    match token {
        Token::Word(word) if word.quote_style.is_some() => true,
        Token::Word(word) => {
            !PRIVILEGE_WORDS.contains(&word.keyword)
                && !matches!(
                    word.keyword,
                    Keyword::ROLE | Keyword::GRANT | Keyword::ADMIN | Keyword::INHERIT
                )
        }
        _ => false,
    }
}

fn role_grant(parser: &mut Parser) -> Result<Statement, ParserError> {
    parser.expect_keyword(Keyword::GRANT)?;
    let roles = role_actions(parser)?;
    parser.expect_keyword(Keyword::TO)?;
    let grantees = role_grantees(parser)?;
    let admin = parser.parse_keywords(&[Keyword::WITH, Keyword::ADMIN, Keyword::OPTION]);
    let granted_by = granted_by(parser)?;
    Ok(Statement::Grant(Grant {
        privileges: Privileges::Actions(roles),
        objects: None,
        grantees,
        with_grant_option: admin,
        as_grantor: None,
        granted_by,
        current_grants: None,
    }))
}

fn role_revoke(parser: &mut Parser) -> Result<Statement, ParserError> {
    parser.expect_keyword(Keyword::REVOKE)?;
    role_revoke_body(parser).map(Statement::Revoke)
}

/// `roles FROM members [GRANTED BY r] [CASCADE | RESTRICT]`, after `REVOKE` (or after
/// `REVOKE ADMIN OPTION FOR`, `own_syntax.rs`).
pub(super) fn role_revoke_body(parser: &mut Parser) -> Result<Revoke, ParserError> {
    let roles = role_actions(parser)?;
    parser.expect_keyword(Keyword::FROM)?;
    let grantees = role_grantees(parser)?;
    let granted_by = granted_by(parser)?;
    let cascade = match parser.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]) {
        Some(Keyword::CASCADE) => Some(CascadeOption::Cascade),
        Some(_) => Some(CascadeOption::Restrict),
        None => None,
    };
    Ok(Revoke {
        privileges: Privileges::Actions(roles),
        objects: None,
        grantees,
        granted_by,
        cascade,
    })
}

fn role_actions(parser: &mut Parser) -> Result<Vec<Action>, ParserError> {
    let roles = parser.parse_comma_separated(Parser::parse_identifier)?;
    Ok(roles
        .into_iter()
        .map(|role| Action::Role {
            role: ObjectName::from(vec![role]),
        })
        .collect())
}

fn role_grantees(parser: &mut Parser) -> Result<Vec<Grantee>, ParserError> {
    parser.parse_comma_separated(|p| {
        let _ = p.parse_one_of_keywords(&[Keyword::GROUP, Keyword::USER, Keyword::ROLE]);
        let name = p.parse_identifier()?;
        Ok(Grantee {
            grantee_type: GranteesType::None,
            name: Some(GranteeName::ObjectName(ObjectName::from(vec![name]))),
        })
    })
}

fn granted_by(parser: &mut Parser) -> Result<Option<Ident>, ParserError> {
    if parser.parse_keywords(&[Keyword::GRANTED, Keyword::BY]) {
        Ok(Some(parser.parse_identifier()?))
    } else {
        Ok(None)
    }
}

/// True when the parser stands at `ALTER DEFAULT PRIVILEGES`.
pub(super) fn at_default_privileges(parser: &Parser) -> bool {
    let words = parser
        .peek_tokens_with_location::<3>()
        .map(|t| keyword(&t.token));
    words
        == [
            Some(Keyword::ALTER),
            Some(Keyword::DEFAULT),
            Some(Keyword::PRIVILEGES),
        ]
}

/// `ALTER DEFAULT PRIVILEGES ...`, and whether its REVOKE is `REVOKE GRANT OPTION FOR` (which
/// `own_syntax.rs` hands on as its own statement, since `Revoke` cannot say it).
pub(super) fn default_privileges(parser: &mut Parser) -> Result<(Statement, bool), ParserError> {
    parser.expect_keywords(&[Keyword::ALTER, Keyword::DEFAULT, Keyword::PRIVILEGES])?;
    let mut role = None;
    // No schema named: the role's defaults for every schema.
    let mut schemas = Vec::new();
    loop {
        if parser.parse_keyword(Keyword::FOR) {
            parser.expect_one_of_keywords(&[Keyword::ROLE, Keyword::USER])?;
            role = Some(parser.parse_identifier()?);
        } else if parser.parse_keywords(&[Keyword::IN, Keyword::SCHEMA]) {
            schemas = parser.parse_comma_separated(|p| p.parse_object_name(false))?;
        } else {
            break;
        }
    }
    let on_tables = |objects: &Option<GrantObjects>| match objects {
        Some(GrantObjects::Tables(names)) => {
            matches!(names.as_slice(), [name] if name.to_string().eq_ignore_ascii_case("tables"))
        }
        _ => false,
    };
    let future = Some(GrantObjects::FutureTablesInSchema { schemas });
    let only_tables =
        || ParserError::ParserError("ALTER DEFAULT PRIVILEGES supports ON TABLES only".into());
    if parser.parse_keyword(Keyword::GRANT) {
        let mut grant = parser.parse_grant()?;
        if !on_tables(&grant.objects) {
            return Err(only_tables());
        }
        grant.objects = future;
        grant.as_grantor = role;
        Ok((Statement::Grant(grant), false))
    } else {
        parser.expect_keyword(Keyword::REVOKE)?;
        let option_only = parser.parse_keywords(&[Keyword::GRANT, Keyword::OPTION, Keyword::FOR]);
        let mut revoke = parser.parse_revoke()?;
        if !on_tables(&revoke.objects) {
            return Err(only_tables());
        }
        revoke.objects = future;
        revoke.granted_by = role;
        Ok((Statement::Revoke(revoke), option_only))
    }
}
