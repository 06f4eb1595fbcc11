//! Roles and grants: CREATE ROLE, ALTER ROLE, DROP ROLE, and GRANT/REVOKE CONNECT ON DATABASE.
//!
//! Invariants:
//! - Superusers only, except that a role may change its own password.
//! - Passwords become SCRAM verifiers (`verifier.rs`) before they reach the store.
//! - ALTER ROLE, DROP ROLE and REVOKE announce `access_changed`.

use datafusion::sql::sqlparser::ast::{
    AlterRoleOperation, CreateRole, Expr, GrantObjects, Grantee, GranteeName, Ident, ObjectName,
    Password, RoleOption, Value as SqlValue,
};
use mindoodb_storage::RoleRecord;
use zeroize::Zeroizing;

use super::{already, command, require_superuser};
use crate::catalog::names;
use crate::engine::session::Session;
use crate::error::{Error, Result};
use crate::output::Output;
use crate::verifier;

/// CREATE ROLE / CREATE USER.
pub(crate) fn create(session: &Session, create: &CreateRole) -> Result<Output> {
    require_superuser(session, "create roles")?;
    for name in &create.names {
        let name = names::single(name)?;
        let auth = match &create.password {
            Some(Password::Password(expr)) => verifier::make(&password_text(expr)?),
            Some(Password::NullPassword) | None => Vec::new(),
        };
        let role = RoleRecord {
            name: name.clone(),
            auth,
            login: create.login.unwrap_or(false),
            superuser: create.superuser.unwrap_or(false),
        };
        match session.store().create_role(&role) {
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

/// ALTER ROLE name WITH options.
pub(crate) fn alter(
    session: &Session,
    name: &Ident,
    operation: AlterRoleOperation,
) -> Result<Output> {
    let store = session.store();
    let name = names::fold(name);
    let own_password_only = name == session.role().name;
    let mut role = store
        .role(&name)?
        .ok_or_else(|| Error::UndefinedObject(format!("role \"{name}\"")))?;
    let AlterRoleOperation::WithOptions { options } = operation else {
        return Err(Error::FeatureNotSupported("this form of ALTER ROLE".into()));
    };
    for option in options {
        match option {
            RoleOption::Password(Password::Password(expr)) => {
                role.auth = verifier::make(&password_text(&expr)?)
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
    session.engine().access_changed();
    Ok(command("ALTER ROLE"))
}

/// DROP ROLE [IF EXISTS] names.
pub(crate) fn drop(session: &Session, dropped: &[ObjectName], if_exists: bool) -> Result<Output> {
    require_superuser(session, "drop roles")?;
    for name in dropped {
        let name = names::single(name)?;
        match session.store().drop_role(&name) {
            Ok(()) => {}
            Err(mindoodb_storage::Error::NoSuchRole(_)) if if_exists => {}
            Err(mindoodb_storage::Error::NoSuchRole(_)) => {
                return Err(Error::UndefinedObject(format!("role \"{name}\"")));
            }
            Err(err) => return Err(err.into()),
        }
    }
    session.engine().access_changed();
    Ok(command("DROP ROLE"))
}

/// GRANT CONNECT ON DATABASE ... TO roles (`grant`) or REVOKE it (`!grant`).
pub(crate) fn grant(
    session: &Session,
    grant: bool,
    objects: Option<&GrantObjects>,
    grantees: &[Grantee],
) -> Result<Output> {
    require_superuser(session, if grant { "grant" } else { "revoke" })?;
    let (databases, roles) = grant_targets(objects, grantees)?;
    let store = session.store();
    for database in &databases {
        for role in &roles {
            let res = if grant {
                store.grant(role, database)
            } else {
                store.revoke(role, database)
            };
            res.map_err(grant_error)?;
        }
    }
    if grant {
        return Ok(command("GRANT"));
    }
    session.engine().access_changed();
    Ok(command("REVOKE"))
}

fn grant_targets(
    objects: Option<&GrantObjects>,
    grantees: &[Grantee],
) -> Result<(Vec<String>, Vec<String>)> {
    let Some(GrantObjects::Databases(databases)) = objects else {
        return Err(Error::FeatureNotSupported(
            "only GRANT/REVOKE CONNECT ON DATABASE".into(),
        ));
    };
    let databases = databases
        .iter()
        .map(names::single)
        .collect::<Result<Vec<_>>>()?;
    let roles = grantees
        .iter()
        .map(|g| match &g.name {
            Some(GranteeName::ObjectName(name)) => names::single(name),
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

fn password_text(expr: &Expr) -> Result<Zeroizing<String>> {
    match expr {
        Expr::Value(v) => match &v.value {
            SqlValue::SingleQuotedString(s) => Ok(Zeroizing::new(s.clone())),
            _ => Err(Error::Syntax("a password is a string literal".into())),
        },
        _ => Err(Error::Syntax("a password is a string literal".into())),
    }
}
