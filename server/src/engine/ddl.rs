//! DDL and session commands: CREATE TABLE, databases (tenants), roles, grants, SET and SHOW
//! (DROP TABLE and views are in `views.rs`, which knows what depends on a table).
//!
//! Invariants:
//! - Only superusers create or drop databases and roles; any role admitted to a tenant may
//!   create and drop its tables.
//! - DROP ROLE, ALTER ROLE, REVOKE and DROP DATABASE announce `access_changed`, so open
//!   sessions that lost access end.
//! - Passwords become SCRAM verifiers before they reach the store; keys given to SET never reach
//!   the settings map.

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::sql::sqlparser::ast::{
    AlterRoleOperation, CreateTableOptions, Expr, GrantObjects, GranteeName, ObjectName, Password,
    RoleOption, Set, SqlOption, Statement, Value as SqlValue,
};
use mindoodb_protocol::KeyName;
use mindoodb_storage::RoleRecord;
use zeroize::Zeroizing;

use super::classify::Kind;
use super::session::Session;
use crate::error::{Error, Result};
use crate::output::{Column, Output, PgType};
use crate::pg::scram::make_verifier;

pub(crate) fn run(session: &mut Session, kind: Kind, statement: Statement) -> Result<Output> {
    let store = session.engine.store().clone();
    let tenant = session.tenant.id;
    match (kind, statement) {
        (Kind::CreateTable, Statement::CreateTable(create)) => {
            if !create.columns.is_empty() || create.query.is_some() {
                return Err(Error::FeatureNotSupported(
                    "document tables have fixed columns (id, data, rev, seq, key_id, author, created_at, updated_at): use CREATE TABLE name ()".into(),
                ));
            }
            let name = simple_name(&create.name)?;
            let default_key = table_key_option(&create.table_options)?;
            if store.table(tenant, &name).is_some() {
                if create.if_not_exists {
                    return Ok(command("CREATE TABLE"));
                }
                return Err(Error::DuplicateTable(name));
            }
            store
                .create_table(tenant, &name, default_key)
                .map_err(|e| already(e, Error::DuplicateTable(name.clone())))?;
            Ok(command("CREATE TABLE"))
        }
        (
            Kind::CreateDatabase,
            Statement::CreateDatabase {
                db_name,
                if_not_exists,
                ..
            },
        ) => {
            require_superuser(session, "create databases")?;
            let name = simple_name(&db_name)?;
            if store.tenant(&name).is_some() {
                if if_not_exists {
                    return Ok(command("CREATE DATABASE"));
                }
                return Err(Error::DuplicateDatabase(name));
            }
            store
                .create_tenant(&name)
                .map_err(|e| already(e, Error::DuplicateDatabase(name.clone())))?;
            Ok(command("CREATE DATABASE"))
        }
        (
            Kind::DropDatabase,
            Statement::Drop {
                names, if_exists, ..
            },
        ) => {
            require_superuser(session, "drop databases")?;
            for name in &names {
                let name = simple_name(name)?;
                if name == session.tenant.name {
                    return Err(Error::NotAllowed(
                        "cannot drop the currently open database".into(),
                    ));
                }
                match store.drop_tenant(&name) {
                    Ok(()) => {}
                    Err(mindoodb_storage::Error::NoSuchTenant(_)) if if_exists => {}
                    Err(mindoodb_storage::Error::NoSuchTenant(_)) => {
                        return Err(Error::UndefinedDatabase(name));
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            session.engine.access_changed();
            Ok(command("DROP DATABASE"))
        }
        (Kind::CreateRole, Statement::CreateRole(create)) => {
            require_superuser(session, "create roles")?;
            for name in &create.names {
                let name = simple_name(name)?;
                let auth = match &create.password {
                    Some(Password::Password(expr)) => make_verifier(&password_text(expr)?),
                    Some(Password::NullPassword) | None => Vec::new(),
                };
                let role = RoleRecord {
                    name: name.clone(),
                    auth,
                    login: create.login.unwrap_or(false),
                    superuser: create.superuser.unwrap_or(false),
                };
                match store.create_role(&role) {
                    Ok(()) => {}
                    Err(mindoodb_storage::Error::AlreadyExists(_)) if create.if_not_exists => {}
                    Err(e) => {
                        return Err(already(
                            e,
                            Error::DuplicateObject(format!("role \"{name}\"")),
                        ));
                    }
                }
            }
            Ok(command("CREATE ROLE"))
        }
        (Kind::AlterRole, Statement::AlterRole { name, operation }) => {
            let name = name.value.to_lowercase();
            let own_password_only = name == session.role.name;
            let mut role = store
                .role(&name)?
                .ok_or_else(|| Error::UndefinedObject(format!("role \"{name}\"")))?;
            let AlterRoleOperation::WithOptions { options } = operation else {
                return Err(Error::FeatureNotSupported("this form of ALTER ROLE".into()));
            };
            for option in options {
                match option {
                    RoleOption::Password(Password::Password(expr)) => {
                        role.auth = make_verifier(&password_text(&expr)?)
                    }
                    RoleOption::Password(Password::NullPassword) => role.auth = Vec::new(),
                    RoleOption::Login(login) => {
                        require_superuser(session, "change LOGIN")?;
                        role.login = login;
                    }
                    RoleOption::SuperUser(superuser) => {
                        require_superuser(session, "change SUPERUSER")?;
                        role.superuser = superuser;
                    }
                    other => {
                        return Err(Error::FeatureNotSupported(format!("role option {other}")));
                    }
                }
            }
            if !own_password_only {
                require_superuser(session, "alter other roles")?;
            }
            store.update_role(&role)?;
            session.engine.access_changed();
            Ok(command("ALTER ROLE"))
        }
        (
            Kind::DropRole,
            Statement::Drop {
                names, if_exists, ..
            },
        ) => {
            require_superuser(session, "drop roles")?;
            for name in &names {
                let name = simple_name(name)?;
                match store.drop_role(&name) {
                    Ok(()) => {}
                    Err(mindoodb_storage::Error::NoSuchRole(_)) if if_exists => {}
                    Err(mindoodb_storage::Error::NoSuchRole(_)) => {
                        return Err(Error::UndefinedObject(format!("role \"{name}\"")));
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            session.engine.access_changed();
            Ok(command("DROP ROLE"))
        }
        (Kind::Grant, Statement::Grant(grant)) => {
            require_superuser(session, "grant")?;
            let (databases, roles) = grant_targets(grant.objects.as_ref(), &grant.grantees)?;
            for database in &databases {
                for role in &roles {
                    store.grant(role, database).map_err(grant_error)?;
                }
            }
            Ok(command("GRANT"))
        }
        (Kind::Revoke, Statement::Revoke(revoke)) => {
            require_superuser(session, "revoke")?;
            let (databases, roles) = grant_targets(revoke.objects.as_ref(), &revoke.grantees)?;
            for database in &databases {
                for role in &roles {
                    store.revoke(role, database).map_err(grant_error)?;
                }
            }
            session.engine.access_changed();
            Ok(command("REVOKE"))
        }
        _ => Err(Error::Internal("statement kind and shape disagree".into())),
    }
}

pub(crate) fn set(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::Set(set) = statement else {
        return Err(Error::Internal("not a SET".into()));
    };
    match set {
        Set::SingleAssignment {
            variable, values, ..
        } => {
            let name = variable.to_string().to_lowercase();
            let value = values.iter().map(value_text).collect::<Vec<_>>().join(", ");
            if name == "mindoo.keys" {
                let tokens = Zeroizing::new(value);
                session.set_keys(&tokens)?;
            } else {
                session.settings.set(&name, value);
            }
        }
        Set::SetTimeZone { value, .. } => session.settings.set("timezone", value_text(&value)),
        Set::SetNames { charset_name, .. } => session
            .settings
            .set("client_encoding", charset_name.to_string()),
        // SET SESSION CHARACTERISTICS, SET ROLE and the like change nothing MindooDB models.
        _ => {}
    }
    Ok(command("SET"))
}

pub(crate) fn show(session: &mut Session, statement: Statement) -> Result<Output> {
    let Statement::ShowVariable { variable } = statement else {
        return Err(Error::Internal("not a SHOW".into()));
    };
    let name = show_name(&variable);
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

pub(crate) fn show_columns(statement: &Statement) -> Vec<Column> {
    let Statement::ShowVariable { variable } = statement else {
        return Vec::new();
    };
    let name = show_name(variable);
    if name == "all" {
        vec![text_column("name"), text_column("setting")]
    } else {
        vec![text_column(&show_column_name(&name))]
    }
}

/// The parameter SHOW names. The parser drops the dots of `SHOW mindoo.keys`, so words join
/// with dots unless they spell one of Postgres' multi-word parameters.
pub(crate) fn show_name(variable: &[datafusion::sql::sqlparser::ast::Ident]) -> String {
    const MULTI_WORD: [&str; 3] = [
        "time zone",
        "transaction isolation level",
        "session authorization",
    ];
    let words: Vec<String> = variable.iter().map(|i| i.value.to_lowercase()).collect();
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

pub(crate) fn command(tag: &'static str) -> Output {
    Output::Command { tag, rows: None }
}

fn require_superuser(session: &Session, what: &str) -> Result<()> {
    if session.role.superuser {
        Ok(())
    } else {
        Err(Error::NotAllowed(format!("only superusers may {what}")))
    }
}

pub(crate) fn simple_name(name: &ObjectName) -> Result<String> {
    match name.0.as_slice() {
        [part] => part
            .as_ident()
            .map(|i| i.value.to_lowercase())
            .ok_or_else(|| Error::Syntax(format!("bad name {name}"))),
        _ => Err(Error::FeatureNotSupported(format!("qualified name {name}"))),
    }
}

/// `WITH (key = 'hr')` on CREATE TABLE.
fn table_key_option(options: &CreateTableOptions) -> Result<Option<KeyName>> {
    let list = match options {
        CreateTableOptions::None => return Ok(None),
        CreateTableOptions::With(list)
        | CreateTableOptions::Options(list)
        | CreateTableOptions::Plain(list) => list,
        CreateTableOptions::TableProperties(_) => {
            return Err(Error::FeatureNotSupported("table properties".into()));
        }
    };
    let mut key = None;
    for option in list {
        match option {
            SqlOption::KeyValue { key: name, value } if name.value.eq_ignore_ascii_case("key") => {
                key = Some(
                    KeyName::new(value_text(value))
                        .map_err(|e| Error::InvalidParameter(e.to_string()))?,
                );
            }
            other => return Err(Error::FeatureNotSupported(format!("table option {other}"))),
        }
    }
    Ok(key)
}

fn grant_targets(
    objects: Option<&GrantObjects>,
    grantees: &[datafusion::sql::sqlparser::ast::Grantee],
) -> Result<(Vec<String>, Vec<String>)> {
    let Some(GrantObjects::Databases(databases)) = objects else {
        return Err(Error::FeatureNotSupported(
            "only GRANT/REVOKE CONNECT ON DATABASE".into(),
        ));
    };
    let databases = databases
        .iter()
        .map(simple_name)
        .collect::<Result<Vec<_>>>()?;
    let roles = grantees
        .iter()
        .map(|g| match &g.name {
            Some(GranteeName::ObjectName(name)) => simple_name(name),
            _ => Err(Error::FeatureNotSupported("this grantee form".into())),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((databases, roles))
}

fn grant_error(err: mindoodb_storage::Error) -> Error {
    match err {
        mindoodb_storage::Error::NoSuchRole(name) => {
            Error::UndefinedObject(format!("role \"{name}\""))
        }
        mindoodb_storage::Error::NoSuchTenant(name) => Error::UndefinedDatabase(name),
        other => other.into(),
    }
}

fn already(err: mindoodb_storage::Error, instead: Error) -> Error {
    match err {
        mindoodb_storage::Error::AlreadyExists(_) => instead,
        mindoodb_storage::Error::InvalidName(name) => Error::InvalidParameter(format!(
            "invalid name \"{name}\": use lowercase letters, digits and '_', starting with a letter"
        )),
        other => other.into(),
    }
}

fn password_text(expr: &Expr) -> Result<Zeroizing<String>> {
    match expr {
        Expr::Value(v) => match &v.value {
            SqlValue::SingleQuotedString(s) => Ok(Zeroizing::new(s.clone())),
            _ => Err(Error::Syntax("a password is a string literal".into())),
        },
        _ => Err(Error::Syntax("a password is a string literal".into())),
    }
}

/// A SET value or option as text: string literals unquoted, anything else as written.
pub(crate) fn value_text(expr: &Expr) -> String {
    match expr {
        Expr::Value(v) => match &v.value {
            SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}
