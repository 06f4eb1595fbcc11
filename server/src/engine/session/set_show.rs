//! The session commands: SET (with SET ROLE), RESET, SHOW, DISCARD and DEALLOCATE.
//!
//! Invariants:
//! - `SET mindoo.keys` goes to the session's keys (`Session::set_keys`) and never reaches the
//!   settings map; SHOW reports only the names and versions of held keys.
//! - Parameter names fold like identifiers; SHOW of an unknown parameter is 42704.
//! - The current role changes only through `set_role`, which checks membership, whether it
//!   is spelled `SET ROLE r` or `SET role = 'r'`.

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::sql::sqlparser::ast::{DiscardObject, Expr, Ident, Reset, Set};
use zeroize::Zeroizing;

use super::Session;
use crate::catalog::{KEYS_SETTING, ROLE_SETTING, acl, names};
use crate::engine::sql::literal::value_text;
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType};

/// SET.
pub(crate) fn set(session: &mut Session, set: Set) -> Result<Output> {
    match set {
        Set::SingleAssignment {
            variable, values, ..
        } => {
            let name = names::parts(&variable)?.join(".");
            // `SET name TO DEFAULT` (the keyword, not the string) is RESET.
            let default = matches!(values.as_slice(), [Expr::Identifier(ident)]
                if ident.quote_style.is_none() && ident.value.eq_ignore_ascii_case("default"));
            let value = values.iter().map(value_text).collect::<Vec<_>>().join(", ");
            if name == KEYS_SETTING {
                let tokens = Zeroizing::new(value);
                session.set_keys(&tokens)?;
            } else if name == ROLE_SETTING {
                set_role(session, if default { "none" } else { &value })?;
            } else if default {
                session.settings().reset(&name);
            } else {
                session.settings().set(&name, value)?;
            }
        }
        Set::SetTimeZone { value, .. } => {
            session.settings().set("timezone", value_text(&value))?;
        }
        Set::SetNames { charset_name, .. } => {
            session
                .settings()
                .set("client_encoding", charset_name.to_string())?;
        }
        Set::SetRole { role_name, .. } => {
            let role = role_name.map_or_else(|| "none".to_owned(), |r| names::fold(&r));
            set_role(session, &role)?;
        }
        // SET SESSION CHARACTERISTICS and the like change nothing MindooDB models.
        _ => {}
    }
    Ok(command("SET"))
}

/// SET ROLE: `role` (or `none`, the session's own) becomes the current role, when the
/// session's role is a superuser or a member of it, directly or through other roles.
fn set_role(session: &Session, role: &str) -> Result<()> {
    if role != "none" {
        let roles = session.store().roles()?;
        let own = session.role();
        if !roles.iter().any(|r| r.name == role) {
            return Err(Error::NoSuchRoleToSet(role.to_owned()));
        }
        if !own.superuser && !acl::reachable(&roles, &own.name, false).contains(role) {
            return Err(Error::InsufficientPrivilege(format!(
                "permission denied to set role \"{role}\""
            )));
        }
    }
    session.settings().set(ROLE_SETTING, role.to_owned())?;
    Ok(())
}

/// RESET name, RESET ALL: back to the value a new session starts with.
pub(crate) fn reset(session: &Session, reset: &Reset) -> Result<Output> {
    match reset {
        Reset::ALL => session.settings().reset_all(),
        Reset::ConfigurationParameter(name) => {
            let name = names::parts(name)?.join(".");
            if name == KEYS_SETTING {
                return Err(Error::FeatureNotSupported(
                    "RESET mindoo.keys: use mindoo.lock()".into(),
                ));
            }
            session.settings().reset(&name);
        }
    }
    Ok(command("RESET"))
}

/// SHOW name, SHOW ALL.
pub(crate) fn show(session: &Session, variable: &[Ident]) -> Result<Output> {
    let name = show_name(variable);
    if name == "all" {
        let mut all: Vec<(String, String)> = session.all_settings().into_iter().collect();
        all.sort();
        let (names, values): (Vec<String>, Vec<String>) = all.into_iter().unzip();
        return Output::table(
            "SHOW",
            vec![
                (text_column("name"), Arc::new(StringArray::from(names))),
                (text_column("setting"), Arc::new(StringArray::from(values))),
            ],
        );
    }
    let value = session.setting(&name).ok_or_else(|| {
        Error::UndefinedObject(format!("unrecognized configuration parameter \"{name}\""))
    })?;
    let column = show_column_name(&name);
    Output::table(
        "SHOW",
        vec![(
            text_column(&column),
            Arc::new(StringArray::from(vec![value])),
        )],
    )
}

/// The columns SHOW returns, for Describe.
pub(crate) fn show_columns(variable: &[Ident]) -> Vec<Column> {
    let name = show_name(variable);
    if name == "all" {
        vec![text_column("name"), text_column("setting")]
    } else {
        vec![text_column(&show_column_name(&name))]
    }
}

/// DISCARD; `DISCARD ALL` includes `UNLISTEN *`.
pub(crate) fn discard(session: &mut Session, object: DiscardObject) -> Output {
    let tag = match object {
        DiscardObject::ALL => {
            session.listening_mut().clear();
            "DISCARD ALL"
        }
        DiscardObject::PLANS => "DISCARD PLANS",
        DiscardObject::SEQUENCES => "DISCARD SEQUENCES",
        DiscardObject::TEMP => "DISCARD TEMP",
    };
    command(tag)
}

/// The parameter SHOW names. The parser drops the dots of `SHOW mindoo.keys`, so words join
/// with dots unless they spell one of Postgres' multi-word parameters.
pub(crate) fn show_name(variable: &[Ident]) -> String {
    const MULTI_WORD: [&str; 3] = [
        "time zone",
        "transaction isolation level",
        "session authorization",
    ];
    let words: Vec<String> = variable.iter().map(names::fold).collect();
    let spaced = words.join(" ");
    if MULTI_WORD.contains(&spaced.as_str()) {
        spaced
    } else {
        words.join(".")
    }
}

fn show_column_name(name: &str) -> String {
    match name {
        "time zone" => "TimeZone".into(),
        "transaction isolation level" => "transaction_isolation".into(),
        other => other.to_owned(),
    }
}

fn text_column(name: &str) -> Column {
    Column {
        name: name.to_owned(),
        pg_type: PgType::Text,
    }
}

fn command(tag: &'static str) -> Output {
    Output::Command { tag, rows: None }
}
