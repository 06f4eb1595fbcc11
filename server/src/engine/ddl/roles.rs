//! Roles: CREATE ROLE, ALTER ROLE and DROP ROLE (grants are `grants.rs`).
//!
//! Invariants:
//! - Superusers only, except that a role may change its own password.
//! - Passwords become SCRAM verifiers (`verifier.rs`) before they reach the store.
//! - ALTER ROLE and DROP ROLE announce `access_changed`.
//! - A role that owns a relation or is named in a grant list cannot be dropped (2BP01), so no
//!   list names a role that does not exist.

use datafusion::sql::sqlparser::ast::{
    AlterRoleOperation, CreateRole, Expr, Ident, ObjectName, Password, RoleOption,
    Value as SqlValue,
};
use mindoodb_storage::{Access, AclItem, RoleRecord};
use zeroize::Zeroizing;

use super::{already, command, require_superuser};
use crate::catalog::names;
use crate::engine::session::Session;
use crate::error::{Error, Result};
use crate::notice::Notice;
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
            inherit: create.inherit.unwrap_or(true),
            member_of: Vec::new(),
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
            RoleOption::Inherit(inherit) => {
                require_superuser(session, "change INHERIT")?;
                role.inherit = inherit;
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
pub(crate) fn drop(
    session: &mut Session,
    dropped: &[ObjectName],
    if_exists: bool,
) -> Result<Output> {
    require_superuser(session, "drop roles")?;
    for name in dropped {
        let name = names::single(name)?;
        if depended_on(session, &name) {
            return Err(Error::DependentObjects(format!(
                "role \"{name}\" cannot be dropped because some objects depend on it"
            )));
        }
        match session.store().drop_role(&name) {
            Ok(()) => {}
            Err(mindoodb_storage::Error::NoSuchRole(_)) if if_exists => {
                session.notice(Notice::Skipped { kind: "role", name });
            }
            Err(mindoodb_storage::Error::NoSuchRole(_)) => {
                return Err(Error::UndefinedObject(format!("role \"{name}\"")));
            }
            Err(err) => return Err(err.into()),
        }
    }
    session.engine().access_changed();
    Ok(command("DROP ROLE"))
}

/// True when `role` owns a relation or the tenant, or a grant list of any tenant names it.
fn depended_on(session: &Session, role: &str) -> bool {
    let store = session.store();
    let named = |items: &[AclItem]| items.iter().any(|i| i.grantee == role || i.grantor == role);
    let names_role =
        |access: &Access| access.owner == role || access.acl.as_deref().is_some_and(named);
    store.tenants().into_iter().any(|tenant| {
        let own = store.tenant_access(tenant.id);
        own.owner == role
            || own.schema.as_deref().is_some_and(named)
            || own
                .defaults
                .iter()
                .any(|d| d.owner == role || named(&d.items))
            || store
                .tables(tenant.id)
                .iter()
                .any(|t| names_role(&t.access))
            || store.views(tenant.id).iter().any(|v| names_role(&v.access))
    })
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
