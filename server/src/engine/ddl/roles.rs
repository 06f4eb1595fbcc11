//! Roles: CREATE ROLE, ALTER ROLE and DROP ROLE (grants are `grants.rs`).
//!
//! Invariants:
//! - Superusers only, except that a role may change its own password.
//! - A role option MindooDB has nothing for is refused (0A000), never ignored; its "no" form
//!   (what every role is) passes.
//! - Passwords become SCRAM verifiers (`verifier.rs`) before they reach the store.
//! - ALTER ROLE and DROP ROLE announce `access_changed`.
//! - A role that owns a relation or is named in a grant list cannot be dropped (2BP01), so no
//!   list names a role that does not exist.

use datafusion::sql::sqlparser::ast::{
    Action, AlterRoleOperation, CreateRole, Expr, Grant, Grantee, GranteeName, GranteesType, Ident,
    ObjectName, Password, Privileges, RoleOption, Value as SqlValue,
};
use mindoodb_storage::{Access, AclItem, RoleRecord};
use zeroize::Zeroizing;

use super::{already, command, grants, require_superuser};
use crate::catalog::names;
use crate::engine::session::Session;
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::output::Output;
use crate::verifier;

/// CREATE ROLE / CREATE USER, with its memberships (`IN ROLE`, `ROLE`, `ADMIN`) granted as
/// `GRANT` grants them.
pub(crate) fn create(session: &mut Session, create: &CreateRole) -> Result<Output> {
    require_superuser(session, "create roles")?;
    unsupported_options(create)?;
    for name in &create.names {
        let name = names::single(name)?;
        let memberships = memberships(session, &name, create)?;
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
            created: 0,
        };
        match session.store().create_role(&role) {
            Ok(()) => {}
            Err(mindoodb_storage::Error::AlreadyExists(_)) if create.if_not_exists => continue,
            Err(e) => {
                return Err(already(
                    e,
                    Error::DuplicateObject(format!("role \"{name}\"")),
                ));
            }
        }
        for membership in &memberships {
            grants::grant(session, membership)?;
        }
    }
    Ok(command("CREATE ROLE"))
}

/// The GRANTs a new role's `IN ROLE`/`IN GROUP`, `ROLE`/`USER` and `ADMIN` clauses make,
/// checked before the role exists so that a bad clause creates nothing: every role they name
/// exists (42704) and none is the new role itself (0LP01, as PostgreSQL refuses a role that
/// would be a member of itself).
fn memberships(session: &Session, name: &str, create: &CreateRole) -> Result<Vec<Grant>> {
    let roles = session.store().roles()?;
    let role = |ident: &Ident| -> Result<Ident> {
        let other = names::fold(ident);
        if other == name {
            return Err(Error::InvalidGrant(format!(
                "role \"{name}\" is a member of role \"{name}\""
            )));
        }
        if !roles.iter().any(|r| r.name == other) {
            return Err(Error::UndefinedObject(format!("role \"{other}\"")));
        }
        Ok(Ident::with_quote('"', other))
    };
    let new = Ident::with_quote('"', name);
    let grant = |granted: Ident, to: Ident, admin: bool| Grant {
        privileges: Privileges::Actions(vec![Action::Role {
            role: ObjectName::from(vec![granted]),
        }]),
        objects: None,
        grantees: vec![Grantee {
            grantee_type: GranteesType::None,
            name: Some(GranteeName::ObjectName(ObjectName::from(vec![to]))),
        }],
        with_grant_option: admin,
        as_grantor: None,
        granted_by: None,
        current_grants: None,
    };
    let mut grants = Vec::new();
    for group in create.in_role.iter().chain(&create.in_group) {
        grants.push(grant(role(group)?, new.clone(), false));
    }
    for member in create.role.iter().chain(&create.user) {
        grants.push(grant(new.clone(), role(member)?, false));
    }
    for admin in &create.admin {
        grants.push(grant(new.clone(), role(admin)?, true));
    }
    Ok(grants)
}

/// Refuses the role options MindooDB has no such thing for (0A000) rather than ignoring them;
/// their "no" forms, which `pg_dumpall` writes, are what every role is, and pass.
fn unsupported_options(create: &CreateRole) -> Result<()> {
    let flags = [
        ("CREATEDB", create.create_db),
        ("CREATEROLE", create.create_role),
        ("REPLICATION", create.replication),
        ("BYPASSRLS", create.bypassrls),
    ];
    for (name, on) in flags {
        if on == Some(true) {
            return Err(Error::FeatureNotSupported(format!("role option {name}")));
        }
    }
    if let Some(limit) = &create.connection_limit {
        option_value(&RoleOption::ConnectionLimit(limit.clone()))?;
    }
    if let Some(until) = &create.valid_until {
        option_value(&RoleOption::ValidUntil(until.clone()))?;
    }
    Ok(())
}

/// Accepts a role option whose value is what every MindooDB role has (no connection limit,
/// a password valid forever, no CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS); 0A000 otherwise.
/// (sqlparser reads no signed CONNECTION LIMIT, so `-1` never arrives; any other is refused.)
fn option_value(option: &RoleOption) -> Result<()> {
    let default = match option {
        RoleOption::CreateDB(on)
        | RoleOption::CreateRole(on)
        | RoleOption::Replication(on)
        | RoleOption::BypassRLS(on) => !on,
        RoleOption::ValidUntil(Expr::Value(v)) => {
            matches!(&v.value, SqlValue::SingleQuotedString(s) if s.eq_ignore_ascii_case("infinity"))
        }
        _ => false,
    };
    if default {
        Ok(())
    } else {
        Err(Error::FeatureNotSupported(format!("role option {option}")))
    }
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
            other => option_value(&other)?,
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
